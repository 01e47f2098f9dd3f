using System.Text.RegularExpressions;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// The audit report of four months of generated evidence (restore validations and a drill of kind drill), written
/// through the evidence writer to LocalCloud's S3 with Object Lock, signed with a KMS key, verified, then reported:
/// period, coverage per account, monthly trends, drills, human-readable durations, controls. The HTML is opened in
/// headless Chromium with the network cut off.
/// </summary>
public sealed class AuditReportTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private const string Production = LocalCloudFixture.ProductionAccountId;
    private const string Staging = LocalCloudFixture.StagingAccountId;
    private const string Topic = "arn:aws:sns:us-east-2:222222222222:dr-alerts";
    private static readonly string Orders = $"arn:aws:dynamodb:us-east-2:{Production}:table/orders";
    private static readonly string Payments = $"arn:aws:dynamodb:us-east-2:{Production}:table/payments";
    private static readonly string Database = $"arn:aws:rds:us-east-2:{Production}:db:shop";
    private static readonly string Volume = $"arn:aws:ec2:us-east-2:{Production}:volume/vol-0a1b2c3d4e5f60718";
    private static readonly string StagingTable = $"arn:aws:dynamodb:us-east-2:{Staging}:table/orders";
    private static readonly DateTime From = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2026, 4, 30, 23, 59, 59, DateTimeKind.Utc);

    private readonly LocalCloudFixture cloud;
    private readonly string bucket = "audit-" + Guid.NewGuid().ToString("N").Substring(0, 12);
    private AwsSession session = null!;
    private AwsTarget target = null!;
    private string keyArn = "";

    public AuditReportTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync()
    {
        session = await AwsSession.CreateAsync(cloud.ManagementSettings());
        target = await session.GetTargetAsync(LocalCloudFixture.LogArchiveAccountId);
        await target.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true, BucketRegionName = target.Region });
        keyArn = (await target.Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.Arn;
    }

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FourMonthsOfEvidenceGiveTheirTrendsWithTheEmptyMonthAsAGap()
    {
        AuditReport report = await GeneratedReportAsync();

        Assert.Equal(new[] { "2026-01", "2026-02", "2026-03", "2026-04" }, report.Trends.Select(t => t.Month));
        Assert.Equal(new double?[] { 1, null, 0.5, 1 }, report.Trends.Select(t => t.SuccessRate));
        Assert.Equal(new[] { 2, 0, 2, 1 }, report.Trends.Select(t => t.Validations));
        Assert.Equal(new TimeSpan?[] { TimeSpan.FromMinutes(40), null, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(75) }, report.Trends.Select(t => t.RtoMax));
        Assert.Equal(5, report.Validations);
        Assert.Equal(4, report.Passed);
        Assert.True(report.ChainIntact);
        Assert.Equal("2026-01-01 00:00:00Z to 2026-04-30 23:59:59Z", report.PeriodText);
    }

    [Fact]
    public async Task DrillsAreKeptApartFromValidationsWithTheirTimeline()
    {
        AuditReport report = await GeneratedReportAsync();

        AuditEvidence drill = Assert.Single(report.Drills);
        Assert.Equal(EvidenceKind.Drill, drill.Kind);
        Assert.True(drill.Verified, drill.Reason);
        Assert.Equal(new[] { "Restore", "Scale pilot light", "Health check", "Tear down" }, drill.Timeline.Select(s => s.Name));
        Assert.Equal(TimeSpan.FromMinutes(42), drill.Rto);
        Assert.DoesNotContain(drill, report.ValidationRecords);
        string html = report.ToHtml();
        string drills = Section(html, "drills");
        Assert.Contains("42 min 00 s", drills, StringComparison.Ordinal);
        Assert.Contains("Scale pilot light: 10:05:00, 12 min 00 s", drills, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\d:\d\d:\d\d\.\d", html);
        Assert.DoesNotContain(">00:42:00<", html, StringComparison.Ordinal);
        Assert.Contains("1 h 15 min", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoverageListsPerAccountWhatIsProtectedAndWhatWasValidated()
    {
        AuditReport report = await GeneratedReportAsync();

        AuditCoverage coverage = report.Coverage!;
        Assert.Equal((5, 2), (coverage.Protected, coverage.Validated));
        AuditCoverageAccount production = coverage.Accounts.Single(a => a.AccountId == Production);
        Assert.Equal(new[] { Orders, Database }.OrderBy(a => a, StringComparer.Ordinal), production.Validated.OrderBy(a => a, StringComparer.Ordinal));
        Assert.Equal(new[] { Payments }, production.FailedOnly);
        Assert.Equal(new[] { Volume }, production.NotValidated);
        Assert.Equal(new[] { StagingTable }, coverage.Accounts.Single(a => a.AccountId == Staging).NotValidated);
        UnreadableCoverageTarget unreadable = Assert.Single(coverage.Unreadable);
        Assert.Equal(("666666666666", "us-west-2"), (unreadable.AccountId, unreadable.Region));
        string section = Section(report.ToHtml(), "coverage");
        Assert.Contains("2 of 5 protected resources", section, StringComparison.Ordinal);
        Assert.Contains(Volume, section, StringComparison.Ordinal);
        Assert.Contains("666666666666 us-west-2: AccessDenied", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlsFollowTheEvidenceOfThePeriod()
    {
        AuditReport report = await GeneratedReportAsync();

        Dictionary<string, bool> supported = report.Controls.ToDictionary(c => c.Control, c => c.Supported);
        Assert.True(supported["A1.2"]);
        Assert.True(supported["A1.3"]);
        Assert.True(supported["CC7.5"], "the one failure was alerted");
        Assert.False(supported["A.5.30"], "4 of 5 validations passed: 80% is under 95%");
        Assert.True(supported["A.8.13"]);
        Assert.Contains("1 of 1 DR drills passed", report.Controls.Single(c => c.Control == "A1.3").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void NoValidationsInThePeriodSupportNoControl()
    {
        AuditReport report = AuditReport.Build(Array.Empty<AuditEvidence>(), To, "evidence", From, To);

        Assert.All(report.Controls, c => Assert.False(c.Supported, $"{c.Control} must not pass without evidence"));
        Assert.Equal(4, report.Trends.Count);
        Assert.All(report.Trends, month => Assert.Equal((0, null), (month.Validations, month.SuccessRate)));
        Assert.Contains("Evidence chain: NO EVIDENCE", report.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureThatAlertedNobodyFailsTheMonitoringControls()
    {
        AuditEvidence Record(string outcome, string? topic) => new()
        {
            Verified = true, Outcome = outcome, AlertTopicArn = topic, AccountId = Production, ResourceArn = Orders, ResourceType = "DynamoDB",
            RecordedAt = From.AddDays(3), Rto = TimeSpan.FromMinutes(5), RtoTarget = TimeSpan.FromHours(1), Key = "k" + outcome,
        };
        AuditReport alerted = AuditReport.Build(new[] { Record(CheckOutcome.Passed, null), Record(CheckOutcome.Failed, Topic) }, To, "evidence");
        AuditReport silent = AuditReport.Build(new[] { Record(CheckOutcome.Passed, null), Record(CheckOutcome.Failed, null) }, To, "evidence");

        Assert.True(alerted.Controls.Single(c => c.Control == "CC7.5").Supported);
        Assert.True(alerted.Controls.Single(c => c.Control == "A1.2").Supported);
        Assert.False(silent.Controls.Single(c => c.Control == "CC7.5").Supported);
        Assert.False(silent.Controls.Single(c => c.Control == "A1.2").Supported);
        Assert.Contains("1 failures were alerted to nobody", silent.Controls.Single(c => c.Control == "CC7.5").Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.2, "under 1 s")]
    [InlineData(45, "45 s")]
    [InlineData(192, "3 min 12 s")]
    [InlineData(3900, "1 h 05 min")]
    [InlineData(74880.504, "20 h 48 min")]
    [InlineData(187200, "2 d 4 h")]
    public void DurationsReadAsPeopleSayThem(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task TheHtmlRendersInChromiumWithEveryChartDrawnNoConsoleErrorAndNoRequest()
    {
        AuditReport report = await GeneratedReportAsync();
        string artifacts = Path.Combine(RepositoryRoot(), "out", "test-artifacts", "audit-report");
        Directory.CreateDirectory(artifacts);
        string html = Path.Combine(artifacts, "dr-audit-report.html");
        string screenshot = Path.Combine(artifacts, "dr-audit-report.png");
        File.Delete(screenshot);
        await File.WriteAllTextAsync(html, report.ToHtml());

        BrowserPage page = await HeadlessChromium.LoadAsync(html);
        await HeadlessChromium.LoadAsync(html, screenshot);

        Assert.Empty(page.ConsoleMessages);
        Assert.Empty(page.PageRequests);
        var charts = Regex.Matches(page.Dom, "<svg [^>]*data-chart=\"(?<id>[^\"]+)\" data-points=\"(?<points>\\d+)\"[^>]*>(?<body>.*?)</svg>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups["id"].Value, m => (Points: int.Parse(m.Groups["points"].Value, System.Globalization.CultureInfo.InvariantCulture), Bars: Bars(m.Groups["body"].Value)));
        Assert.Equal(new[] { "coverage-by-account", "success-rate-by-group", "trend-rto", "trend-success-rate" }, charts.Keys.Order(StringComparer.Ordinal));
        Assert.All(charts, chart => Assert.True(chart.Value.Points > 0 && chart.Value.Bars.Count == chart.Value.Points, $"{chart.Key}: {chart.Value.Bars.Count} bars drawn of {chart.Value.Points}"));
        Assert.Equal(new[] { ("2026-01", "1"), ("2026-02", ""), ("2026-03", "0.5"), ("2026-04", "1") }, charts["trend-success-rate"].Bars);
        Assert.Equal(new[] { ("2026-01", "40"), ("2026-02", ""), ("2026-03", "50"), ("2026-04", "75") }, charts["trend-rto"].Bars);
        Assert.Equal(new[] { (Production, "0.5"), (Staging, "0") }, charts["coverage-by-account"].Bars);
        Assert.Contains("id=\"drills\"", page.Dom, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot holds the rendered report");
    }

    [Fact]
    public async Task TheBrowserCheckSeesConsoleErrorsAndRequestsWhenThereAreSome()
    {
        string html = Path.Combine(Path.GetTempPath(), $"noisy-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(html, "<!DOCTYPE html><html><body><script>console.error('broken chart')</script><img src=\"http://example.com/logo.png\"></body></html>");
        try
        {
            BrowserPage page = await HeadlessChromium.LoadAsync(html);

            Assert.Contains(page.ConsoleMessages, m => m.Contains("broken chart", StringComparison.Ordinal));
            Assert.Equal(new[] { "http://example.com/logo.png" }, page.PageRequests);
        }
        finally
        {
            File.Delete(html);
        }
    }

    private static List<(string Label, string Value)> Bars(string svg) =>
        Regex.Matches(svg, "<rect class=\"bar\" data-label=\"(?<label>[^\"]*)\" data-value=\"(?<value>[^\"]*)\"")
            .Select(m => (m.Groups["label"].Value, m.Groups["value"].Value)).ToList();

    private static string Section(string html, string id)
    {
        int start = html.IndexOf($"<h2 id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {id}");
        int end = html.IndexOf("<h2", start + 4, StringComparison.Ordinal);
        return html.Substring(start, (end < 0 ? html.Length : end) - start);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CloudPatterns.sln not found above the test assembly.");
    }

    /// <summary>
    /// January: two passed validations; February: none; March: one passed, one failed (alerted); April: one passed
    /// over its RTO target, and a passed drill. Coverage: production protects four resources, staging one, and one
    /// account refused the read.
    /// </summary>
    private async Task<AuditReport> GeneratedReportAsync()
    {
        await WriteRunAsync(new DateTime(2026, 1, 14, 9, 0, 0, DateTimeKind.Utc), Validation(Orders, CheckOutcome.Passed, 20), Validation(Database, CheckOutcome.Passed, 40));
        await WriteRunAsync(new DateTime(2026, 3, 11, 9, 0, 0, DateTimeKind.Utc), Validation(Orders, CheckOutcome.Passed, 50), Validation(Payments, CheckOutcome.Failed, 30));
        await WriteRunAsync(new DateTime(2026, 4, 8, 9, 0, 0, DateTimeKind.Utc), Validation(Database, CheckOutcome.Passed, 75));
        await WriteRunAsync(new DateTime(2026, 4, 22, 10, 0, 0, DateTimeKind.Utc), Drill());
        EvidenceSigningKey key = await EvidenceSigningKey.LoadAsync(target.Kms, keyArn, CancellationToken.None);
        var evidence = new List<AuditEvidence>();
        await foreach (AuditEvidence verified in EvidenceVerifier.VerifyAsync(target.S3, bucket, key, target.AccountId, target.Region, CancellationToken.None))
        {
            evidence.Add(verified);
        }

        var inventory = new ProtectedResourceInventory(
            new[] { Orders, Payments, Database, Volume, StagingTable }.Select(arn => new ProtectedResourceEntry(AwsArn.Parse(arn).AccountId, "us-east-2", arn, null, From)).ToList(),
            new[] { new UnreadableCoverageTarget("666666666666", "us-west-2", "AccessDenied: not authorized to perform backup:ListProtectedResources") });
        return AuditReport.Build(evidence, To, bucket, From, To, inventory);
    }

    private async Task WriteRunAsync(DateTime at, params EvidenceRecord[] records)
    {
        using var store = new EvidenceStore(target.S3, new KmsEvidenceSigner(target.Kms, keyArn), bucket, 3650, at);
        for (int i = 0; i < records.Length; i++)
        {
            records[i].StartedAt = at.AddMinutes(i * 90);
            records[i].RecordedAt = records[i].StartedAt + TimeSpan.FromSeconds(records[i].Rto.MeasuredSeconds ?? 0);
            await store.WriteAsync(records[i], CancellationToken.None);
        }
    }

    private static EvidenceRecord Validation(string arn, string outcome, int rtoMinutes) => new()
    {
        ToolVersion = "0.1.0",
        CallerArn = "arn:aws:iam::222222222222:role/CloudPatternsDrValidation",
        Source = new EvidenceResource { AccountId = AwsArn.Parse(arn).AccountId, Region = "us-east-2", ResourceArn = arn, ResourceType = AwsArn.Parse(arn).Service },
        Target = new EvidenceRestoreTarget { AccountId = "222222222222", Region = "us-west-2", BackupVaultName = "central" },
        RecoveryPointArn = "arn:aws:backup:us-west-2:222222222222:recovery-point:rp-" + rtoMinutes,
        Rto = new EvidenceMeasure { MeasuredSeconds = rtoMinutes * 60, TargetSeconds = 3600 },
        Rpo = new EvidenceMeasure { MeasuredSeconds = 1800, TargetSeconds = 3600 },
        Checks = { new EvidenceCheck { Name = "Validator", Outcome = outcome, Detail = "rows counted" } },
        Cleanup = new EvidenceCheck { Name = "Cleanup", Outcome = CheckOutcome.Passed, Detail = "deleted" },
        Outcome = outcome,
        AlertTopicArn = Topic,
    };

    private static EvidenceRecord Drill()
    {
        EvidenceRecord drill = Validation($"arn:aws:cloudformation:us-east-2:{Production}:stack/shop/1", CheckOutcome.Passed, 42);
        drill.Kind = EvidenceKind.Drill;
        drill.Source.ResourceType = "Application";
        drill.Rpo = new EvidenceMeasure { MeasuredSeconds = 480, TargetSeconds = 3600 };
        var start = new DateTime(2026, 4, 22, 10, 0, 0, DateTimeKind.Utc);
        drill.Timeline = new List<EvidenceTimelineStep>
        {
            new() { Name = "Restore", StartedAt = start, EndedAt = start.AddMinutes(5), Outcome = CheckOutcome.Passed },
            new() { Name = "Scale pilot light", StartedAt = start.AddMinutes(5), EndedAt = start.AddMinutes(17), Outcome = CheckOutcome.Passed },
            new() { Name = "Health check", StartedAt = start.AddMinutes(17), EndedAt = start.AddMinutes(42), Outcome = CheckOutcome.Passed },
            new() { Name = "Tear down", StartedAt = start.AddMinutes(42), EndedAt = start.AddMinutes(50), Outcome = CheckOutcome.Passed },
        };
        return drill;
    }
}
