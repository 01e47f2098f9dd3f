using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// The evidence writer and verifier against LocalCloud's S3 and KMS, attacked as a writer with s3:PutObject but
/// without kms:Sign on the evidence key would attack it: new versions, another key, delete markers, and (as S3 with
/// Object Lock never allows, but a verifier must still catch) records that are simply gone.
/// </summary>
public sealed partial class EvidenceTamperingTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private readonly LocalCloudFixture cloud;
    private readonly string bucket = "evidence-" + Guid.NewGuid().ToString("N").Substring(0, 12);
    private AwsSession session = null!;
    private AwsTarget target = null!;
    private string keyArn = "";

    public EvidenceTamperingTests(LocalCloudFixture cloud) => this.cloud = cloud;

    private IAmazonS3 S3 => target.S3;

    public async Task InitializeAsync()
    {
        session = await AwsSession.CreateAsync(cloud.ManagementSettings());
        target = await session.GetTargetAsync(LocalCloudFixture.LogArchiveAccountId);
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true, BucketRegionName = target.Region });
        keyArn = await CreateSigningKeyAsync();
    }

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheHonestChainVerifiesSignedChainedAnchoredAndLocked()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(2, 2);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        Assert.Equal(stored.Select(s => s.Key), evidence.Select(e => e.Key));
        Assert.All(evidence, e => Assert.True(e.Verified, e.Reason));
        Assert.All(evidence, e => Assert.Equal((true, true, true, true, keyArn), (e.SignatureValid, e.ChainValid, e.Anchored, e.RetentionValid, e.SignedBy)));
        Assert.All(evidence, e => Assert.Single(e.Versions));
        Assert.StartsWith($"Signed by {keyArn}, chained", evidence[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForgedRecordReHashedReSignedAndReChainedAsANewVersionIsTamperingNamingBothVersions()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(3);
        EvidenceRecord forged = Record(outcome: CheckOutcome.Passed);
        forged.RunId = "forged";
        forged.PreviousSha256 = stored[0].Sha256;
        (byte[] content, _) = await forged.SealAsync(new KmsEvidenceSigner(target.Kms, await CreateSigningKeyAsync()), CancellationToken.None);
        await PutAsync(stored[1].Key, content);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        AuditEvidence tampered = evidence.Single(e => e.Key == stored[1].Key);
        Assert.False(tampered.Verified);
        Assert.Equal(2, tampered.Versions.Length);
        Assert.Contains(tampered.Failures, f => f.Contains($"{stored[1].Key} has 2 versions", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Failed, tampered.Outcome);
        Assert.Equal(stored[1].Sha256, tampered.Sha256);
        Assert.All(evidence.Where(e => e.Key != stored[1].Key), e => Assert.True(e.Verified, e.Reason));
        AuditReport report = AuditReport.Build(evidence, DateTime.UtcNow, bucket);
        Assert.False(report.ChainIntact);
        Assert.Equal(0, report.Passed);
        Assert.Contains("EVIDENCE TAMPERING DETECTED: 1 of 3", report.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordSignedWithAnotherKeyIsTamperingNamingTheKey()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(2);
        string otherKey = await CreateSigningKeyAsync();
        using var attacker = new EvidenceStore(S3, new KmsEvidenceSigner(target.Kms, otherKey), bucket, 365, DateTime.UtcNow);
        StoredEvidence appended = await attacker.WriteAsync(Record(CheckOutcome.Passed), CancellationToken.None);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        AuditEvidence tampered = evidence.Single(e => e.Key == appended.Key);
        Assert.False(tampered.Verified);
        Assert.False(tampered.SignatureValid);
        Assert.Contains(tampered.Failures, f => f.Contains($"signed with KMS key {otherKey}, not with the evidence signing key {keyArn}", StringComparison.Ordinal));
        Assert.All(evidence.Where(e => stored.Any(s => s.Key == e.Key)), e => Assert.True(e.Verified, e.Reason));
    }

    [Fact]
    public async Task ADeleteMarkerOnARecordIsTamperingAndTheLockedVersionIsStillShown()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(3);
        await S3.DeleteObjectAsync(bucket, stored[1].Key);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        AuditEvidence deleted = evidence.Single(e => e.Key == stored[1].Key);
        Assert.False(deleted.Verified);
        Assert.Contains(deleted.Failures, f => f.Contains($"{stored[1].Key} was deleted (delete marker", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Failed, deleted.Outcome);
    }

    [Fact]
    public async Task ARemovedMiddleRecordIsNamedByKeyAndRun()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(3);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync(without: new[] { stored[1].Key, EvidenceDigest.KeyFor(stored[1].Key) });

        Assert.Equal(stored.Select(s => s.Key), evidence.Select(e => e.Key));
        AuditEvidence missing = evidence[1];
        Assert.Equal((EvidenceRecordType.Missing, false, 2), (missing.RecordType, missing.Verified, missing.Sequence));
        Assert.Contains($"(run {missing.RunId}, sequence 2) is missing", missing.Failures[0], StringComparison.Ordinal);
        Assert.False(evidence[2].ChainValid);
        Assert.Contains(evidence[2].Failures, f => f.Contains($"{stored[1].Key} (run {missing.RunId}) is missing", StringComparison.Ordinal));
        Assert.True(evidence[0].Verified, evidence[0].Reason);
    }

    [Fact]
    public async Task RemovedLastRecordsAreNamedByTheDigestsThatSawThem()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(4);

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync(without: new[] { stored[2].Key, stored[3].Key });

        Assert.Equal(stored.Select(s => s.Key), evidence.Select(e => e.Key));
        Assert.All(evidence.Take(2), e => Assert.True(e.Verified, e.Reason));
        foreach (AuditEvidence missing in evidence.Skip(2))
        {
            Assert.Equal((EvidenceRecordType.Missing, false), (missing.RecordType, missing.Verified));
            Assert.Contains(missing.Failures, f => f.Contains($"Its signed digest {EvidenceDigest.KeyFor(missing.Key!)} says it was stored with SHA-256", StringComparison.Ordinal));
        }

        AuditReport report = AuditReport.Build(evidence, DateTime.UtcNow, bucket);
        Assert.False(report.ChainIntact);
        Assert.Equal(2, report.Tampered.Count);
    }

    [Fact]
    public async Task TheNextRunChainsToTheFirstVersionNotToAForgery()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(2);
        EvidenceRecord forged = Record(CheckOutcome.Passed);
        forged.PreviousSha256 = stored[0].Sha256;
        (byte[] content, _) = await forged.SealAsync(new KmsEvidenceSigner(target.Kms, await CreateSigningKeyAsync()), CancellationToken.None);
        await PutAsync(stored[1].Key, content);

        List<StoredEvidence> next = await WriteRunsAsync(1);
        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        Assert.True(evidence.Single(e => e.Key == next[0].Key).Verified, evidence.Single(e => e.Key == next[0].Key).Reason);
        Assert.False(evidence.Single(e => e.Key == stored[1].Key).Verified);
    }

    [Fact]
    public async Task TheVerifierStreamsReadingOneRecordAndItsDigestAtATimeAndLettingTheirContentGo()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(4);
        EvidenceSigningKey key = await EvidenceSigningKey.LoadAsync(target.Kms, keyArn, CancellationToken.None);
        List<EvidenceObject> records = await EvidenceObjects.ListAsync(S3, bucket, EvidenceStore.KeyPrefix, CancellationToken.None);
        List<EvidenceObject> digests = await EvidenceObjects.ListAsync(S3, bucket, EvidenceDigest.KeyPrefix, CancellationToken.None);
        int loads = 0;
        var seen = new List<(string? Key, int LoadsBefore)>();

        await foreach (AuditEvidence evidence in EvidenceVerifier.WalkAsync(records, digests, key, async stored =>
                       {
                           loads++;
                           await EvidenceObjects.LoadAsync(S3, bucket, stored, CancellationToken.None);
                       }, release: true))
        {
            Assert.True(evidence.Verified, evidence.Reason);
            seen.Add((evidence.Key, loads));
        }

        // Each result comes after reading only its record and digest; nothing read is kept.
        Assert.Equal(stored.Select((s, i) => (s.Key, (i + 1) * 2)).ToList(), seen.Select(s => (s.Key!, s.LoadsBefore)).ToList());
        Assert.All(records.Concat(digests).SelectMany(o => o.Versions), version => Assert.Null(version.Content));
    }

    [Fact]
    public async Task TheBucketIsWalkedOneDayAtATimeWithLinksCountsAndRemovalsCarriedAcrossDays()
    {
        // Three days, one run of two records each: every new run reads the chain head from the newest day only.
        List<StoredEvidence> stored = await WriteDaysAsync(3, 2);

        IReadOnlyList<AuditEvidence> honest = await VerifyAsync();

        Assert.Equal(3, (await EvidenceObjects.ListDaysAsync(S3, bucket, EvidenceStore.KeyPrefix, CancellationToken.None)).Count);
        Assert.Equal(stored.Select(s => s.Key), honest.Select(e => e.Key));
        Assert.All(honest, e => Assert.True(e.Verified, e.Reason));
        // Values every record repeats are held once across days (a report keeps every record).
        Assert.Same(honest[0].ResourceArn, honest[5].ResourceArn);
        Assert.Same(honest[0].SignedBy, honest[5].SignedBy);

        // The middle day's last record gone (its digest kept): named where it was, before the next day's first record,
        // which no longer chains to what is listed before it.
        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync(without: new[] { stored[3].Key });

        Assert.Equal(stored.Select(s => s.Key), evidence.Select(e => e.Key));
        Assert.Equal((EvidenceRecordType.Missing, false), (evidence[3].RecordType, evidence[3].Verified));
        Assert.Contains(evidence[3].Failures, f => f.Contains($"Its signed digest {EvidenceDigest.KeyFor(stored[3].Key)} says it was stored with SHA-256 {stored[3].Sha256}", StringComparison.Ordinal));
        Assert.False(evidence[4].ChainValid);
        Assert.Contains(evidence[4].Failures, f => f.Contains($"the last record listed before it ({stored[2].Key}", StringComparison.Ordinal));
        Assert.All(evidence.Take(3), e => Assert.True(e.Verified, e.Reason));

        // A record with no digest is unanchored when any later day holds a record; the newest record may lack one.
        IReadOnlyList<AuditEvidence> unanchored = await VerifyAsync(without: new[] { EvidenceDigest.KeyFor(stored[1].Key), EvidenceDigest.KeyFor(stored[5].Key) });

        Assert.Contains(unanchored[1].Failures, f => f.Contains($"Its signed digest {EvidenceDigest.KeyFor(stored[1].Key)} is missing", StringComparison.Ordinal));
        Assert.True(unanchored[5].Verified, unanchored[5].Reason);
    }

    [Fact]
    public async Task EvidenceWritesAreConditionalSoAnExistingKeyIsNeverWrittenTwiceByTheWriter()
    {
        List<StoredEvidence> stored = await WriteRunsAsync(1);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));

        AmazonS3Exception refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = stored[0].Key, InputStream = body, IfNoneMatch = "*" }));

        Assert.Equal(("PreconditionFailed", System.Net.HttpStatusCode.PreconditionFailed), (refused.ErrorCode, refused.StatusCode));
        Assert.Single((await EvidenceObjects.ListAsync(S3, bucket, stored[0].Key, CancellationToken.None)).Single().Versions);
    }

    private async Task<string> CreateSigningKeyAsync()
    {
        CreateKeyResponse key = await target.Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY });
        return key.KeyMetadata.Arn;
    }

    /// <summary>Writes runs of the given sizes through the evidence writer, each its own store (run id).</summary>
    private async Task<List<StoredEvidence>> WriteRunsAsync(params int[] runSizes)
    {
        var stored = new List<StoredEvidence>();
        foreach (int size in runSizes)
        {
            using var store = new EvidenceStore(S3, new KmsEvidenceSigner(target.Kms, keyArn), bucket, 365, DateTime.UtcNow);
            for (int i = 0; i < size; i++)
            {
                stored.Add(await store.WriteAsync(Record(CheckOutcome.Failed), CancellationToken.None));
            }
        }

        return stored;
    }

    /// <summary>Writes one run of <paramref name="perDay"/> records on each of the last <paramref name="days"/> days, oldest first.</summary>
    private async Task<List<StoredEvidence>> WriteDaysAsync(int days, int perDay)
    {
        var stored = new List<StoredEvidence>();
        for (int day = days - 1; day >= 0; day--)
        {
            DateTime start = DateTime.UtcNow.Date.AddDays(-day).AddHours(1);
            using var store = new EvidenceStore(S3, new KmsEvidenceSigner(target.Kms, keyArn), bucket, 365, start);
            for (int i = 0; i < perDay; i++)
            {
                EvidenceRecord record = Record(CheckOutcome.Passed);
                (record.StartedAt, record.RecordedAt) = (start.AddMinutes(i * 10), start.AddMinutes(i * 10 + 5));
                stored.Add(await store.WriteAsync(record, CancellationToken.None));
            }
        }

        return stored;
    }

    /// <summary>Verifies every version in the bucket; <paramref name="without"/> leaves keys out as if S3 had lost them.</summary>
    private async Task<IReadOnlyList<AuditEvidence>> VerifyAsync(string[]? without = null)
    {
        EvidenceSigningKey key = await EvidenceSigningKey.LoadAsync(target.Kms, keyArn, CancellationToken.None);
        if (without is null)
        {
            var verified = new List<AuditEvidence>();
            await foreach (AuditEvidence evidence in EvidenceVerifier.VerifyAsync(S3, bucket, key, target.AccountId, target.Region, CancellationToken.None))
            {
                verified.Add(evidence);
            }

            return verified;
        }

        var kept = new List<EvidenceObject>[2];
        string[] prefixes = [EvidenceStore.KeyPrefix, EvidenceDigest.KeyPrefix];
        for (int i = 0; i < 2; i++)
        {
            kept[i] = (await EvidenceObjects.ListAsync(S3, bucket, prefixes[i], CancellationToken.None)).Where(o => !without.Contains(o.Key)).ToList();
            foreach (EvidenceObject stored in kept[i])
            {
                await EvidenceObjects.LoadAsync(S3, bucket, stored, CancellationToken.None);
            }
        }

        return EvidenceVerifier.Verify(kept[0], kept[1], key);
    }

    private async Task PutAsync(string key, byte[] content)
    {
        using var body = new MemoryStream(content);
        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(365),
        });
    }

    private static EvidenceRecord Record(string outcome) => new()
    {
        StartedAt = DateTime.UtcNow.AddMinutes(-5),
        RecordedAt = DateTime.UtcNow,
        ToolVersion = "0.1.0",
        CallerArn = "arn:aws:iam::111111111111:user/admin",
        Source = new EvidenceResource { AccountId = "333333333333", Region = "us-east-2", ResourceArn = "arn:aws:dynamodb:us-east-2:333333333333:table/orders", ResourceType = "DynamoDB" },
        Target = new EvidenceRestoreTarget { AccountId = "555555555555", Region = "us-west-2", BackupVaultName = "dr" },
        RecoveryPointArn = "arn:aws:backup:us-west-2:555555555555:recovery-point:1",
        Rto = new EvidenceMeasure { MeasuredSeconds = 180, TargetSeconds = 3600 },
        Rpo = new EvidenceMeasure { MeasuredSeconds = 7200, TargetSeconds = 86400 },
        Checks = { new EvidenceCheck { Name = "Validator", Outcome = outcome, Detail = "rows" } },
        Cleanup = new EvidenceCheck { Name = "Cleanup", Outcome = "Passed", Detail = "deleted" },
        Outcome = outcome,
    };
}
