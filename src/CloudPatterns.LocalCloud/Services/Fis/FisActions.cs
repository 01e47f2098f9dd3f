using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>
/// The FIS actions LocalCloud runs, what each needs (its target key and resource type, its parameters, the IAM
/// actions the experiment role must be allowed), and what it does to LocalCloud's services (docs/localcloud-fis.md).
/// </summary>
internal sealed partial class FisActions(
    FleetStore fleet,
    RdsFailovers failovers,
    CloudResourceStore resources,
    FisTargetResolver targets,
    CloudWatchStore cloudWatch,
    IamStore iam,
    string organizationId,
    Func<CallerIdentity, string, string, string, AuthorizationDecision> authorizeAs)
{
    private const string FisPrincipal = "fis.amazonaws.com";

    /// <summary>An action LocalCloud runs: its one target key and resource type (null for none) and its parameters.</summary>
    private sealed record Definition(string? TargetKey, string? ResourceType, string[] Required, string[] Optional);

    private static readonly Dictionary<string, Definition> Definitions = new(StringComparer.Ordinal)
    {
        ["aws:network:disrupt-connectivity"] = new("Subnets", FisTargetResolver.Subnet, ["duration"], ["scope"]),
        ["aws:rds:reboot-db-instances"] = new("DBInstances", FisTargetResolver.DbInstance, [], ["forceFailover"]),
        ["aws:rds:failover-db-cluster"] = new("Clusters", FisTargetResolver.DbCluster, [], []),
        ["aws:fis:wait"] = new(null, null, ["duration"], []),
    };

    /// <summary>CreateExperimentTemplate's checks, before anything is stored: one ValidationException naming every problem.</summary>
    public void Validate(ExperimentTemplate template)
    {
        var problems = new List<string>();
        if (!RoleArnPattern().IsMatch(template.RoleArn))
        {
            problems.Add($"roleArn '{template.RoleArn}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).");
        }

        if (template.Description.Length is 0 or > 512)
        {
            problems.Add("description is required (1 to 512 characters).");
        }

        if (template.Actions.Count == 0)
        {
            problems.Add("actions: an experiment template needs at least one action.");
        }

        ValidateStopConditions(template, problems);
        foreach (var (name, target) in template.Targets)
        {
            problems.AddRange(targets.Problems(name, target));
        }

        foreach (var (name, action) in template.Actions)
        {
            ValidateAction(template, name, action, problems);
        }

        if (problems.Count > 0)
        {
            throw FisStore.Validation(string.Join(" ", problems));
        }
    }

    private void ValidateStopConditions(ExperimentTemplate template, List<string> problems)
    {
        if (template.StopConditions.Count == 0)
        {
            problems.Add("stopConditions: give at least one (source 'none' for an experiment without one).");
        }

        foreach (var condition in template.StopConditions)
        {
            switch (condition.Source)
            {
                case "none" when template.StopConditions.Count > 1 || condition.Value is not null:
                    problems.Add("stopConditions: source 'none' takes no value and stands alone.");
                    break;
                case "none":
                    break;
                case "aws:cloudwatch:alarm" when Alarm(template, condition.Value) is null:
                    problems.Add($"stopConditions: the CloudWatch alarm '{condition.Value}' does not exist in {template.AccountId} {template.Region}.");
                    break;
                case "aws:cloudwatch:alarm":
                    break;
                default:
                    problems.Add($"stopConditions: source '{condition.Source}' is not one of: none, aws:cloudwatch:alarm.");
                    break;
            }
        }
    }

    private static void ValidateAction(ExperimentTemplate template, string name, FisAction action, List<string> problems)
    {
        if (!Definitions.TryGetValue(action.ActionId, out var definition))
        {
            problems.Add($"Action {name}: actionId '{action.ActionId}' is not an action LocalCloud runs ({string.Join(", ", Definitions.Keys)}; docs/localcloud-fis.md).");
            return;
        }

        foreach (var parameter in definition.Required.Where(parameter => !action.Parameters.ContainsKey(parameter)))
        {
            problems.Add($"Action {name}: the parameter '{parameter}' is required for {action.ActionId}.");
        }

        foreach (var parameter in action.Parameters.Keys.Where(parameter => !definition.Required.Contains(parameter) && !definition.Optional.Contains(parameter)))
        {
            problems.Add($"Action {name}: '{parameter}' is not a parameter of {action.ActionId} (allowed: {string.Join(", ", definition.Required.Concat(definition.Optional))}).");
        }

        if (action.Parameters.TryGetValue("duration", out var duration) && FisJson.Duration(duration) is not { TotalMinutes: >= 1 and <= 720 })
        {
            problems.Add($"Action {name}: duration '{duration}' is not an ISO 8601 duration from PT1M to PT12H.");
        }

        if (action.Parameters.TryGetValue("scope", out var scope) && scope != "all")
        {
            problems.Add($"Action {name}: scope '{scope}' is not modelled by LocalCloud, which cuts all traffic (scope 'all'; docs/localcloud-fis.md).");
        }

        if (action.Parameters.TryGetValue("forceFailover", out var force) && force is not ("true" or "false"))
        {
            problems.Add($"Action {name}: forceFailover '{force}' must be 'true' or 'false'.");
        }

        foreach (var after in action.StartAfter.Where(after => !template.Actions.ContainsKey(after) || after == name))
        {
            problems.Add($"Action {name}: startAfter names '{after}', which is not another action of the template.");
        }

        ValidateActionTargets(template, name, action, definition, problems);
    }

    private static void ValidateActionTargets(ExperimentTemplate template, string name, FisAction action, Definition definition, List<string> problems)
    {
        foreach (var (key, targetName) in action.Targets)
        {
            if (key != definition.TargetKey)
            {
                problems.Add($"Action {name}: target key '{key}' is not one of {action.ActionId}'s ({definition.TargetKey ?? "it takes no target"}).");
            }
            else if (!template.Targets.TryGetValue(targetName, out var target))
            {
                problems.Add($"Action {name}: target '{targetName}' is not defined in the template's targets.");
            }
            else if (target.ResourceType != definition.ResourceType)
            {
                problems.Add($"Action {name}: target '{targetName}' is of type {target.ResourceType}; {action.ActionId} takes {definition.ResourceType}.");
            }
        }

        if (definition.TargetKey is { } required && !action.Targets.ContainsKey(required))
        {
            problems.Add($"Action {name}: {action.ActionId} needs the target key '{required}'.");
        }
    }

    /// <summary>
    /// StartExperiment's preparation: FIS assumes the experiment role (it must trust fis.amazonaws.com) and resolves
    /// the targets. Null when it may run, else why the experiment fails.
    /// </summary>
    public string? Prepare(Experiment experiment)
    {
        var template = experiment.Template;
        if (iam.FindRole(template.RoleArn) is not { } role || !ServiceTrust.Trusts(role, organizationId, FisPrincipal, template.AccountId, experiment.Arn))
        {
            return $"Unable to assume role {template.RoleArn}: it must exist and its trust policy must allow {FisPrincipal}.";
        }

        foreach (var (name, target) in template.Targets)
        {
            if (target.ResourceTags.Count > 0 && Refused(experiment, "tag:GetResources", "*") is { } tagRefusal)
            {
                return tagRefusal;
            }

            var resolved = targets.Resolve(template.AccountId, template.Region, target);
            if (resolved.Count == 0)
            {
                return $"Target resolution returned empty set for target {name}.";
            }

            experiment.ResolvedTargets[name] = resolved;
        }

        return null;
    }

    /// <summary>Starts one action at <paramref name="start"/>: null when it runs (or ran), else why it failed.</summary>
    public string? Run(Experiment experiment, ExperimentActionRun run, DateTimeOffset start)
    {
        run.Start = start;
        run.Status = "running";
        var arns = Definitions[run.Action.ActionId].TargetKey is { } key && run.Action.Targets.TryGetValue(key, out var targetName)
            ? experiment.ResolvedTargets[targetName]
            : [];
        var duration = FisJson.Duration(run.Action.Parameters.GetValueOrDefault("duration"));
        switch (run.Action.ActionId)
        {
            case "aws:network:disrupt-connectivity":
                return DisruptConnectivity(experiment, run, arns, start + duration!.Value);
            case "aws:rds:reboot-db-instances":
                return RebootDbInstances(experiment, run, arns, run.Action.Parameters.GetValueOrDefault("forceFailover") == "true", start);
            case "aws:rds:failover-db-cluster":
                return FailoverDbClusters(experiment, run, arns, start);
            default:
                run.End = start + duration!.Value;
                return null;
        }
    }

    /// <summary>The stop condition alarm in ALARM, if one is, and since when.</summary>
    public (string AlarmArn, DateTimeOffset Since)? StopConditionMet(Experiment experiment) => experiment.Template.StopConditions
        .Where(condition => condition.Source == "aws:cloudwatch:alarm")
        .Select(condition => Alarm(experiment.Template, condition.Value))
        .Where(alarm => alarm?.StateValue == AlarmStates.Alarm)
        .Select(alarm => ((string AlarmArn, DateTimeOffset Since)?)(alarm!.AlarmArn, alarm.StateUpdatedTimestamp))
        .FirstOrDefault();

    /// <summary>
    /// Network ACLs that deny all traffic of the subnets: in LocalCloud the subnets' zones stop answering for the
    /// duration (the fleet's zone outage, without the RDS failover an Availability Zone's failure causes).
    /// </summary>
    private string? DisruptConnectivity(Experiment experiment, ExperimentActionRun run, IReadOnlyList<string> subnets, DateTimeOffset end)
    {
        var template = experiment.Template;
        var refusal = Refused(experiment, "ec2:DescribeSubnets", "*")
            ?? subnets.Select(subnet => Refused(experiment, "ec2:ReplaceNetworkAclAssociation", subnet)).FirstOrDefault(reason => reason is not null);
        if (refusal is not null)
        {
            return refusal;
        }

        var zones = subnets.Select(subnet => targets.SubnetZone(template.AccountId, template.Region, subnet)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var zone in zones)
        {
            fleet.FailZone(template.AccountId, template.Region, zone, failed: true, until: end, zoneFailure: false);
        }

        run.End = end;
        run.Undo = () => zones.ForEach(zone => fleet.FailZone(template.AccountId, template.Region, zone, failed: false));
        return null;
    }

    /// <summary>RebootDBInstance on each instance, with failover when asked: the same refusals as the API.</summary>
    private string? RebootDbInstances(Experiment experiment, ExperimentActionRun run, IReadOnlyList<string> instances, bool forceFailover, DateTimeOffset start)
    {
        failovers.Settle();
        foreach (var arn in instances)
        {
            if (Refused(experiment, "rds:RebootDBInstance", arn) is { } refusal)
            {
                return refusal;
            }

            if (resources.Find(arn) is not { } instance)
            {
                return $"DBInstance {arn.Split(':')[^1]} not found.";
            }

            if (forceFailover && !RdsFailovers.IsMultiAz(instance))
            {
                return $"Cannot reboot DB instance {instance.Name} with force failover because it is not a Multi-AZ DB instance.";
            }

            if (failovers.State(instance).FailingOver)
            {
                return $"DB instance {instance.Name} is not in available state.";
            }

            if (forceFailover)
            {
                failovers.Start(instance, rebooting: true, start);
            }
        }

        run.End = start;
        return null;
    }

    /// <summary>FailoverDBCluster on each cluster (a reader promoted): the same refusals as the API.</summary>
    private string? FailoverDbClusters(Experiment experiment, ExperimentActionRun run, IReadOnlyList<string> clusters, DateTimeOffset start)
    {
        failovers.Settle();
        foreach (var arn in clusters)
        {
            if (Refused(experiment, "rds:FailoverDBCluster", arn) is { } refusal)
            {
                return refusal;
            }

            if (resources.Find(arn) is not { } cluster)
            {
                return $"DBCluster {arn.Split(':')[^1]} not found.";
            }

            try
            {
                var (writer, target) = failovers.ClusterFailover(cluster, null);
                failovers.StartCluster(cluster, writer, target, start);
            }
            catch (Protocols.AwsServiceException error)
            {
                return error.Message;
            }
        }

        run.End = start;
        return null;
    }

    /// <summary>Why the experiment role may not do <paramref name="action"/> on <paramref name="resource"/>, or null when it may.</summary>
    private string? Refused(Experiment experiment, string action, string resource)
    {
        var role = iam.FindRole(experiment.Template.RoleArn)!;
        var session = CallerIdentity.ForRoleSession(role, experiment.Id);
        return authorizeAs(session, action, resource, experiment.Template.Region).Allowed
            ? null
            : $"{session.Arn} is not authorized to perform: {action} on resource: {resource}";
    }

    private MetricAlarm? Alarm(ExperimentTemplate template, string? arn) =>
        arn is not null && arn.StartsWith($"arn:aws:cloudwatch:{template.Region}:{template.AccountId}:alarm:", StringComparison.Ordinal)
            ? cloudWatch.FindAlarm(template.AccountId, template.Region, arn[(arn.LastIndexOf(":alarm:", StringComparison.Ordinal) + 7)..])
            : null;

    [GeneratedRegex(@"^arn:aws(-[a-z]+)?:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArnPattern();
}
