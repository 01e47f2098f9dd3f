using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Core.Deployment;

namespace CloudPatterns.Core.MultiAz;

/// <summary>One resilience rule's verdict on one stack.</summary>
public sealed class ResilienceCheck
{
    internal ResilienceCheck(string accountId, string region, string stackName, string rule, bool passed, string detail, string remediation)
    {
        AccountId = accountId;
        Region = region;
        StackName = stackName;
        Rule = rule;
        Passed = passed;
        Detail = detail;
        Remediation = passed ? null : remediation;
    }

    public string AccountId { get; }
    public string Region { get; }
    public string StackName { get; }
    public string Rule { get; }
    /// <summary>Pass or Fail.</summary>
    public string Result => Passed ? "Pass" : "Fail";
    public bool Passed { get; }
    /// <summary>What was found (the offending resources when it failed).</summary>
    public string Detail { get; }
    /// <summary>What to change; null when the rule passed.</summary>
    public string? Remediation { get; }
}

/// <summary>
/// Inspects a deployed stack (its template, parameters and resources) against the rules that keep a web app up when
/// one Availability Zone fails, and says per rule what to fix.
/// </summary>
public static class MultiAzResilience
{
    public const int LongestHealthCheckInterval = 30;
    public const int ShortestCooldown = 300;

    public static async Task<IReadOnlyList<ResilienceCheck>> TestStackAsync(StackDeployment stacks, string stackName, CancellationToken cancellationToken = default)
    {
        var stack = await stacks.DescribeAsync(stackName, cancellationToken).ConfigureAwait(false)
            ?? throw new StackNotFoundException(stackName, stacks.AccountId, stacks.Region);
        var template = TemplateDocument.Parse(await stacks.GetTemplateBodyAsync(stackName, cancellationToken).ConfigureAwait(false));
        var deployed = new HashSet<string>((await stacks.GetResourcesAsync(stackName, cancellationToken).ConfigureAwait(false)).Select(r => r.LogicalResourceId), StringComparer.Ordinal);
        var resources = template.Resources(template.ParameterValues(stack.Parameters), stacks.Region, stacks.AccountId)
            .Where(r => deployed.Contains(r.LogicalId))
            .ToList();
        return Evaluate(resources, stacks.AccountId, stacks.Region, stackName);
    }

