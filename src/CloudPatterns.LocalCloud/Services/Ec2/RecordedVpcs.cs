using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>
/// VPCs and subnets as CloudFormation recorded them (LocalCloud has no VPC API of its own): a VPC's CidrBlock, a
/// subnet's VpcId and AvailabilityZone (the region's "a" zone when the template names none, as the fleet assumes).
/// </summary>
internal sealed class RecordedVpcs(GenericResourceProvisioner generic) : IVpcDirectory
{
    public string? VpcCidr(string accountId, string region, string vpcId) =>
        generic.Recorded(accountId, region, "AWS::EC2::VPC").TryGetValue(vpcId, out var vpc) ? TemplateEvaluator.AsString(vpc["CidrBlock"]) ?? "" : null;

    public (string VpcId, string AvailabilityZone)? Subnet(string accountId, string region, string subnetId) =>
        generic.Recorded(accountId, region, "AWS::EC2::Subnet").TryGetValue(subnetId, out var subnet)
            ? (TemplateEvaluator.AsString(subnet["VpcId"]) ?? "", TemplateEvaluator.AsString(subnet["AvailabilityZone"]) ?? region + "a")
            : null;
}
