using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.MultiAz;
using CloudPatterns.Core.Pricing;

namespace CloudPatterns.Core.Tests;

/// <summary>The Multi-AZ pattern's pure logic: input validation, resilience rules over the bundled template, cost.</summary>
public sealed class MultiAzTests
{
    private const string Certificate = "arn:aws:acm:us-east-2:333333333333:certificate/abc";

    [Theory]
    [InlineData("10.0.0.0/16", null)]
    [InlineData("10.20.16.0/20", null)]
    [InlineData("10.0.0.0/24", "prefix /24")]
    [InlineData("10.0.0.1/16", "host bits set")]
    [InlineData("10.0.0/16", "not an IPv4 CIDR")]
    [InlineData("300.0.0.0/16", "not an IPv4 CIDR")]
    [InlineData("fd00::/16", "not an IPv4 CIDR")]
    public void CidrsAreCheckedForFormPrefixAndBoundary(string cidr, string? problem)
    {
        var found = MultiAzStackSettings.CidrProblem(cidr);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }

    [Theory]
    [InlineData("postgres", "postgres", false)]
    [InlineData("aurora-mysql", "aurora-mysql", false)]
    [InlineData("postgres", "mysql", true)]
    [InlineData("postgres", "aurora-postgresql", true)]
    [InlineData("aurora-postgresql", "postgres", true)]
    public void AnUpdateThatWouldReplaceTheDatabaseIsRefusedBeforeAnyChange(string deployed, string wanted, bool refused)
    {
        var before = MultiAzStackSettings.FromParameters(new Dictionary<string, string> { ["DbEngine"] = deployed });
        var after = MultiAzStackSettings.FromParameters(new Dictionary<string, string> { ["DbEngine"] = wanted });
        var error = Record.Exception(() => after.ValidateChangeFrom(before));
        if (!refused)
        {
            Assert.Null(error);
            return;
        }

        var problem = Assert.Single(Assert.IsType<InvalidMultiAzSettingsException>(error).Problems);
        Assert.Contains($"from '{deployed}' to '{wanted}'", problem, StringComparison.Ordinal);
        Assert.Contains("New-MultiAzStack", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesAzCountAndInstanceTypesAreCheckedTogether()
    {
        var settings = new MultiAzStackSettings { AzCount = 3, FrontendMinSize = 2, FrontendMaxSize = 1, BackendMinSize = 3, BackendMaxSize = 3, FrontendInstanceType = "large", CertificateArn = Certificate };

        var problems = settings.Problems();

        Assert.Contains(problems, p => p.StartsWith("FrontendMinSize 2 is below AzCount 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("FrontendMaxSize 1 is below FrontendMinSize 2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("FrontendMaxSize 1 leaves no room above AzCount 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("BackendMaxSize 3 leaves no room above AzCount 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("FrontendInstanceType 'large'", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
        Assert.Contains("AzCount 4 is not supported", Assert.Single(new MultiAzStackSettings { AzCount = 4, FrontendMinSize = 4, BackendMinSize = 4, CertificateArn = Certificate }.Problems()));
    }

    [Fact]
    public void ImageScalingMetricAndTargetsAreChecked()
    {
        var settings = new MultiAzStackSettings { CertificateArn = Certificate, ImageId = "ami-123", ImageParameter = "not a name", ScalingMetric = "Disk", TargetMemoryUtilization = 95 };

        var problems = settings.Problems();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ImageId 'ami-123' is not an AMI id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ImageParameter 'not a name' is not a Parameter Store name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ScalingMetric 'Disk' is not supported: give CPU, RequestCount, Memory", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TargetMemoryUtilization 95 is outside 10-90", StringComparison.Ordinal));
        Assert.Empty(new MultiAzStackSettings { CertificateArn = Certificate, ImageId = "ami-0123456789abcdef0", ScalingMetric = "Memory" }.Problems());
    }

    [Fact]
    public void DeployedParametersRoundTrip()
    {
        var settings = new MultiAzStackSettings
        {
            AzCount = 3, FrontendMinSize = 3, BackendMinSize = 4, BackendMaxSize = 6, CertificateArn = Certificate, CreateDbProxy = true,
            ScalingMetric = "RequestCount", TargetRequestCount = 500, ScaleInProtection = true, ImageId = "ami-0123456789abcdef0", EndToEndTls = true, SsmEndpoints = true,
        };

        var again = MultiAzStackSettings.FromParameters(settings.ToParameters());

        Assert.Equal(settings.ToParameters(), again.ToParameters());
        Assert.Equal(("4", "6", "ami-0123456789abcdef0"), (again.ToParameters()["BackendMinSize"], again.ToParameters()["BackendMaxSize"], again.ToParameters()["ImageIdOverride"]));
    }

    [Fact]
    public void AStackOfTemplateOneZeroKeepsItsSizesForBothTiers()
    {
        var old = MultiAzStackSettings.FromParameters(new Dictionary<string, string> { ["MinSize"] = "3", ["MaxSize"] = "7", ["AzCount"] = "3" });

        Assert.Equal((3, 7, 3, 7), (old.FrontendMinSize, old.FrontendMaxSize, old.BackendMinSize, old.BackendMaxSize));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void TheBundledTemplatePassesEveryRule(int azCount)
    {
        var checks = Evaluate(MultiAzStackSettings.Template.Body, azCount);

        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Rule}: {c.Detail}"));
        Assert.Equal(9, checks.Count);
    }

    [Fact]
    public void ASingleAzVariantFailsTheAvailabilityZoneRuleOnly()
    {
        var singleAz = MultiAzStackSettings.Template.Body.Replace("AvailabilityZone: !Select [1, !GetAZs '']", "AvailabilityZone: !Select [0, !GetAZs '']");

        var failed = Evaluate(singleAz, 2).Where(c => !c.Passed).ToList();

        var rule = Assert.Single(failed);
        Assert.Equal("MultipleAvailabilityZones", rule.Rule);
        Assert.Contains("-AzCount", rule.Remediation);
    }

    [Fact]
    public void AnOpenDatabaseSecurityGroupFailsTheChainingRule()
    {
        var open = MultiAzStackSettings.Template.Body.Replace(
            "          SourceSecurityGroupId: !Ref BackendSecurityGroup\n          Description: From the backend instances",
            "          CidrIp: 0.0.0.0/0\n          Description: From anywhere");

        var failed = Evaluate(open, 2).Where(c => !c.Passed).ToList();

        var rule = Assert.Single(failed);
        Assert.Equal("SecurityGroupChaining", rule.Rule);
        Assert.Contains("DatabaseSecurityGroup (tcp 5432-5432 from 0.0.0.0/0)", rule.Detail);
    }

    [Fact]
    public void TheEstimateIsPerLineItemDatedAndDoublesMultiAzDatabases()
    {
        var items = MultiAzCostEstimate.Estimate(new MultiAzStackSettings { AzCount = 3, FrontendMinSize = 3, BackendMinSize = 3, CertificateArn = Certificate }, "us-east-2");

        var database = Assert.Single(items, i => i.Item.StartsWith("RDS postgres db.t3.small Multi-AZ", StringComparison.Ordinal));
        Assert.Equal(Math.Round(0.036 * 730 * 2, 2), database.MonthlyCost);
        Assert.Equal(3, Assert.Single(items, i => i.Item.StartsWith("NAT gateways", StringComparison.Ordinal)).Quantity);
        Assert.Equal("Total", items[^1].Item);
        Assert.Equal(Math.Round(items.Take(items.Count - 1).Sum(i => i.MonthlyCost), 2), items[^1].MonthlyCost, 2);
        Assert.All(items, i => Assert.Equal(MultiAzCostEstimate.PriceTableDate, i.PriceTableDate));
        Assert.Throws<ArgumentException>(() => MultiAzCostEstimate.Estimate(new MultiAzStackSettings { FrontendInstanceType = "z9.huge" }, "us-east-2"));
        Assert.DoesNotContain(items, i => i.Unit == "GB");
    }

    [Fact]
    public void TrafficIsPricedAsInternetOutCrossAzTransferAndNatProcessing()
    {
        var settings = new MultiAzStackSettings { AzCount = 3, FrontendMinSize = 3, BackendMinSize = 3, CertificateArn = Certificate };

        var items = MultiAzCostEstimate.Estimate(settings, "us-east-2", new MonthlyTraffic(servedGb: 1200, natGb: 300));

        var crossAz = Assert.Single(items, i => i.Item.StartsWith("Cross-AZ data transfer", StringComparison.Ordinal));
        Assert.Equal((1600.0, 0.02, 32.0), (crossAz.Quantity, crossAz.UnitPrice, crossAz.MonthlyCost));
        Assert.Equal(Math.Round(1200 * 0.09, 2), Assert.Single(items, i => i.Item.StartsWith("Data transfer out", StringComparison.Ordinal)).MonthlyCost);
        var nat = Assert.Single(items, i => i.Item.StartsWith("NAT gateway data processing", StringComparison.Ordinal));
        Assert.Equal((300.0, Math.Round(300 * 0.045, 2)), (nat.Quantity, nat.MonthlyCost));
        var twoZones = MultiAzCostEstimate.Estimate(new MultiAzStackSettings { CertificateArn = Certificate }, "us-east-2", new MonthlyTraffic(1200, 0));
        Assert.Equal(1200.0, Assert.Single(twoZones, i => i.Item.StartsWith("Cross-AZ", StringComparison.Ordinal)).Quantity);
        Assert.DoesNotContain(twoZones, i => i.Item.StartsWith("NAT gateway data", StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonthlyTraffic(-1, 0));
    }

    [Fact]
    public void EachRegionIsPricedWithItsOwnPrices()
    {
        var settings = new MultiAzStackSettings { CertificateArn = Certificate };
        var traffic = new MonthlyTraffic(0, 100);
        double Cost(string region, string prefix) => Assert.Single(MultiAzCostEstimate.Estimate(settings, region, traffic), i => i.Item.StartsWith(prefix, StringComparison.Ordinal)).MonthlyCost;

        Assert.Equal(Math.Round(2 * 0.0208 * 730, 2), Cost("us-west-2", "Frontend instances"));
        Assert.Equal(Math.Round(2 * 0.0228 * 730, 2), Cost("eu-west-1", "Frontend instances"));
        Assert.Equal(Math.Round(2 * 0.0264 * 730, 2), Cost("ap-southeast-1", "Frontend instances"));
        Assert.Equal(Math.Round(2 * 0.059 * 730, 2), Cost("ap-southeast-1", "NAT gateways"));
        Assert.Equal(5.9, Cost("ap-southeast-1", "NAT gateway data processing"));
        Assert.Equal(Math.Round(0.038 * 730 * 2, 2), Cost("eu-west-1", "RDS postgres"));
        var unknown = Assert.Throws<ArgumentException>(() => MultiAzCostEstimate.Estimate(settings, "sa-east-1"));
        Assert.Contains("no prices for region 'sa-east-1'; priced regions: us-east-1, us-east-2, us-west-2, eu-west-1, ap-southeast-1", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAuroraEngineDefaultsToAuroraSmallestClassAndRefusesWhatAuroraLacks()
    {
        var aurora = new MultiAzStackSettings { DbEngine = "aurora-mysql", CertificateArn = Certificate };
        Assert.Equal("db.t4g.medium", aurora.DbInstanceClass);
        Assert.Equal("db.t3.small", new MultiAzStackSettings().DbInstanceClass);
        Assert.Empty(aurora.Problems());
        Assert.Equal(("aurora-mysql", "db.t4g.medium"), (MultiAzStackSettings.FromParameters(aurora.ToParameters()).DbEngine, MultiAzStackSettings.FromParameters(aurora.ToParameters()).DbInstanceClass));

        var wrong = new MultiAzStackSettings { DbEngine = "aurora-postgresql", DbInstanceClass = "db.t3.small", CreateReadReplica = true, CertificateArn = Certificate };

        var problems = wrong.Problems();
        Assert.Equal(2, problems.Count);
        Assert.Contains("DbInstanceClass 'db.t3.small' does not exist for aurora-postgresql", problems[0], StringComparison.Ordinal);
        Assert.Contains("CreateReadReplica is for postgres and mysql", problems[1], StringComparison.Ordinal);
        Assert.Contains("give postgres, mysql, aurora-postgresql, aurora-mysql", Assert.Single(new MultiAzStackSettings { DbEngine = "oracle-ee", CertificateArn = Certificate }.Problems()), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAuroraVariantPassesEveryRuleAndFailsMultiAzWithBothInstancesInOneZone()
    {
        Assert.All(Evaluate(MultiAzStackSettings.Template.Body, 2, "aurora-postgresql"), c => Assert.True(c.Passed, $"{c.Rule}: {c.Detail}"));
        var oneZone = MultiAzStackSettings.Template.Body.Replace("      AvailabilityZone: !Select [1, !GetAZs '']\n      PubliclyAccessible: false", "      AvailabilityZone: !Select [0, !GetAZs '']\n      PubliclyAccessible: false");
        Assert.NotEqual(MultiAzStackSettings.Template.Body, oneZone);

        var failed = Evaluate(oneZone, 2, "aurora-postgresql").Where(c => !c.Passed).ToList();

        var rule = Assert.Single(failed);
        Assert.Equal(("RdsMultiAz", "Databases without a standby in another AZ: DatabaseCluster"), (rule.Rule, rule.Detail));
    }

    [Fact]
    public void AnAuroraClusterIsPricedAsTwoInstancesAndItsSharedStorage()
    {
        var settings = new MultiAzStackSettings { DbEngine = "aurora-postgresql", CertificateArn = Certificate };

        var items = MultiAzCostEstimate.Estimate(settings, "us-east-2");

        var instances = Assert.Single(items, i => i.Item.StartsWith("Aurora aurora-postgresql db.t4g.medium", StringComparison.Ordinal));
        Assert.Equal((2.0, Math.Round(2 * 0.073 * 730, 2)), (instances.Quantity, instances.MonthlyCost));
        Assert.Equal(10.0, Assert.Single(items, i => i.Item.StartsWith("Aurora storage", StringComparison.Ordinal)).MonthlyCost);
        Assert.DoesNotContain(items, i => i.Item.StartsWith("RDS", StringComparison.Ordinal));
        Assert.Contains("db.t4g.medium", Assert.Throws<ArgumentException>(() => MultiAzCostEstimate.Estimate(settings, "eu-west-1")).Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<ResilienceCheck> Evaluate(string body, int azCount, string engine = "postgres")
    {
        var template = TemplateDocument.Parse(body);
        var values = template.ParameterValues(new Dictionary<string, string> { ["AzCount"] = azCount.ToString(System.Globalization.CultureInfo.InvariantCulture), ["FrontendMinSize"] = "3", ["BackendMinSize"] = "3", ["DbEngine"] = engine });
        return MultiAzResilience.Evaluate(template.Resources(values, "us-east-2", "333333333333"), "333333333333", "us-east-2", "web");
    }
}
