using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Fleet;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// What a failover, drill or failback will do, read before anything changes: the application's resources and the
/// latest recovery point of each in the DR vault, production's tier sizes, the pilot light, the failover records. Its
/// <see cref="Steps"/> are what -WhatIf lists; a problem found here stops the run before any change.
/// </summary>
public sealed class DrFailoverPlan
{
    /// <summary>The pilot-light template's outputs a failover uses.</summary>
    internal const string LoadBalancerDnsOutput = "LoadBalancerDnsName";
    internal const string LoadBalancerZoneOutput = "LoadBalancerHostedZoneId";
    internal const string TargetGroupOutput = "FrontendTargetGroupArn";
    internal const string RestoreRoleOutput = "RestoreRoleArn";
    internal const string DatabaseSubnetGroupOutput = "DatabaseSubnetGroupName";
    internal const string DatabaseSecurityGroupOutput = "DatabaseSecurityGroupId";
    internal const string DrillStackPrefix = "cloudpatterns-dr-drill-";

    private static readonly string[] TierGroups = { "FrontendAutoScalingGroup", "BackendAutoScalingGroup" };
    private static readonly string[] RequiredOutputs = { LoadBalancerDnsOutput, LoadBalancerZoneOutput, TargetGroupOutput };

    private DrFailoverPlan(DrFailoverRequest request, string runId)
    {
        Request = request;
        RunId = runId;
    }

    public DrFailoverRequest Request { get; }

    public string RunId { get; }

    public IReadOnlyList<DrFailoverStep> Steps { get; private set; } = Array.Empty<DrFailoverStep>();

    /// <summary>The application as evidence names it: its first stack's ARN.</summary>
    public string Application { get; private set; } = "";

    public IReadOnlyList<string> Warnings => warnings;

    internal List<(DrFailoverResource Resource, RecoveryPointByBackupVault Point, RestorableKind Kind)> Restores { get; } = new();

    internal PatternStack PilotLight { get; private set; } = null!;

    /// <summary>A failback's resources to bring back from the DR account (<see cref="DrCopyBack"/>), and where to.</summary>
    internal List<DrCopyBack.Item> CopyBacks { get; } = new();

    internal DrCopyBack.Destination? CopyBackTo { get; private set; }

    /// <summary>Where production's database lives (its stack's DB subnet group and database security group), keyed as the pilot light's outputs: a failback restores there.</summary>
    internal Dictionary<string, string> ProductionNetwork { get; } = new(StringComparer.Ordinal);

    /// <summary>Instances per tier (min, desired) to scale the DR copy to: production's.</summary>
    internal (int Min, int Desired) Frontend { get; private set; }

    internal (int Min, int Desired) Backend { get; private set; }

    /// <summary>Production's frontend target groups: healthy before a failback moves traffic back.</summary>
    internal List<string> ProductionTargetGroups { get; } = new();

    internal TrafficSwitch? Traffic { get; private set; }

    internal string DrillStackName => DrillStackPrefix + Tail;

    internal string Endpoint => PilotLight.Outputs[LoadBalancerDnsOutput];

    internal string Tail => RunId.Substring(RunId.Length - 6);

    private readonly List<string> warnings = new();

