using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

public sealed class EvidenceTests
{
    private static readonly DateTime RecordedAt = new(2026, 11, 27, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void CanonicalJsonSortsMembersAtEveryLevelAndDropsWhitespace()
    {
        var node = JsonNode.Parse("""{ "b": 1, "a": { "z": [ 2, { "y": true, "x": null } ], "c": "é\"" } }""");

        Assert.Equal("""{"a":{"c":"\u00E9\u0022","z":[2,{"x":null,"y":true}]},"b":1}""", Encoding.UTF8.GetString(CanonicalJson.ToBytes(node)));
    }

    [Fact]
    public void TheSameRecordParsedBackHashesTheSame()
    {
        (byte[] content, string sha256) = Record(previous: null).Seal();

        var stored = (JsonObject)JsonNode.Parse(content)!;
        Assert.Equal(sha256, stored["sha256"]!.GetValue<string>());
        stored.Remove("sha256");
        Assert.Equal(sha256, CanonicalJson.Sha256(stored));
        Assert.Matches("^[0-9a-f]{64}$", sha256);
    }

    [Fact]
    public void ASealedRecordWithItsRetentionVerifies()
    {
        (byte[] content, string sha256) = Record(previous: "abc").Seal();

        AuditEvidence evidence = EvidenceVerifier.Verify("dr-validation/2026/11/27/run/2.json", content, "abc", "COMPLIANCE", RecordedAt.AddDays(365));

        Assert.True(evidence.Verified, string.Join(" ", evidence.Failures));
        Assert.Equal(sha256, evidence.Sha256);
        Assert.Equal("333333333333", evidence.AccountId);
        Assert.Equal(TimeSpan.FromMinutes(3), evidence.Rto);
        Assert.Equal(new[] { "Validator" }, evidence.FailedChecks);
    }

    [Fact]
    public void ChangedContentBreaksTheHash()
    {
        (byte[] content, _) = Record(previous: null).Seal();
        byte[] forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("\"outcome\":\"Failed\"", "\"outcome\":\"Passed\""));

        AuditEvidence evidence = EvidenceVerifier.Verify("k", forged, null, "COMPLIANCE", RecordedAt.AddDays(365));

        Assert.False(evidence.HashValid);
        Assert.False(evidence.Verified);
        Assert.Contains(evidence.Failures, failure => failure.Contains("content changed", StringComparison.Ordinal));
    }

    [Fact]
    public void ALinkToAnotherPreviousRecordBreaksTheChain()
    {
        (byte[] content, _) = Record(previous: "abc").Seal();

        AuditEvidence evidence = EvidenceVerifier.Verify("k", content, "def", "COMPLIANCE", RecordedAt.AddDays(365));

        Assert.True(evidence.HashValid);
        Assert.False(evidence.ChainValid);
        Assert.False(evidence.Verified);
    }

    [Theory]
    [InlineData(null, 365)]
    [InlineData("GOVERNANCE", 365)]
    [InlineData("COMPLIANCE", 30)]
    public void MissingWeakOrShortRetentionFails(string? mode, int days)
    {
        (byte[] content, _) = Record(previous: null).Seal();

        AuditEvidence evidence = EvidenceVerifier.Verify("k", content, null, mode, mode is null ? null : RecordedAt.AddDays(days));

        Assert.False(evidence.RetentionValid);
        Assert.False(evidence.Verified);
    }

    [Fact]
    public void ARecordWithoutItsFieldsFailsWithoutThrowing()
    {
        AuditEvidence evidence = EvidenceVerifier.Verify("k", Encoding.UTF8.GetBytes("""{"sha256":"0"}"""), null, null, null);

        Assert.False(evidence.Verified);
        Assert.False(evidence.HashValid);
        Assert.Contains(evidence.Failures, failure => failure.Contains("no Object Lock retention", StringComparison.Ordinal));
    }

    [Fact]
    public void ContentThatIsNotJsonFailsWithoutThrowing()
    {
        AuditEvidence evidence = EvidenceVerifier.Verify("k", Encoding.UTF8.GetBytes("not json"), null, "COMPLIANCE", RecordedAt);

        Assert.False(evidence.Verified);
        Assert.Single(evidence.Failures);
    }

    [Fact]
    public void KeysAreChainedByDayRunAndSequenceAsNumbers()
    {
        string[] keys =
        [
            EvidenceStore.KeyFor(RecordedAt, "20261127T140000Z-aaaaaa", 10),
            EvidenceStore.KeyFor(RecordedAt.AddDays(-1), "20261126T230000Z-bbbbbb", 1),
            EvidenceStore.KeyFor(RecordedAt, "20261127T140000Z-aaaaaa", 2),
        ];

        Assert.Equal("dr-validation/2026/11/27/20261127T140000Z-aaaaaa/10.json", keys[0]);
        Assert.Equal(new[] { keys[1], keys[2], keys[0] }, keys.OrderBy(key => key, EvidenceKey.ChainOrder));
    }

    private static EvidenceRecord Record(string? previous) => new()
    {
        RunId = "20261127T140000Z-aaaaaa",
        Sequence = 2,
        StartedAt = RecordedAt.AddMinutes(-5),
        RecordedAt = RecordedAt,
        ToolVersion = "0.1.0",
        CallerArn = "arn:aws:iam::111111111111:user/admin",
        Source = new EvidenceResource { AccountId = "333333333333", Region = "us-east-2", ResourceArn = "arn:aws:dynamodb:us-east-2:333333333333:table/orders", ResourceType = "DynamoDB" },
        Target = new EvidenceRestoreTarget { AccountId = "555555555555", Region = "us-west-2", BackupVaultName = "dr" },
        RecoveryPointArn = "arn:aws:backup:us-west-2:555555555555:recovery-point:1",
        Rto = new EvidenceMeasure { MeasuredSeconds = 180, TargetSeconds = 3600 },
        Rpo = new EvidenceMeasure { MeasuredSeconds = 7200, TargetSeconds = 86400 },
        Checks = { new EvidenceCheck { Name = "RestoreJobCompleted", Outcome = "Passed", Detail = "ok" }, new EvidenceCheck { Name = "Validator", Outcome = "Failed", Detail = "no rows" } },
        Cleanup = new EvidenceCheck { Name = "Cleanup", Outcome = "Passed", Detail = "deleted" },
        Outcome = "Failed",
        EvidenceRetentionDays = 365,
        PreviousSha256 = previous,
    };
}
