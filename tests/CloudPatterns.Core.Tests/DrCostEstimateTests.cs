using CloudPatterns.Core.MultiAz;
using CloudPatterns.Core.Pricing;

namespace CloudPatterns.Core.Tests;

public sealed class DrCostEstimateTests
{
    private static double Line(IReadOnlyList<CostLineItem> items, string prefix) => items.Single(i => i.Item.StartsWith(prefix, StringComparison.Ordinal)).MonthlyCost;

    [Fact]
    public void TheDefaultsPriceEachPartOfThePatternAndTotalThePatternAtRest()
    {
        IReadOnlyList<CostLineItem> items = DrCostEstimate.Estimate(new DrCostSettings(), new MultiAzStackSettings(), "us-west-2");

        Assert.Equal(200, Line(items, "Backup storage, warm"));
        Assert.Equal(12, Line(items, "Cross-region copy transfer"));
        Assert.Equal(36.5, Line(items, "Pilot light at rest: Transit Gateway"));
        Assert.Equal(Math.Round(0.0225 * 730, 2), Line(items, "Pilot light at rest: application load balancer"));
        Assert.Equal(5, Line(items, "KMS customer managed keys"));
        Assert.Equal(Math.Round(10000 * 0.5 * 5 * 0.0000166667, 2), Line(items, "Orchestrator: Lambda compute"));
        Assert.DoesNotContain(items, i => i.Item.StartsWith("Backup storage, cold", StringComparison.Ordinal));
        double atRest = items.Where(i => i.Item != "Total" && !i.Item.StartsWith("Pilot light scaled up", StringComparison.Ordinal)).Sum(i => i.MonthlyCost);
        Assert.Equal(Math.Round(atRest, 2), Math.Round(Line(items, "Total"), 2));
        Assert.InRange(Line(items, "Total"), 250, 300);
        Assert.Equal(MultiAzCostEstimate.Estimate(new MultiAzStackSettings(), "us-west-2").Last().MonthlyCost, Line(items, "Pilot light scaled up"));
        Assert.All(items, i => Assert.Equal("us-west-2", i.Region));
    }

    [Fact]
    public void EachInputChangesItsLine()
    {
        var settings = new DrCostSettings { WarmBackupGb = 1500, ColdBackupGb = 800, VaultCopies = 3, MonthlyCrossRegionGb = 100, MonthlyOrchestratorInvocations = 2_000_000 };
        IReadOnlyList<CostLineItem> items = DrCostEstimate.Estimate(settings, new MultiAzStackSettings { AzCount = 3, FrontendMinSize = 3 }, "eu-west-1");

        Assert.Equal(225, Line(items, "Backup storage, warm"));
        Assert.Equal(30, Line(items, "Backup storage, cold"));
        Assert.Equal(2, Line(items, "Cross-region copy transfer"));
        Assert.Equal(0.4, Line(items, "Orchestrator: Lambda requests"));
        Assert.Equal(2, Line(items, "Orchestrator: EventBridge"));
        Assert.Equal(0.57, Line(items, "Orchestrator: CloudWatch Logs ingestion"));
        Assert.True(Line(items, "Pilot light scaled up") > DrCostEstimate.Estimate(new DrCostSettings(), new MultiAzStackSettings(), "eu-west-1").Single(i => i.Item.StartsWith("Pilot light scaled up", StringComparison.Ordinal)).MonthlyCost);
    }

    [Fact]
    public void RefusesAnUnpricedRegionAndNamesEveryBadInput()
    {
        ArgumentException region = Assert.Throws<ArgumentException>(() => DrCostEstimate.Estimate(new DrCostSettings(), new MultiAzStackSettings(), "sa-east-1"));
        Assert.Contains("no prices for region 'sa-east-1'; priced regions: us-east-1, us-east-2, us-west-2, eu-west-1", region.Message, StringComparison.Ordinal);
        ArgumentException bad = Assert.Throws<ArgumentException>(() => DrCostEstimate.Estimate(new DrCostSettings { WarmBackupGb = -1, VaultCopies = 0 }, new MultiAzStackSettings(), "us-east-1"));
        Assert.Contains("-BackupStorageGB -1 is outside 0 to", bad.Message, StringComparison.Ordinal);
        Assert.Contains("-VaultCopyCount 0 is outside 1 to 100", bad.Message, StringComparison.Ordinal);
    }
}