    /// <summary>Every rule over the stack's resources (as the template declares them, for the stack's parameter values).</summary>
    public static IReadOnlyList<ResilienceCheck> Evaluate(IReadOnlyList<TemplateResource> resources, string accountId, string region, string stackName)
    {
        var view = new StackView(resources);
        ResilienceCheck Check(string rule, IReadOnlyCollection<string> offenders, string passDetail, string failDetail, string remediation) =>
            new(accountId, region, stackName, rule, offenders.Count == 0, offenders.Count == 0 ? passDetail : failDetail + ": " + string.Join(", ", offenders), remediation);

        var zones = view.SubnetZones.Values.Distinct(StringComparer.Ordinal).Count();
        // Aurora's instances hold no data of their own: the cluster is what is encrypted and protected, and it is
        // Multi-AZ when it has instances in at least two zones.
        var members = view.OfType("AWS::RDS::DBInstance").Where(d => d.Properties.ContainsKey("DBClusterIdentifier")).ToList();
        var clusters = view.OfType("AWS::RDS::DBCluster").ToList();
        var databases = view.OfType("AWS::RDS::DBInstance").Where(d => !d.Properties.ContainsKey("SourceDBInstanceIdentifier") && !members.Contains(d)).Concat(clusters).ToList();
        var groups = view.OfType("AWS::AutoScaling::AutoScalingGroup").ToList();
        var launchTemplates = view.OfType("AWS::EC2::LaunchTemplate").ToList();

        return new[]
        {
            Check("MultipleAvailabilityZones", zones >= 2 ? Array.Empty<string>() : view.SubnetZones.Keys.ToArray(),
                $"Subnets span {zones} Availability Zones.",
                $"Subnets span {zones} Availability Zone(s)",
                "Deploy with -AzCount 2 or 3 so that every tier has a subnet in at least two Availability Zones."),
            Check("RdsMultiAz", databases.Where(d => d.Type == "AWS::RDS::DBCluster" ? view.MemberZones(d, members) < 2 : !view.IsTrue(d, "MultiAZ")).Select(d => d.LogicalId).ToList(),
                "Every database has a standby in another AZ (an instance with MultiAZ, an Aurora cluster with a reader in a second zone).",
                "Databases without a standby in another AZ",
                "Set MultiAZ: true on the DB instance (a standby in a second AZ; failover in about a minute), or give the Aurora cluster a reader in a second zone."),
            Check("AutoScalingMinSizeCoversZones", groups.Where(g => view.Number(g, "MinSize") < Math.Max(view.ZonesOf(g), 2)).Select(g => g.LogicalId).ToList(),
                "Every Auto Scaling group keeps at least one instance per Availability Zone.",
                "Auto Scaling groups with MinSize below their Availability Zone count",
                "Raise MinSize (Update-MultiAzStack -MinSize) to at least the number of Availability Zones."),
            Check("HealthCheckInterval", view.OfType("AWS::ElasticLoadBalancingV2::TargetGroup")
                    .Where(t => view.Number(t, "HealthCheckIntervalSeconds") is not (> 0 and <= LongestHealthCheckInterval)).Select(t => t.LogicalId).ToList(),
                $"Every target group checks health at least every {LongestHealthCheckInterval} s.",
                $"Target groups checking health less often than every {LongestHealthCheckInterval} s",
                $"Set HealthCheckIntervalSeconds to {LongestHealthCheckInterval} or less so a failed instance leaves the load balancer quickly."),
            Check("ScalingCooldown", groups.Where(g => (g.Properties.ContainsKey("Cooldown") ? view.Number(g, "Cooldown") : ShortestCooldown) < ShortestCooldown).Select(g => g.LogicalId).ToList(),
                $"Every Auto Scaling group waits at least {ShortestCooldown} s between scaling activities.",
                $"Auto Scaling groups with a cooldown under {ShortestCooldown} s",
                $"Set Cooldown to {ShortestCooldown} or more so new instances warm up before the group scales again."),
            Check("SecurityGroupChaining", view.OpenIngress().ToList(),
                "Only the internet-facing load balancer accepts traffic from anywhere (80/443); every other tier accepts only the tier before it.",
                "Ingress wider than the tier before it",
                "Allow the internet only on the public load balancer's 80/443; give every other tier's ingress a SourceSecurityGroupId of the tier before it instead of a CIDR."),
            Check("InstanceMetadataV2", launchTemplates.Where(t => view.Text(t, "LaunchTemplateData", "MetadataOptions", "HttpTokens") != "required").Select(t => t.LogicalId).ToList(),
                "Every launch template requires IMDSv2 session tokens.",
                "Launch templates that allow IMDSv1",
                "Set LaunchTemplateData.MetadataOptions.HttpTokens to required."),
            Check("EncryptionAtRest", launchTemplates.Where(t => !view.AllVolumesEncrypted(t)).Select(t => t.LogicalId)
                    .Concat(databases.Where(d => !view.IsTrue(d, "StorageEncrypted")).Select(d => d.LogicalId)).ToList(),
                "Every instance volume and database storage is encrypted.",
                "Unencrypted volumes or database storage",
                "Set Encrypted: true on every launch template block device and StorageEncrypted: true on the DB instance (a new instance restored from an encrypted snapshot for an existing one)."),
            Check("DatabaseDeletionProtection", databases.Where(d => !view.IsTrue(d, "DeletionProtection")).Select(d => d.LogicalId).ToList(),
                "Every database instance has deletion protection.",
                "Database instances without deletion protection",
                "Set DeletionProtection: true on the DB instance."),
        };
    }

    private sealed class StackView
    {
        private readonly IReadOnlyList<TemplateResource> resources;
        private readonly Dictionary<string, TemplateResource> byId;

        public StackView(IReadOnlyList<TemplateResource> resources)
        {
            this.resources = resources;
            byId = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
            SubnetZones = OfType("AWS::EC2::Subnet").ToDictionary(s => s.LogicalId, s => Text(s, "AvailabilityZone") ?? s.LogicalId, StringComparer.Ordinal);
        }

        public Dictionary<string, string> SubnetZones { get; }

        public IEnumerable<TemplateResource> OfType(string type) => resources.Where(r => r.Type == type);

        public bool IsTrue(TemplateResource resource, string property) =>
            string.Equals(Text(resource, property), "true", StringComparison.OrdinalIgnoreCase);

