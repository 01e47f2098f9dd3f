using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// Export-AuditReport's streaming form (<see cref="AuditReportSpool"/>: figures accumulated per record, listed records
/// spooled to files and read back while writing) writes byte for byte the report that <see cref="AuditReport"/> writes
/// from every record held in memory, in each format, over records with every kind of gap: drills, removed records,
/// tampered ones, failures alerted and not, records without an ARN, a time, an RTO or a target.
/// </summary>
public sealed class AuditReportSpoolTests
{
    private static readonly DateTime Now = new(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Accounts = { "111111111111", "222222222222", "333333333333" };

    public static IEnumerable<object?[]> Cases()
    {
        var periodFrom = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var periodTo = new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (string format in new[] { "Html", "Json", "Csv" })
        {
            yield return new object?[] { format, 1500, null, null, false };
            yield return new object?[] { format, 1500, periodFrom, periodTo, true };
            yield return new object?[] { format, 0, periodFrom, periodTo, false };
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheStreamedReportIsTheInMemoryReport(string format, int count, DateTime? from, DateTime? to, bool coverage)
    {
        List<AuditEvidence> records = Generated(count);
        ProtectedResourceInventory? inventory = coverage ? Inventory() : null;
        string expected = AuditReport.Build(records, Now, "evidence", from, to, inventory).Render(format);
        string path = Path.Combine(Path.GetTempPath(), $"spooled-report-{Guid.NewGuid():N}");
        try
        {
            using (var spool = new AuditReportSpool(format))
            {
                records.ForEach(spool.Add);
                spool.WriteTo(path, Now, "evidence", from, to, inventory);
                Assert.Equal(count, spool.Records);
            }

            Assert.Equal(expected, File.ReadAllText(path));
            if (count > 0)
            {
                Assert.Contains(records.First(r => !r.Verified).Key!, expected, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Json", new[] { "drills.jsonl", "failures.jsonl", "records.jsonl", "tampered.jsonl" })]
    [InlineData("Html", new[] { "drills.jsonl", "failures.jsonl", "tampered.jsonl" })]
    public void OnlyTheListsTheFormatShowsAreSpooledAndTheFilesAreGoneOnceDisposed(string format, string[] spooled)
    {
        string folder;
        using (var spool = new AuditReportSpool(format))
        {
            Generated(300).ForEach(spool.Add);
            folder = spool.Folder;
            Assert.Equal(spooled, Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void AnUnknownFormatIsRefusedBeforeAnyRecord() =>
        Assert.Contains("use Html, Json or Csv", Assert.Throws<ArgumentException>(() => new AuditReportSpool("Xml")).Message, StringComparison.Ordinal);

    private static ProtectedResourceInventory Inventory() => new(
        Enumerable.Range(0, 9).Select(n => new ProtectedResourceEntry(Accounts[n % 3], "us-east-2", $"arn:aws:dynamodb:us-east-2:{Accounts[n % 3]}:table/t{n}", null, null)).ToList(),
        new[] { new UnreadableCoverageTarget("666666666666", "us-west-2", "AccessDenied") });

    private static List<AuditEvidence> Generated(int count)
    {
        var random = new Random(7);
        bool OneIn(int n) => random.Next(n) == 0;
        var records = new List<AuditEvidence>();
        for (int i = 0; i < count; i++)
        {
            bool drill = OneIn(40);
            bool missing = OneIn(100);
            var start = new DateTime(2026, 2, 1, 1, 2, 3, DateTimeKind.Utc);
            records.Add(new AuditEvidence
            {
                AccountId = OneIn(30) ? null : Accounts[random.Next(3)],
                Region = "us-east-2",
                ResourceArn = OneIn(50) ? null : $"arn:aws:dynamodb:us-east-2:{Accounts[random.Next(3)]}:table/t{random.Next(9)}",
                ResourceType = OneIn(3) ? "RDS" : "DynamoDB",
                RunId = "run" + (i / 10),
                Sequence = i % 10,
                RecordedAt = OneIn(60) ? null : new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(60 * 24 * 200) + random.NextDouble()),
                Outcome = OneIn(20) ? CheckOutcome.Failed : OneIn(50) ? CheckOutcome.Aborted : CheckOutcome.Passed,
                Rto = OneIn(10) ? null : TimeSpan.FromSeconds(random.Next(100, 5000) + random.NextDouble()),
                RtoTarget = OneIn(10) ? null : TimeSpan.FromSeconds(OneIn(2) ? 3600 : 1800),
                Rpo = OneIn(10) ? null : TimeSpan.FromSeconds(random.Next(100, 5000)),
                RpoTarget = TimeSpan.FromHours(1),
                FailedChecks = OneIn(10) ? new[] { "Validator", "Rows, \"quoted\"" } : Array.Empty<string>(),
                Kind = drill ? EvidenceKind.Drill : EvidenceKind.Validation,
                Timeline = drill ? new[] { new EvidenceTimelineStep { Name = "Restore <db>", StartedAt = start, EndedAt = OneIn(2) ? null : start.AddMinutes(7), Outcome = CheckOutcome.Passed } } : Array.Empty<EvidenceTimelineStep>(),
                AlertTopicArn = OneIn(3) ? null : "arn:aws:sns:us-east-2:222222222222:dr-alerts",
                RecordType = missing ? EvidenceRecordType.Missing : EvidenceRecordType.Validation,
                Verified = !missing && !OneIn(30),
                SignedBy = "arn:aws:kms:us-east-2:222222222222:key/k",
                Anchored = OneIn(2),
                RetentionMode = "COMPLIANCE",
                RetainUntil = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                Versions = new[] { "v1", "v2" },
                Failures = OneIn(5) ? new[] { "bad hash & more", "é unicode" } : Array.Empty<string>(),
                Sha256 = "sha" + i,
                Key = $"evidence/2026/{i:D6}.json",
            });
        }

        return records;
    }
}
