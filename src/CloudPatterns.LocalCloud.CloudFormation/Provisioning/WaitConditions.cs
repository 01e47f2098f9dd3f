using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>
/// AWS::CloudFormation::WaitConditionHandle: its Ref is the URL cfn-signal PUTs to, served by LocalCloud
/// (docs/localcloud-cloudformation-signals.md). The URL's random token plays the role of S3's presigned signature.
/// </summary>
internal sealed class WaitConditionHandleProvisioner(CloudFormationEngine engine) : IResourceProvisioner
{
    public const string ResourceType = "AWS::CloudFormation::WaitConditionHandle";

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        engine.NewWaitHandle(request.Stack, out var url);
        return Task.FromResult(new ProvisionedResource(url, new Dictionary<string, JsonNode>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(current);

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        engine.RemoveWaitHandle(current.PhysicalId);
        return Task.CompletedTask;
    }

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>((JsonObject)request.Properties.DeepClone());
}

/// <summary>
/// AWS::CloudFormation::WaitCondition: made at once; the engine then waits for its handle's signals or its
/// CreationPolicy's (<see cref="CloudFormationEngine"/> Signals.cs). Its physical id names the stack and the handle,
/// as CloudFormation's does (stack ARN/logical id); updates change nothing (CloudFormation does not update wait conditions).
/// </summary>
internal sealed class WaitConditionProvisioner : IResourceProvisioner
{
    public const string ResourceType = "AWS::CloudFormation::WaitCondition";

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        return Task.FromResult(new ProvisionedResource($"{request.Stack.StackId}/{request.LogicalId}", new Dictionary<string, JsonNode> { ["Data"] = "{}" }));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(current);

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>((JsonObject)request.Properties.DeepClone());
}
