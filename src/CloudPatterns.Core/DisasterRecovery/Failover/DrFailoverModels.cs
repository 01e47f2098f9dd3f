using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>What Invoke-DrFailover does (docs/dr-failover.md, "Failover, drill, failback").</summary>
public enum DrFailoverMode
{
    /// <summary>Restore in the DR account, scale the pilot light, wait for health, then move traffic.</summary>
    Failover,

    /// <summary>The same into an isolated copy that takes no traffic: checked, timed, torn down, written as evidence.</summary>
    Drill,

    /// <summary>Once production is healthy: copy back what changed, move traffic back, scale the pilot light to zero.</summary>
    Failback,
}

/// <summary>The application and the DR side a failover, drill or failback works on.</summary>
public sealed class DrFailoverRequest
{
    public DrFailoverMode Mode { get; set; }

    /// <summary>Production: the account and region the application runs in.</summary>
    public string SourceAccountId { get; set; } = "";

    public string SourceRegion { get; set; } = "";

    /// <summary>The application's stacks in production (a Multi-AZ stack from Get-PatternStack, or those a tag selects).</summary>
    public IReadOnlyList<string> StackNames { get; set; } = Array.Empty<string>();

    public string DrAccountId { get; set; } = "";

    public string DrRegion { get; set; } = "";

    /// <summary>The DR account's vault the copies arrive in (the pilot light's).</summary>
    public string BackupVaultName { get; set; } = CrossAccountBackupSetup.PilotLightVaultName;

    public string PilotLightStackName { get; set; } = CrossAccountBackupSetup.PilotLightStack;

    /// <summary>The public hosted zone whose failover records send users to the application; null when the zone is not ours.</summary>
    public string? HostedZoneId { get; set; }

    /// <summary>The account that owns the zone; the production account when null.</summary>
    public string? HostedZoneAccountId { get; set; }

    /// <summary>The name of the failover record pair (www.example.com).</summary>
    public string? RecordName { get; set; }

    /// <summary>Instances per tier instead of production's (the pilot light's tiers are frontend and backend).</summary>
    public int? DesiredCapacity { get; set; }

    public TimeSpan RtoTarget { get; set; } = AchievableRpo.DefaultTarget;

    public TimeSpan RpoTarget { get; set; } = AchievableRpo.DefaultTarget;

    /// <summary>How long to wait between reads while restores run and targets become healthy.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the DR side may take to become healthy (restores, capacity, targets) before the run gives up without moving traffic.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The restore role (service-role path); the pilot light's RestoreRoleArn output when null.</summary>
    public string? IamRoleArn { get; set; }

    public string ToolVersion { get; set; } = "";
}

/// <summary>One step of the plan, as -WhatIf lists it.</summary>
public sealed class DrFailoverStep
{
    public DrFailoverStep(string name, string accountId, string region, string target, string action)
    {
        Name = name;
        AccountId = accountId;
        Region = region;
        Target = target;
        Action = action;
    }

    /// <summary>Restore, Scale, CreateDrillCopy, WaitHealthy, Check, SwitchTraffic, TearDown, CopyBack, ScaleDown, RecordEvidence.</summary>
    public string Name { get; }

    public string AccountId { get; }

    public string Region { get; }

    public string Target { get; }

    public string Action { get; }
}

/// <summary>A resource of the application and the recovery point it is restored from.</summary>
public sealed class DrFailoverResource
{
    public string SourceResourceArn { get; set; } = "";

    public string ResourceType { get; set; } = "";

    public string RecoveryPointArn { get; set; } = "";

    /// <summary>When the point's data was captured (a continuous backup's latest run).</summary>
    public DateTime? CapturedAt { get; set; }

    /// <summary>The name the restore gets in the DR account.</summary>
    public string RestoredName { get; set; } = "";

    public string? RestoreJobId { get; set; }

    public string? RestoredResourceArn { get; set; }

    public string Status { get; set; } = "";
}

/// <summary>One step as it ran: its start and end on the run's clock (LocalCloud's simulated clock in the sandbox).</summary>
public sealed class DrTimelineStep
{
    public string Name { get; set; } = "";

    public string Detail { get; set; } = "";

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>Passed, Failed, Skipped or Aborted.</summary>
    public string Outcome { get; set; } = "";
}

/// <summary>What a failover, drill or failback did, step by step, with the achieved RTO and RPO against their targets.</summary>
public sealed class DrFailoverTimeline
{
    public DrFailoverMode Mode { get; set; }

    /// <summary>The DR account and region (the failback's too: where the pilot light is).</summary>
    public string AccountId { get; set; } = "";

    public string Region { get; set; } = "";

    public string SourceAccountId { get; set; } = "";

    public string SourceRegion { get; set; } = "";

    public string Application { get; set; } = "";

    public string RunId { get; set; } = "";

    /// <summary>Succeeded, Failed or Aborted.</summary>
    public string Status { get; set; } = "";

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    public List<DrTimelineStep> Steps { get; set; } = new();

    public List<DrFailoverResource> Resources { get; set; } = new();

    /// <summary>From the start until traffic moved (failover, failback) or the copy was healthy (drill).</summary>
    public TimeSpan? Rto { get; set; }

    public TimeSpan RtoTarget { get; set; }

    /// <summary>How old the restored data was when the run started: the oldest of the recovery points used.</summary>
    public TimeSpan? Rpo { get; set; }

    public TimeSpan RpoTarget { get; set; }

    public bool RtoMet => Rto is { } rto && rto <= RtoTarget;

    public bool RpoMet => Rpo is { } rpo && rpo <= RpoTarget;

    /// <summary>The DR load balancer's DNS name: where traffic goes (or should go, when the zone is not ours).</summary>
    public string? Endpoint { get; set; }

    public bool TrafficSwitched { get; set; }

    /// <summary>The drill copy's stack (torn down at the end).</summary>
    public string? DrillStackName { get; set; }

    public string? EvidenceBucket { get; set; }

    public string? EvidenceKey { get; set; }

    public string[] Warnings { get; set; } = Array.Empty<string>();

    public DrTimelineStep? Step(string name) => Steps.FirstOrDefault(step => step.Name == name);
}