        public int Number(TemplateResource resource, string property) =>
            int.TryParse(Text(resource, property), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

        public string? Text(TemplateResource resource, params string[] path)
        {
            object? value = resource.Properties;
            foreach (var step in path)
            {
                value = value is Dictionary<string, object?> map && map.TryGetValue(step, out var next) ? next : null;
            }

            return value as string;
        }

        /// <summary>The distinct zones of an Aurora cluster's instances (an instance without a zone counts as one of its own).</summary>
        public int MemberZones(TemplateResource cluster, IEnumerable<TemplateResource> members) =>
            members.Where(m => m.Properties.TryGetValue("DBClusterIdentifier", out var id) && (ReferencedId(id) == cluster.LogicalId || id as string == cluster.LogicalId))
                .Select(m => Text(m, "AvailabilityZone") ?? m.LogicalId).Distinct(StringComparer.Ordinal).Count();

        /// <summary>The distinct zones of an Auto Scaling group's subnets.</summary>
        public int ZonesOf(TemplateResource group) =>
            (group.Properties.TryGetValue("VPCZoneIdentifier", out var subnets) ? subnets as List<object?> : null)?
                .Select(s => ReferencedId(s) is { } id && SubnetZones.TryGetValue(id, out var zone) ? zone : null)
                .Where(z => z is not null).Distinct().Count() ?? 0;

        public bool AllVolumesEncrypted(TemplateResource launchTemplate)
        {
            var data = launchTemplate.Properties.TryGetValue("LaunchTemplateData", out var value) ? value as Dictionary<string, object?> : null;
            var mappings = data is not null && data.TryGetValue("BlockDeviceMappings", out var list) ? list as List<object?> : null;
            return mappings is { Count: > 0 } && mappings.All(m => m is Dictionary<string, object?> mapping && mapping.TryGetValue("Ebs", out var ebs)
                && ebs is Dictionary<string, object?> volume && volume.TryGetValue("Encrypted", out var encrypted)
                && string.Equals(encrypted as string, "true", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// Ingress rules that let in more than the tier before: any CIDR rule, except 80/443 from anywhere on a
        /// security group that only an internet-facing load balancer uses.
        /// </summary>
        public IEnumerable<string> OpenIngress()
        {
            var publicLoadBalancerGroups = new HashSet<string>(
                OfType("AWS::ElasticLoadBalancingV2::LoadBalancer")
                    .Where(lb => Text(lb, "Scheme") != "internal")
                    .SelectMany(lb => lb.Properties.TryGetValue("SecurityGroups", out var groups) && groups is List<object?> list ? list : new List<object?>())
                    .Select(ReferencedId).OfType<string>(),
                StringComparer.Ordinal);
            foreach (var group in OfType("AWS::EC2::SecurityGroup"))
            {
                var rules = group.Properties.TryGetValue("SecurityGroupIngress", out var ingress) && ingress is List<object?> list ? list : new List<object?>();
                foreach (var rule in rules.OfType<Dictionary<string, object?>>())
                {
                    if (IsTooOpen(group.LogicalId, rule, publicLoadBalancerGroups))
                    {
                        yield return $"{group.LogicalId} {Describe(rule)}";
                    }
                }
            }

            foreach (var rule in OfType("AWS::EC2::SecurityGroupIngress"))
            {
                var owner = ReferencedId(rule.Properties.TryGetValue("GroupId", out var groupId) ? groupId : null) ?? rule.LogicalId;
                if (IsTooOpen(owner, rule.Properties, publicLoadBalancerGroups))
                {
                    yield return $"{rule.LogicalId} {Describe(rule.Properties)}";
                }
            }
        }

        private static bool IsTooOpen(string groupId, IReadOnlyDictionary<string, object?> rule, HashSet<string> publicLoadBalancerGroups)
        {
            var cidr = (rule.TryGetValue("CidrIp", out var v4) ? v4 as string : null) ?? (rule.TryGetValue("CidrIpv6", out var v6) ? v6 as string : null);
            if (cidr is null)
            {
                return false;
            }

            var anywhere = cidr is "0.0.0.0/0" or "::/0";
            var webPorts = rule.TryGetValue("FromPort", out var from) && rule.TryGetValue("ToPort", out var to) && from as string == to as string && from as string is "80" or "443";
            return !(anywhere && webPorts && publicLoadBalancerGroups.Contains(groupId));
        }

        private static string Describe(IReadOnlyDictionary<string, object?> rule)
        {
            string Value(string key) => rule.TryGetValue(key, out var value) ? value as string ?? "?" : "?";
            var source = rule.ContainsKey("CidrIp") ? Value("CidrIp") : Value("CidrIpv6");
            return $"({Value("IpProtocol")} {Value("FromPort")}-{Value("ToPort")} from {source})";
        }

        private string? ReferencedId(object? value) =>
            value is Dictionary<string, object?> { Count: 1 } map && map.TryGetValue("Ref", out var id) && id is string name && byId.ContainsKey(name) ? name : null;
    }
}