    /// <summary>A run id (sortable time, then random), as evidence runs have, for runs that write no evidence.</summary>
    public static string NewRunId() => DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);

    public static async Task<DrFailoverPlan> CreateAsync(AwsSession session, DrFailoverRequest request, string runId, CancellationToken cancellationToken)
    {
        var plan = new DrFailoverPlan(request, runId);
        var problems = new List<string>();
        AwsTarget source = await session.GetTargetAsync(request.SourceAccountId, request.SourceRegion, cancellationToken).ConfigureAwait(false);
        AwsTarget dr = await session.GetTargetAsync(request.DrAccountId, request.DrRegion, cancellationToken).ConfigureAwait(false);
        var sourceArns = await plan.ReadApplicationAsync(source, problems, cancellationToken).ConfigureAwait(false);
        await plan.ReadPilotLightAsync(dr, problems, cancellationToken).ConfigureAwait(false);
        if (request.Mode != DrFailoverMode.Failback)
        {
            await plan.ReadRecoveryPointsAsync(dr, sourceArns, problems, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var (items, to) = await DrCopyBack.ReadAsync(source, dr, sourceArns, plan.Tail, problems, cancellationToken).ConfigureAwait(false);
            plan.CopyBacks.AddRange(items);
            plan.CopyBackTo = to;
        }

        if (request.HostedZoneId is { } zone)
        {
            if (request.Mode != DrFailoverMode.Drill && problems.Count == 0)
            {
                AwsTarget zoneOwner = await session.GetTargetAsync(request.HostedZoneAccountId ?? request.SourceAccountId, request.SourceRegion, cancellationToken).ConfigureAwait(false);
                plan.Traffic = await TrafficSwitch.ReadAsync(zoneOwner, zone, request.RecordName!, plan.Endpoint, plan.PilotLight.Outputs[LoadBalancerZoneOutput], problems, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (request.Mode == DrFailoverMode.Failback)
        {
            problems.Add("A failback moves traffic back through the failover records: give -HostedZoneId and -RecordName (with the zone not ours, point the name back at production yourself).");
        }

        if (problems.Count > 0)
        {
            throw new PreflightException(problems);
        }

        plan.Steps = plan.Describe();
        return plan;
    }

    /// <summary>The application's restorable resources (their ARNs) and production's tier sizes.</summary>
    private async Task<HashSet<string>> ReadApplicationAsync(AwsTarget source, List<string> problems, CancellationToken cancellationToken)
    {
        var stacks = new StackDeployment(source);
        var arns = new HashSet<string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string stackName in Request.StackNames)
        {
            PatternStack? stack = await stacks.DescribeAsync(stackName, cancellationToken).ConfigureAwait(false);
            if (stack is null)
            {
                problems.Add($"Stack {stackName} does not exist in {Request.SourceAccountId} {Request.SourceRegion}.");
                continue;
            }

            Application = Application.Length == 0 ? stack.StackId : Application;
            string partition = AwsArn.TryParse(stack.StackId)?.Partition ?? "aws";
            foreach (DeployedResource resource in await stacks.GetResourcesAsync(stackName, cancellationToken).ConfigureAwait(false))
            {
                if (resource.PhysicalResourceId is not { } id)
                {
                    continue;
                }

                if (ResourceArn(partition, resource.ResourceType, id) is { } arn)
                {
                    arns.Add(arn);
                }
                else if (resource.ResourceType == "AWS::RDS::DBSubnetGroup")
                {
                    ProductionNetwork[DatabaseSubnetGroupOutput] = id;
                }
                else if (resource.LogicalResourceId == "DatabaseSecurityGroup")
                {
                    ProductionNetwork[DatabaseSecurityGroupOutput] = id;
                }
                else if (resource.ResourceType == "AWS::AutoScaling::AutoScalingGroup" && TierGroups.Contains(resource.LogicalResourceId))
                {
                    groups[resource.LogicalResourceId] = id;
                }
            }
        }

        if (groups.Count > 0)
        {
            var described = (await source.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = groups.Values.ToList() }, cancellationToken).ConfigureAwait(false)).AutoScalingGroups;
            (int, int) Size(string logicalId) => groups.TryGetValue(logicalId, out var name) && described.FirstOrDefault(g => g.AutoScalingGroupName == name) is { } group
                ? (group.MinSize ?? 0, group.DesiredCapacity ?? 0)
                : (0, 0);
            Frontend = Size(TierGroups[0]);
            Backend = Size(TierGroups[1]);
            if (groups.TryGetValue(TierGroups[0], out var frontend))
            {
                ProductionTargetGroups.AddRange(described.Where(g => g.AutoScalingGroupName == frontend).SelectMany(g => g.TargetGroupARNs));
            }
        }

        if (Request.DesiredCapacity is { } capacity)
        {
            Frontend = (capacity, capacity);
            Backend = (capacity, capacity);
        }
        else if (Request.Mode != DrFailoverMode.Failback && Frontend.Desired == 0 && Application.Length > 0)
        {
            problems.Add($"The application's stacks ({string.Join(", ", Request.StackNames)}) have no FrontendAutoScalingGroup with instances to size the DR copy by; give -DesiredCapacity.");
        }

        return arns;
    }

    private async Task ReadPilotLightAsync(AwsTarget dr, List<string> problems, CancellationToken cancellationToken)
    {
        PatternStack? pilotLight = await new StackDeployment(dr).DescribeAsync(Request.PilotLightStackName, cancellationToken).ConfigureAwait(false);
        if (pilotLight is null)
        {
            problems.Add($"The pilot light {Request.PilotLightStackName} is not deployed in {Request.DrAccountId} {Request.DrRegion}: run Set-CrossAccountBackup -DrAccountId {Request.DrAccountId} -DrRegion {Request.DrRegion}.");
            return;
        }

        if (RequiredOutputs.Where(output => !pilotLight.Outputs.ContainsKey(output)).ToList() is { Count: > 0 } missing)
        {
            problems.Add($"The pilot light {Request.PilotLightStackName} in {Request.DrAccountId} {Request.DrRegion} has no {string.Join(", ", missing)} output: it predates the scale-out pieces; run Set-CrossAccountBackup again to update it.");
            return;
        }

        PilotLight = pilotLight;
    }

    /// <summary>The latest recovery point of each resource in the DR vault; a resource with none is a warning, none at all a problem.</summary>
    private async Task ReadRecoveryPointsAsync(AwsTarget dr, HashSet<string> sourceArns, List<string> problems, CancellationToken cancellationToken)
    {
        if (sourceArns.Count == 0)
        {
            problems.Add($"The application's stacks ({string.Join(", ", Request.StackNames)}) hold no resource AWS Backup restores here ({string.Join(", ", RestorableKind.SupportedTypes)}).");
            return;
        }

        var points = await Transient.RetryAsync(
            token => RestoreSteps.LatestPointsAsync(dr, Request.BackupVaultName, DateTime.UtcNow.AddYears(-1), point => sourceArns.Contains(point.ResourceArn!), token),
            cancellationToken).ConfigureAwait(false);
        int index = 0;
        foreach (RecoveryPointByBackupVault point in points)
        {
            RestorableKind kind = RestorableKind.For(point.ResourceType)!;
            string sourceName = AwsArn.TryParse(point.ResourceArn)?.ResourceName ?? "resource";
            var resource = new DrFailoverResource
            {
                SourceResourceArn = point.ResourceArn!,
                ResourceType = kind.ResourceType,
                RecoveryPointArn = point.RecoveryPointArn!,
                CapturedAt = AchievableRpo.CapturedAt(point.RecoveryPointArn, point.CreationDate, point.CompletionDate),
                // A drill's restores are its own (the run's tail); a failover's carry the source's name, so a rerun finds them.
                RestoredName = Request.Mode == DrFailoverMode.Drill ? $"drill-{Tail}-{++index}" : FailoverName(sourceName),
                Status = "Planned",
            };
            Restores.Add((resource, point, kind));
        }

        foreach (string missing in sourceArns.Where(arn => points.All(point => point.ResourceArn != arn)))
        {
            warnings.Add($"{missing} has no recovery point in vault {Request.BackupVaultName} of {Request.DrAccountId} {Request.DrRegion}; it is not restored.");
        }

        if (points.Count == 0)
        {
            problems.Add($"Vault {Request.BackupVaultName} in {Request.DrAccountId} {Request.DrRegion} holds no completed recovery point of the application's resources ({string.Join(", ", sourceArns)}); copies reach it through the DR-Orchestrator (docs/orchestrator.md).");
        }
    }

    private List<DrFailoverStep> Describe()
    {
        var steps = new List<DrFailoverStep>();
        string dr = Request.DrAccountId, region = Request.DrRegion;
        DrFailoverStep Step(string name, string target, string action) => new(name, dr, region, target, action);
        string sizes = $"frontend {Frontend.Desired}, backend {Backend.Desired} instance(s)";
        foreach (var (resource, point, _) in Restores)
        {
            steps.Add(Step(DrFailoverSteps.Restore, $"{resource.ResourceType} {resource.SourceResourceArn}",
                $"Restore recovery point {point.RecoveryPointArn} (captured {resource.CapturedAt:u}) as {resource.RestoredName}"));
        }

        switch (Request.Mode)
        {
            case DrFailoverMode.Failover:
                steps.Add(Step(DrFailoverSteps.Scale, $"stack {Request.PilotLightStackName}", $"Scale the pilot light to production's size: {sizes}"));
                steps.Add(Step(DrFailoverSteps.WaitHealthy, $"load balancer {Endpoint}", $"Wait until {Frontend.Desired} target(s) are healthy"));
                steps.Add(Traffic is null
                    ? Step(DrFailoverSteps.SwitchTraffic, $"endpoint {Endpoint}", "Return the DR endpoint (no hosted zone given: point the application's name at it)")
                    : Step(DrFailoverSteps.SwitchTraffic, Traffic.Describe(), $"Make {Endpoint} the PRIMARY answer, once the DR side is healthy"));
                break;
            case DrFailoverMode.Drill:
                steps.Add(Step(DrFailoverSteps.CreateDrillCopy, $"stack {DrillStackName}", $"Create an isolated copy of the pilot light (its own VPC, no traffic) at {sizes}"));
                steps.Add(Step(DrFailoverSteps.WaitHealthy, $"stack {DrillStackName}", $"Wait until {Frontend.Desired} target(s) are healthy"));
                steps.Add(Step(DrFailoverSteps.Check, $"stack {DrillStackName}", "Check the restored resources are available and the targets healthy"));
                steps.Add(Step(DrFailoverSteps.TearDown, $"stack {DrillStackName}", $"Delete the copy and the {Restores.Count} restored resource(s)"));
                steps.Add(Step(DrFailoverSteps.RecordEvidence, "the evidence bucket", "Write the drill's signed evidence record (kind drill)"));
                break;
            case DrFailoverMode.Failback:
                steps.Add(new DrFailoverStep(DrFailoverSteps.CheckProduction, Request.SourceAccountId, Request.SourceRegion, $"target groups {string.Join(", ", ProductionTargetGroups)}", "Check production serves (a healthy target)"));
                foreach (DrCopyBack.Item item in CopyBacks)
                {
                    steps.Add(Step(DrFailoverSteps.CopyBack, $"{item.Kind.ResourceType} {item.DrResourceArn}",
                        $"Back up what changed in the DR account, copy it to vault {CopyBackTo?.VaultName} of {Request.SourceAccountId} {Request.SourceRegion} and restore it there as {item.ProductionName} (then point the application at it yourself)"));
                }

                steps.Add(Step(DrFailoverSteps.SwitchTraffic, Traffic!.Describe(), "Make production the PRIMARY answer again"));
                steps.Add(Step(DrFailoverSteps.ScaleDown, $"stack {Request.PilotLightStackName}", "Scale the pilot light back to zero"));
                break;
        }

        return steps;
    }

    /// <summary>The ARN AWS Backup names a stack's resource by (a recovery point's ResourceArn); null for types it does not restore here.</summary>
    private string? ResourceArn(string partition, string resourceType, string physicalId) => resourceType switch
    {
        "AWS::RDS::DBInstance" => $"arn:{partition}:rds:{Request.SourceRegion}:{Request.SourceAccountId}:db:{physicalId}",
        "AWS::DynamoDB::Table" => $"arn:{partition}:dynamodb:{Request.SourceRegion}:{Request.SourceAccountId}:table/{physicalId}",
        "AWS::EC2::Volume" => $"arn:{partition}:ec2:{Request.SourceRegion}:{Request.SourceAccountId}:volume/{physicalId}",
        _ => null,
    };

    /// <summary>The name a failover restores a resource under in the DR account: its source's, so a rerun and the failback find it.</summary>
    internal static string FailoverName(string sourceName) => Truncate("dr-" + sourceName, 63);

    internal static string Truncate(string value, int length) => value.Length <= length ? value : value.Substring(0, length);
}

/// <summary>The names of the steps, in the plan and in the timeline.</summary>
public static class DrFailoverSteps
{
    public const string Restore = "Restore";
    public const string Scale = "Scale";
    public const string CreateDrillCopy = "CreateDrillCopy";
    public const string WaitHealthy = "WaitHealthy";
    public const string Check = "Check";
    public const string SwitchTraffic = "SwitchTraffic";
    public const string TearDown = "TearDown";
    public const string RecordEvidence = "RecordEvidence";
    public const string CheckProduction = "CheckProduction";
    public const string CopyBack = "CopyBack";
    public const string ScaleDown = "ScaleDown";
}
