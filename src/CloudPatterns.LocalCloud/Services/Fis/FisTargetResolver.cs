using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>
/// Resolves an experiment's targets to resource ARNs (docs/localcloud-fis.md): by ARN, or by tags (the resource's own
/// and the aws:cloudformation:* tags of the stack that made it), narrowed by filters on the resource's described
/// attributes, then the selection mode (ALL, COUNT(n), PERCENT(n): a random choice, as in FIS).
/// </summary>
internal sealed partial class FisTargetResolver(GenericResourceProvisioner generic, CloudFormationEngine stacks, CloudResourceStore resources, RdsFailovers failovers)
{
    public const string Subnet = "aws:ec2:subnet";
    public const string DbInstance = "aws:rds:db";
    public const string DbCluster = "aws:rds:cluster";

    /// <summary>What is wrong with a template's target, for CreateExperimentTemplate's ValidationException.</summary>
    public IEnumerable<string> Problems(string name, FisTarget target)
    {
        if (target.ResourceType is not (Subnet or DbInstance or DbCluster))
        {
            yield return $"Target {name}: resourceType '{target.ResourceType}' is not one LocalCloud resolves ({Subnet}, {DbInstance}, {DbCluster}).";
        }

        if (target.ResourceArns.Count > 0 && target.ResourceTags.Count > 0)
        {
            yield return $"Target {name}: give resourceArns or resourceTags, not both.";
        }

        if (target.ResourceArns.Count == 0 && target.ResourceTags.Count == 0 && target.Filters.Count == 0)
        {
            yield return $"Target {name}: give resourceArns, resourceTags or filters.";
        }

        if (target.ResourceArns.Count > 5)
        {
            yield return $"Target {name}: at most 5 resourceArns.";
        }

        if (!SelectionModePattern().IsMatch(target.SelectionMode))
        {
            yield return $"Target {name}: selectionMode '{target.SelectionMode}' is not ALL, COUNT(n) or PERCENT(n).";
        }
    }

    public IReadOnlyList<string> Resolve(string accountId, string region, FisTarget target)
    {
        var candidates = Candidates(accountId, region, target.ResourceType)
            .Where(candidate => target.ResourceArns.Count == 0 || target.ResourceArns.Contains(candidate.Arn, StringComparer.Ordinal))
            .Where(candidate => target.ResourceTags.All(tag => candidate.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
            .Where(candidate => target.Filters.All(filter => candidate.Attributes.TryGetValue(filter.Path, out var value) && filter.Values.Contains(value, StringComparer.Ordinal)))
            .Select(candidate => candidate.Arn)
            .ToList();
        var match = SelectionModePattern().Match(target.SelectionMode);
        var count = match.Groups["count"].Success ? int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : match.Groups["percent"].Success ? (int)Math.Ceiling(candidates.Count * int.Parse(match.Groups["percent"].Value, System.Globalization.CultureInfo.InvariantCulture) / 100.0)
            : candidates.Count;
        if (count >= candidates.Count)
        {
            return candidates;
        }

        var shuffled = candidates.ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return shuffled.Take(count).ToList();
    }

    /// <summary>The zone of a subnet CloudFormation recorded (its AvailabilityZone, else the region's "a").</summary>
    public string? SubnetZone(string accountId, string region, string subnetArn) =>
        Subnets(accountId, region).FirstOrDefault(subnet => subnet.Arn == subnetArn)?.Attributes.GetValueOrDefault("AvailabilityZone");

    private sealed record Candidate(string Arn, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, string> Attributes);

    private IEnumerable<Candidate> Candidates(string accountId, string region, string resourceType) => resourceType switch
    {
        Subnet => Subnets(accountId, region),
        DbInstance => DbInstances(accountId, region),
        DbCluster => DbClusters(accountId, region),
        _ => [],
    };

    private List<Candidate> Subnets(string accountId, string region)
    {
        var owners = StackTags(accountId, region, "AWS::EC2::Subnet");
        return generic.Recorded(accountId, region, "AWS::EC2::Subnet").Select(entry =>
        {
            var tags = new Dictionary<string, string>(owners.GetValueOrDefault(entry.Key) ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var tag in (entry.Value["Tags"] as JsonArray ?? []).OfType<JsonObject>())
            {
                tags[tag["Key"]?.ToString() ?? ""] = tag["Value"]?.ToString() ?? "";
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["SubnetId"] = entry.Key,
                ["AvailabilityZone"] = entry.Value["AvailabilityZone"]?.ToString() ?? region + "a",
                ["VpcId"] = entry.Value["VpcId"]?.ToString() ?? "",
                ["CidrBlock"] = entry.Value["CidrBlock"]?.ToString() ?? "",
            };
            return new Candidate($"arn:aws:ec2:{region}:{accountId}:subnet/{entry.Key}", tags, attributes);
        }).ToList();
    }

    private List<Candidate> DbInstances(string accountId, string region) =>
        Stored(accountId, region, ResourceKind.RdsDbInstance, "AWS::RDS::DBInstance", instance => new(StringComparer.Ordinal)
        {
            ["DBInstanceIdentifier"] = instance.Name,
            ["AvailabilityZone"] = RdsFailovers.Primary(instance),
            ["MultiAZ"] = RdsFailovers.IsMultiAz(instance) ? "true" : "false",
            ["Engine"] = instance.Attributes.GetValueOrDefault("Engine") ?? "mysql",
        });

    private List<Candidate> DbClusters(string accountId, string region) =>
        Stored(accountId, region, ResourceKind.AuroraCluster, "AWS::RDS::DBCluster", cluster => new(StringComparer.Ordinal)
        {
            ["DBClusterIdentifier"] = cluster.Name,
            ["Engine"] = cluster.Attributes.GetValueOrDefault("Engine") ?? "aurora-mysql",
        });

    /// <summary>Resources of the store as candidates: their own tags over their stack's, and their described attributes.</summary>
    private List<Candidate> Stored(string accountId, string region, ResourceKind kind, string resourceType, Func<CloudResource, Dictionary<string, string>> attributes)
    {
        failovers.Settle();
        var owners = StackTags(accountId, region, resourceType);
        return resources.List(kind, accountId, region).Select(resource =>
        {
            var tags = new Dictionary<string, string>(owners.GetValueOrDefault(resource.Name) ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in resource.Tags)
            {
                tags[key] = value;
            }

            return new Candidate(resource.Arn, tags, attributes(resource));
        }).ToList();
    }

    /// <summary>The aws:cloudformation:* tags CloudFormation puts on the resources of a type that its live stacks made, by physical id.</summary>
    private Dictionary<string, Dictionary<string, string>> StackTags(string accountId, string region, string resourceType)
    {
        var tags = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var stack in stacks.ListStacks(accountId, region).Where(stack => !stack.IsDeleted))
        {
            foreach (var resource in stack.Resources.Where(resource => resource.ResourceType == resourceType && resource.PhysicalId is not null))
            {
                var own = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["aws:cloudformation:stack-name"] = stack.StackName,
                    ["aws:cloudformation:stack-id"] = stack.StackId,
                    ["aws:cloudformation:logical-id"] = resource.LogicalId,
                };
                foreach (var tag in stack.Tags)
                {
                    own[tag.Key] = tag.Value;
                }

                tags[resource.PhysicalId!] = own;
            }
        }

        return tags;
    }

    [GeneratedRegex(@"^(ALL|COUNT\((?<count>[1-9][0-9]*)\)|PERCENT\((?<percent>[1-9][0-9]?|100)\))$")]
    private static partial Regex SelectionModePattern();
}
