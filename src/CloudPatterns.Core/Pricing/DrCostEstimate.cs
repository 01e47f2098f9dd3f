using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Core.MultiAz;

namespace CloudPatterns.Core.Pricing;

/// <summary>What the DR pattern keeps and does in a month, for <see cref="DrCostEstimate"/>. Defaults: docs/dr-cost.md.</summary>
public sealed class DrCostSettings
{
    /// <summary>GB of backups each vault keeps in warm storage (what AWS Backup bills: the first full copy and the increments).</summary>
    public double WarmBackupGb { get; set; } = 1000;

    /// <summary>GB of backups each vault keeps in cold storage (after a lifecycle transition; 90 days at least).</summary>
    public double ColdBackupGb { get; set; }

    /// <summary>Vaults holding a copy: the member's own, the central vault in the primary and the DR region, the DR account's.</summary>
    public int VaultCopies { get; set; } = 4;

    /// <summary>GB copied from the primary to the DR region a month (the new recovery points' size).</summary>
    public double MonthlyCrossRegionGb { get; set; } = 600;

    /// <summary>Orchestrator Lambda invocations a month (copy-completed events, schedules, validations).</summary>
    public double MonthlyOrchestratorInvocations { get; set; } = 10000;

    public int OrchestratorMemoryMb { get; set; } = 512;

    public double OrchestratorSecondsPerInvocation { get; set; } = 5;

    /// <summary>GB of orchestrator logs a month; kept a year.</summary>
    public double MonthlyLogGb { get; set; } = 1;

    /// <summary>Customer managed keys: central vault in both regions, evidence signing, DR vault, alerts.</summary>
    public int KmsKeys { get; set; } = 5;

    /// <summary>The alarms of templates/disaster-recovery/dr-monitoring.yaml.</summary>
    public int Alarms { get; set; } = 6;

    public void Validate()
    {
        var bad = new List<string>();
        void Check(string name, double value, double min, double max)
        {
            if (double.IsNaN(value) || value < min || value > max)
            {
                bad.Add($"{name} {value} is outside {min} to {max}");
            }
        }

        Check("-BackupStorageGB", WarmBackupGb, 0, 1e9);
        Check("-ColdStorageGB", ColdBackupGb, 0, 1e9);
        Check("-VaultCopyCount", VaultCopies, 1, 100);
        Check("-MonthlyCrossRegionGB", MonthlyCrossRegionGb, 0, 1e9);
        Check("-MonthlyOrchestratorInvocations", MonthlyOrchestratorInvocations, 0, 1e12);
        if (bad.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", bad) + ".");
        }
    }
}

/// <summary>
/// A monthly estimate of the DR pattern in one region from the dated price table shipped in this assembly
/// (docs/dr-cost.md): backup storage per vault copy (warm and cold), cross-region copy transfer, the orchestrator
/// (Lambda, EventBridge, CloudWatch Logs), the pilot light at rest (Transit Gateway attachment, idle load balancer,
/// keys, alarms and dashboard), and, outside the total, the pilot light scaled up to the production stack's size.
/// </summary>
public static class DrCostEstimate
{
    private static readonly PriceTable Table = new("CloudPatterns.Core.Pricing.dr-prices.json");

    public static string PriceTableDate => Table.Date;

    /// <param name="scaledUp">The production stack the pilot light scales up to, priced in <paramref name="region"/>.</param>
    public static IReadOnlyList<CostLineItem> Estimate(DrCostSettings settings, MultiAzStackSettings scaledUp, string region, MonthlyTraffic? traffic = null)
    {
        settings.Validate();
        var prices = Table.RegionPrices(region);
        double Price(string name) => Table.Price(prices, name);
        var hours = Price("hoursPerMonth");
        var items = new List<CostLineItem>();
        void Add(string item, double quantity, string unit, double unitPrice) =>
            items.Add(new CostLineItem(null, null, region, item, quantity, unit, unitPrice, quantity * unitPrice, Table.Date, Table.Currency));

        Add($"Backup storage, warm ({settings.VaultCopies} vault copies of {settings.WarmBackupGb} GB)", settings.VaultCopies * settings.WarmBackupGb, "GB-month", Price("backupWarmGbMonth"));
        if (settings.ColdBackupGb > 0)
        {
            Add($"Backup storage, cold ({settings.VaultCopies} vault copies of {settings.ColdBackupGb} GB; 90 days minimum)", settings.VaultCopies * settings.ColdBackupGb, "GB-month", Price("backupColdGbMonth"));
        }

        Add("Cross-region copy transfer (central vault to the DR region)", settings.MonthlyCrossRegionGb, "GB", Price("crossRegionTransferGb"));
        Add("Orchestrator: Lambda requests", settings.MonthlyOrchestratorInvocations / 1e6, "million requests", Price("lambdaRequestsPerMillion"));
        Add($"Orchestrator: Lambda compute ({settings.OrchestratorMemoryMb} MB, {settings.OrchestratorSecondsPerInvocation} s each)",
            settings.MonthlyOrchestratorInvocations * settings.OrchestratorMemoryMb / 1024.0 * settings.OrchestratorSecondsPerInvocation, "GB-second", Price("lambdaGbSecond"));
        Add("Orchestrator: EventBridge schedules and custom events (AWS service events are free)", settings.MonthlyOrchestratorInvocations / 1e6, "million events", Price("eventsPerMillion"));
        Add("Orchestrator: CloudWatch Logs ingestion", settings.MonthlyLogGb, "GB", Price("logsIngestionGb"));
        Add("Orchestrator: CloudWatch Logs storage (a year of logs)", settings.MonthlyLogGb * 12, "GB-month", Price("logsStorageGbMonth"));
        Add("Pilot light at rest: Transit Gateway attachment of the DR VPC", 1, "attachment-month", Price("transitGatewayAttachmentHour") * hours);
        Add("Pilot light at rest: application load balancer with no targets", 1, "load-balancer-month",
            MultiAzCostEstimate.Prices.Price(MultiAzCostEstimate.Prices.RegionPrices(region), "loadBalancerHour") * hours);
        Add("KMS customer managed keys (central vault in both regions, evidence signing, DR vault, alerts)", settings.KmsKeys, "key-month", Price("kmsKeyMonth"));
        Add($"Monitoring: CloudWatch alarms ({settings.Alarms})", settings.Alarms, "alarm-month", Price("cloudWatchAlarmMonth"));
        Add("Monitoring: CloudWatch dashboard", 1, "dashboard-month", Price("cloudWatchDashboardMonth"));

        double total = items.Sum(item => item.MonthlyCost);
        items.Add(new CostLineItem(null, null, region, "Total", 1, "month", total, total, Table.Date, Table.Currency));
        double full = MultiAzCostEstimate.Estimate(scaledUp, region, traffic).Last().MonthlyCost;
        items.Add(new CostLineItem(null, null, region, $"Pilot light scaled up to full capacity (the Multi-AZ stack in {region}, a month while failed over; not in Total)", 1, "month", full, full, MultiAzCostEstimate.PriceTableDate, Table.Currency));
        return items;
    }
}
