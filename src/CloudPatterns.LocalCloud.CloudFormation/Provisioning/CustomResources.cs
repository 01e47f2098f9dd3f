using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>
/// Where a custom resource's request goes: the service its ServiceToken ARN names (sns publishes to the topic;
/// lambda invokes the function when LocalCloud has a Lambda service). Refuse with <see cref="ResourceFailedException"/>.
/// </summary>
public interface ICustomResourceTarget
{
    /// <summary>Hands the request JSON (RequestType, ResponseURL, StackId, RequestId...) to the provider; the response arrives later.</summary>
    Task DeliverAsync(StackIdentity stack, string serviceToken, JsonObject request, CancellationToken cancellationToken);
}

/// <summary>
/// Custom::* and AWS::CloudFormation::CustomResource with CloudFormation's provider protocol
/// (docs/localcloud-cloudformation-custom-resources.md): a request per Create/Update/Delete to the ServiceToken's
/// target, a response PUT to the request's ResponseURL (served by LocalCloud), Data as GetAtt attributes, the
/// provider's PhysicalResourceId, FAILED with its Reason, and a timeout of ServiceTimeout seconds (one hour by default).
/// </summary>
internal sealed class CustomResourceProvisioner(CloudFormationEngine engine) : IResourceProvisioner
{
    public const string ResourceType = "AWS::CloudFormation::CustomResource";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(1);

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken) =>
        await CallAsync(request, "Create", current: null, oldProperties: null, cancellationToken);

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        var stack = engine.GetStack(request.Stack.AccountId, request.Stack.Region, request.Stack.StackId);
        var old = stack.Resources.FirstOrDefault(resource => resource.LogicalId == request.LogicalId)?.PreviousProperties;
        return await CallAsync(request, "Update", current, old, cancellationToken);
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        await CallAsync(request, "Delete", current, oldProperties: null, cancellationToken);

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>((JsonObject)request.Properties.DeepClone());

    /// <summary>
    /// A failed request. A failed Create still leaves the provider's resource for the rollback: CloudFormation then
    /// sends a Delete with the PhysicalResourceId of the FAILED response, or an id of its own when the response had
    /// none or never came (here the request's RequestId).
    /// </summary>
    private static ResourceFailedException Failure(string message, string requestType, string? physicalId, CloudFormationEngine.PendingCustomResponse pending) =>
        new(message)
        {
            LeftForRollback = requestType == "Create" ? new ProvisionedResource(physicalId ?? pending.RequestId, new Dictionary<string, JsonNode>()) : null,
        };

    private async Task<ProvisionedResource> CallAsync(ResourceRequest request, string requestType, ProvisionedResource? current,
        JsonObject? oldProperties, CancellationToken cancellationToken)
    {
        var serviceToken = TemplateEvaluator.AsString(request.Properties["ServiceToken"])
            ?? throw new ResourceFailedException($"Properties validation failed for resource {request.LogicalId} with message: #: required key [ServiceToken] not found");
        var service = serviceToken.Split(':') is { Length: > 5 } parts && parts[0] == "arn" ? parts[2] : null;
        var target = service is null ? null : engine.CustomResourceTarget(service);
        if (target is null)
        {
            throw new ResourceFailedException(service == "lambda"
                ? $"LocalCloud limit: Lambda-backed custom resources need LocalCloud's Lambda service, which this LocalCloud does not have (ServiceToken {serviceToken}); use an SNS topic as the ServiceToken."
                : $"Invalid service token: {serviceToken} is neither an SNS topic nor a Lambda function ARN.");
        }
        var timeout = int.TryParse(TemplateEvaluator.AsString(request.Properties["ServiceTimeout"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTimeout;
        var pending = engine.ExpectCustomResourceResponse(request.Stack, timeout, out var responseUrl);
        var message = new JsonObject
        {
            ["RequestType"] = requestType,
            ["ServiceToken"] = serviceToken,
            ["ResponseURL"] = responseUrl,
            ["StackId"] = request.Stack.StackId,
            ["RequestId"] = pending.RequestId,
            ["LogicalResourceId"] = request.LogicalId,
            ["ResourceType"] = request.ResourceType,
            ["ResourceProperties"] = request.Properties.DeepClone(),
        };
        if (current is not null)
        {
            message["PhysicalResourceId"] = current.PhysicalId;
        }
        if (requestType == "Update")
        {
            message["OldResourceProperties"] = oldProperties?.DeepClone() ?? new JsonObject();
        }
        try
        {
            await target.DeliverAsync(request.Stack, serviceToken, message, cancellationToken);
            JsonObject response;
            try
            {
                response = await engine.AwaitCustomResourceResponseAsync(pending);
            }
            catch (ResourceFailedException noAnswer)
            {
                throw Failure(noAnswer.Message, requestType, physicalId: null, pending);
            }
            var reason = TemplateEvaluator.AsString(response["Reason"]);
            var answeredId = TemplateEvaluator.AsString(response["PhysicalResourceId"]);
            if (TemplateEvaluator.AsString(response["Status"]) != "SUCCESS")
            {
                throw Failure($"Received response status [FAILED] from custom resource. Message returned: {reason ?? "See the details in the provider's log"} (RequestId: {pending.RequestId})",
                    requestType, answeredId, pending);
            }
            var physicalId = answeredId ?? current?.PhysicalId ?? throw Failure("Invalid PhysicalResourceId", requestType, null, pending);
            var attributes = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var (name, value) in response["Data"] as JsonObject ?? [])
            {
                if (value is not null)
                {
                    attributes[name] = value.DeepClone();
                }
            }
            var noEcho = string.Equals(TemplateEvaluator.AsString(response["NoEcho"]), "true", StringComparison.OrdinalIgnoreCase);
            return new ProvisionedResource(physicalId, attributes, noEcho);
        }
        finally
        {
            engine.ForgetCustomResourceResponse(pending);
        }
    }
}
