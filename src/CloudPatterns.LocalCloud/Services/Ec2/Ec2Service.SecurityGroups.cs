using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>DescribeSecurityGroups over the groups CloudFormation created (docs/localcloud-fleet.md, "Security groups").</summary>
internal sealed partial class Ec2Service
{
    private void AddSecurityGroupOperations() => operations["DescribeSecurityGroups"] = (false, DescribeSecurityGroups);

    /// <summary>
    /// The account's groups in the region, by GroupId.N (an unknown id fails the call with InvalidGroup.NotFound),
    /// GroupName.N and filters; a group matches a rule filter when any of its inbound rules has the value.
    /// </summary>
    private IEnumerable<XElement> DescribeSecurityGroups(AwsRequest request, QueryParameters parameters)
    {
        var ids = List(parameters, "GroupId");
        var names = List(parameters, "GroupName");
        var groups = securityGroups.List(request.AccountId, request.Region);
        if ((FirstUnknown(ids, groups.Select(group => group.GroupId)) ?? FirstUnknown(names, groups.Select(group => group.GroupName))) is { } missing)
        {
            throw new AwsServiceException(400, "InvalidGroup.NotFound", $"The security group '{missing}' does not exist");
        }

        var filters = Filters(parameters);
        var selected = groups.Where(group => (ids.Count == 0 || ids.Contains(group.GroupId)) && (names.Count == 0 || names.Contains(group.GroupName))
            && filters.All(filter => GroupFilterValues(group, filter.Name).Any(filter.Values.Contains)));
        yield return Element("securityGroupInfo", selected.Select(group => Element("item", new object?[]
        {
            Element("ownerId", request.AccountId),
            Element("groupId", group.GroupId),
            Element("groupName", group.GroupName),
            Element("groupDescription", group.Description),
            group.VpcId is null ? null : Element("vpcId", group.VpcId),
            Element("ipPermissions", group.Ingress.Select(rule => Permission(rule, request.AccountId))),
            Element("ipPermissionsEgress", group.Egress.Select(rule => Permission(rule, request.AccountId))),
            Element("tagSet", group.Tags.Select(tag => Element("item", new[] { Element("key", tag.Key), Element("value", tag.Value) }))),
        })).ToList());
    }

    private static XElement Permission(SecurityGroupRule rule, string accountId) => Element("item", new object?[]
    {
        Element("ipProtocol", rule.IpProtocol),
        rule.FromPort is { } from ? Element("fromPort", from.ToString(CultureInfo.InvariantCulture)) : null,
        rule.ToPort is { } to ? Element("toPort", to.ToString(CultureInfo.InvariantCulture)) : null,
        Element("groups", rule.SourceGroupId is { } source
            ? Element("item", new object?[] { Element("userId", accountId), Element("groupId", source), rule.Description is null ? null : Element("description", rule.Description) })
            : null),
        Element("ipRanges", rule.CidrIp is { } cidr
            ? Element("item", new object?[] { Element("cidrIp", cidr), rule.Description is null ? null : Element("description", rule.Description) })
            : null),
        Element("ipv6Ranges", null),
        Element("prefixListIds", null),
    });

    /// <summary>The values a DescribeSecurityGroups filter compares (the EC2 API reference's names); an unknown filter is refused.</summary>
    private static IEnumerable<string?> GroupFilterValues(SecurityGroup group, string filter) => filter switch
    {
        "group-id" => [group.GroupId],
        "group-name" => [group.GroupName],
        "description" => [group.Description],
        "vpc-id" => [group.VpcId],
        "ip-permission.group-id" => group.Ingress.Select(rule => rule.SourceGroupId),
        "ip-permission.cidr" => group.Ingress.Select(rule => rule.CidrIp),
        "ip-permission.protocol" => group.Ingress.Select(rule => rule.IpProtocol),
        "ip-permission.from-port" => group.Ingress.Select(rule => rule.FromPort?.ToString(CultureInfo.InvariantCulture)),
        "ip-permission.to-port" => group.Ingress.Select(rule => rule.ToPort?.ToString(CultureInfo.InvariantCulture)),
        "egress.ip-permission.group-id" => group.Egress.Select(rule => rule.SourceGroupId),
        "egress.ip-permission.cidr" => group.Egress.Select(rule => rule.CidrIp),
        _ when filter.StartsWith("tag:", StringComparison.Ordinal) => [group.Tags.GetValueOrDefault(filter[4..])],
        "tag-key" => group.Tags.Keys,
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };
}
