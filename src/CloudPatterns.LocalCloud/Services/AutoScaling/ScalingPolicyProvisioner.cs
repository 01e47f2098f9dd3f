using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.Fleet;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>
/// AWS::AutoScaling::ScalingPolicy in LocalCloud's Auto Scaling: the properties are PutScalingPolicy's parameters,
/// so creation and updates go through the same checks (a bad combination fails the resource with Auto Scaling's
/// ValidationError). Ref is the policy's ARN, as in AWS; GetAtt Arn and PolicyName. The policy's name is generated
/// (the resource type has no name property).
/// </summary>
internal sealed class ScalingPolicyProvisioner(FleetStore fleet, ScalingEngine engine, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties) =>
        Put(request, properties, ResourceIdentities.GeneratedName(request));

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) =>
        Put(request, properties, current.Attributes.GetValueOrDefault("PolicyName")?.ToString() ?? ResourceIdentities.GeneratedName(request));

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Find(request, current) is { } policy)
        {
            engine.Delete(policy.AccountId, policy.Region, policy.GroupName, policy.PolicyName);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => Find(request, current) is not null;

    private ProvisionedResource Put(ResourceRequest request, JsonElement properties, string policyName)
    {
        var groupName = properties.GetStringOrNull("AutoScalingGroupName")
            ?? throw new ResourceFailedException("Property AutoScalingGroupName cannot be empty.");
        var group = fleet.Use(_ => fleet.Group(request.Stack.AccountId, request.Stack.Region, groupName))
            ?? throw new ResourceFailedException($"AutoScalingGroup name not found - AutoScalingGroup {groupName} not found (Service: AutoScaling, Status Code: 400)");
        var policy = AutoScalingService.PutPolicy(engine, group, policyName, new ProtocolInput(request.Properties));
        return Provisioned(policy.PolicyArn, ("Arn", policy.PolicyArn), ("PolicyName", policy.PolicyName));
    }

    private ScalingPolicy? Find(ResourceRequest request, ProvisionedResource current) =>
        engine.Policies(request.Stack.AccountId, request.Stack.Region).FirstOrDefault(policy => policy.PolicyArn == current.PhysicalId);
}
