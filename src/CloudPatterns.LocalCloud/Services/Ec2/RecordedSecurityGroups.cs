using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>One rule of a security group: protocol and ports, from a CIDR range or from another group.</summary>
internal sealed record SecurityGroupRule(string IpProtocol, int? FromPort, int? ToPort, string? CidrIp, string? SourceGroupId, string? Description);

/// <summary>A security group as DescribeSecurityGroups shows it.</summary>
internal sealed record SecurityGroup(
    string GroupId,
    string GroupName,
    string Description,
    string? VpcId,
    IReadOnlyList<SecurityGroupRule> Ingress,
    IReadOnlyList<SecurityGroupRule> Egress,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// Security groups as CloudFormation recorded them (LocalCloud has no security group API that changes them): each
/// AWS::EC2::SecurityGroup with its inline rules, plus the AWS::EC2::SecurityGroupIngress / SecurityGroupEgress
/// resources that name it. A group given no egress rule has AWS's default, all traffic to 0.0.0.0/0
/// (docs/localcloud-fleet.md, "Security groups").
/// </summary>
internal sealed class RecordedSecurityGroups(GenericResourceProvisioner generic)
{
    public const string GroupType = "AWS::EC2::SecurityGroup";

    public bool Exists(string accountId, string region, string groupId) =>
        generic.Recorded(accountId, region, GroupType).ContainsKey(groupId) || DefaultGroupVpc(accountId, region, groupId) is not null;

    /// <summary>The VPC of a group; null when the group does not exist (or names no VPC).</summary>
    public string? VpcOf(string accountId, string region, string groupId) =>
        generic.Recorded(accountId, region, GroupType).TryGetValue(groupId, out var group) ? Text(group["VpcId"]) : DefaultGroupVpc(accountId, region, groupId);

    /// <summary>The VPC whose default security group this is (every VPC has one, named "default"), else null.</summary>
    private string? DefaultGroupVpc(string accountId, string region, string groupId) =>
        groupId.StartsWith("sg-", StringComparison.Ordinal)
            ? generic.Recorded(accountId, region, VpcType).Keys.FirstOrDefault(vpc => ResourceIdentities.DefaultSecurityGroupOf(vpc) == groupId)
            : null;

    private const string VpcType = "AWS::EC2::VPC";

    public IReadOnlyList<SecurityGroup> List(string accountId, string region)
    {
        var ingress = generic.Recorded(accountId, region, "AWS::EC2::SecurityGroupIngress").Values.ToList();
        var egress = generic.Recorded(accountId, region, "AWS::EC2::SecurityGroupEgress").Values.ToList();
        // A VPC's default group: all traffic from its own members in, all traffic out (docs/localcloud-fleet.md).
        var defaults = generic.Recorded(accountId, region, VpcType).Keys.Select(vpc => (Id: ResourceIdentities.DefaultSecurityGroupOf(vpc), Vpc: vpc)).Select(group => new SecurityGroup(
            group.Id, "default", "default VPC security group", group.Vpc, [new SecurityGroupRule("-1", null, null, null, group.Id, null)],
            [new SecurityGroupRule("-1", null, null, "0.0.0.0/0", null, null)], new Dictionary<string, string>(StringComparer.Ordinal)));
        return [.. defaults.Concat(generic.Recorded(accountId, region, GroupType).Select(entry =>
        {
            var (id, group) = entry;
            var outbound = Rules(group["SecurityGroupEgress"], "DestinationSecurityGroupId").Concat(egress.Where(rule => Text(rule["GroupId"]) == id).Select(rule => Rule(rule, "DestinationSecurityGroupId"))).ToList();
            return new SecurityGroup(
                id,
                Text(group["GroupName"]) ?? id,
                Text(group["GroupDescription"]) ?? "",
                Text(group["VpcId"]),
                [.. Rules(group["SecurityGroupIngress"], "SourceSecurityGroupId"), .. ingress.Where(rule => Text(rule["GroupId"]) == id).Select(rule => Rule(rule, "SourceSecurityGroupId"))],
                outbound.Count > 0 ? outbound : [new SecurityGroupRule("-1", null, null, "0.0.0.0/0", null, null)],
                (group["Tags"] as JsonArray ?? []).OfType<JsonObject>().Where(tag => Text(tag["Key"]) is not null).ToDictionary(tag => Text(tag["Key"])!, tag => Text(tag["Value"]) ?? "", StringComparer.Ordinal));
        })).OrderBy(group => group.GroupId, StringComparer.Ordinal)];
    }

    private static IEnumerable<SecurityGroupRule> Rules(JsonNode? rules, string groupKey) =>
        (rules as JsonArray ?? []).OfType<JsonObject>().Select(rule => Rule(rule, groupKey));

    /// <summary>A rule as CloudFormation gives it; IpProtocol "tcp", "udp", "icmp", "-1" or a number (all ports for "-1").</summary>
    private static SecurityGroupRule Rule(JsonObject rule, string groupKey)
    {
        var protocol = Text(rule["IpProtocol"]) ?? "-1";
        return new SecurityGroupRule(
            protocol,
            protocol == "-1" ? null : Port(rule["FromPort"]),
            protocol == "-1" ? null : Port(rule["ToPort"]),
            Text(rule["CidrIp"]) ?? Text(rule["DestinationCidrIp"]),
            Text(rule[groupKey]),
            Text(rule["Description"]));
    }

    private static int? Port(JsonNode? value) => int.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;

    private static string? Text(JsonNode? value) => TemplateEvaluator.AsString(value);
}
