using CloudPatterns.Aws.Backup;
using CloudPatterns.Core.DisasterRecovery.Orchestration;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// Which recovery points a scheduled run of the DR-Orchestrator restores: its cap over every type, and DynamoDB's own
/// quota of 50 concurrent restores per account apart from it (docs/orchestrator.md).
/// </summary>
public sealed class ScheduledValidationTests
{
    private static List<RecoveryPointByBackupVault> Points(string type, int count, string prefix) =>
        Enumerable.Range(1, count).Select(i => new RecoveryPointByBackupVault { ResourceType = type, ResourceArn = $"{prefix}-{i}" }).ToList();

    [Fact]
    public void Pick_StartsEveryTypeUpToTheRunsCap_InOrder()
    {
        List<RecoveryPointByBackupVault> ordered = [.. Points("EBS", 120, "vol"), .. Points("DynamoDB", 40, "table"), .. Points("RDS", 40, "db")];

        (List<RecoveryPointByBackupVault> picked, int held) = ScheduledValidation.Pick(ordered, 200, 0);

        Assert.Equal(ordered.Select(p => p.ResourceArn), picked.Select(p => p.ResourceArn));
        Assert.Equal(0, held);
        Assert.Equal(150, ScheduledValidation.Pick(ordered, 150, 0).Picked.Count);
    }

    [Fact]
    public void Pick_PassesOverTablesBeyondDynamoDbsQuota_CountingThoseInFlight_AndFillsTheRunWithOtherTypes()
    {
        List<RecoveryPointByBackupVault> ordered = [.. Points("DynamoDB", 30, "table"), .. Points("EBS", 40, "vol")];

        (List<RecoveryPointByBackupVault> picked, int held) = ScheduledValidation.Pick(ordered, 40, 45);

        Assert.Equal(5, picked.Count(p => p.ResourceType == "DynamoDB"));
        Assert.Equal(["table-1", "table-2", "table-3", "table-4", "table-5"], picked.Where(p => p.ResourceType == "DynamoDB").Select(p => p.ResourceArn));
        Assert.Equal(35, picked.Count(p => p.ResourceType == "EBS"));
        Assert.Equal(40, picked.Count);
        Assert.Equal(25, held);
    }
}
