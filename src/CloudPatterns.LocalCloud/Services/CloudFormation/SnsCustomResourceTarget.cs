using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// SNS-backed custom resources: the request is published to the ServiceToken's topic, as CloudFormation publishes it.
/// LocalCloud's SNS delivers nowhere, so a provider reads the message from the topic's published messages
/// (admin GET /_localcloud/sns/messages) and PUTs its response to the ResponseURL.
/// </summary>
internal sealed class SnsCustomResourceTarget(SnsStore sns) : ICustomResourceTarget
{
    public const string Subject = "AWS CloudFormation custom resource request";

    public Task DeliverAsync(StackIdentity stack, string serviceToken, JsonObject request, CancellationToken cancellationToken)
    {
        var topicAccount = serviceToken.Split(':')[4];
        try
        {
            sns.Publish(topicAccount, serviceToken, Subject, request.ToJsonString(), new Dictionary<string, string>());
        }
        catch (AwsServiceException error)
        {
            throw new ResourceFailedException($"Unable to publish the custom resource request to {serviceToken}: {error.Message}");
        }
        return Task.CompletedTask;
    }
}
