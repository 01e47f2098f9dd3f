using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// Writers in separate processes on one evidence bucket (docs/evidence.md, "Writers at the same moment"): a run's
/// writer (Invoke-DrValidation, <see cref="EvidenceStore.WriteAsync"/>) and the DR-Orchestrator's invocations
/// (<see cref="EvidenceStore.AppendAsync"/>), each its own store as each is its own process, against LocalCloud's S3.
/// </summary>
public sealed partial class EvidenceTamperingTests
{
    [Fact]
    public async Task ARunAndTheOrchestratorWritingInTurnAndAtOnce_NeverForkTheChain_NorLoseOrDuplicateARecord()
    {
        using EvidenceStore run = NewStore(DateTime.UtcNow);
        var written = new List<StoredEvidence>();
        var jobs = new List<string>();
        async Task<StoredEvidence> Orchestrator(int n)
        {
            // Each invocation is a process of its own: a store of its own, the head read from the bucket.
            using EvidenceStore invocation = NewStore(DateTime.UtcNow);
            string job = $"job-{n}";
            lock (jobs)
            {
                jobs.Add(job);
            }

            EvidenceRecord record = Record(CheckOutcome.Passed);
            record.RestoreJobId = job;
            return await invocation.AppendAsync(record, job, null, TimeSpan.FromMinutes(16), null, CancellationToken.None);
        }

        // In turn: the run's cached head is stale after each of the orchestrator's records.
        written.Add(await run.WriteAsync(Record(CheckOutcome.Passed), CancellationToken.None));
        written.Add(await Orchestrator(1));
        written.Add(await run.WriteAsync(Record(CheckOutcome.Failed), CancellationToken.None));
        written.Add(await Orchestrator(2));
        written.Add(await run.WriteAsync(Record(CheckOutcome.Passed), CancellationToken.None));

        // At once: the run's validations and four invocations.
        Task<StoredEvidence>[] runs = Enumerable.Range(0, 4).Select(_ => run.WriteAsync(Record(CheckOutcome.Passed), CancellationToken.None)).ToArray();
        Task<StoredEvidence>[] invocations = Enumerable.Range(3, 4).Select(Orchestrator).ToArray();
        written.AddRange(await Task.WhenAll(runs.Concat(invocations)));

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        Assert.All(evidence, e => Assert.True(e.Verified, $"{e.Key}: {e.Reason} {string.Join(" ", e.Failures)}"));
        Assert.Equal(13, evidence.Count);
        Assert.Equal(written.Select(w => w.Key).OrderBy(k => k, StringComparer.Ordinal), evidence.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(jobs.OrderBy(j => j, StringComparer.Ordinal), evidence.Where(e => e.RestoreJobId is not null).Select(e => e.RestoreJobId!).OrderBy(j => j, StringComparer.Ordinal));
        // Until the orchestrator's first record the run keeps its own id; what it wrote after another writer's record
        // starts a run of the same tail, named by its time, so key order stays chain order.
        Assert.Equal(run.RunId, evidence.Single(e => e.Key == written[0].Key).RunId);
        Assert.All(evidence.Where(e => e.RestoreJobId is null), e => Assert.EndsWith(run.RunId.Substring(run.RunId.Length - 6), e.RunId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeliveryHeldAfterClaimingWhileItsTwinStoresTheRecord_ReturnsTheStoredRecordsOutcome_NotItsOwn()
    {
        using EvidenceStore first = NewStore(DateTime.UtcNow);
        using EvidenceStore second = NewStore(DateTime.UtcNow);
        var claimed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EvidenceRecord passed = Record(CheckOutcome.Passed);
        passed.RestoreJobId = "job-twin";
        EvidenceRecord failed = Record(CheckOutcome.Failed);
        failed.RestoreJobId = "job-twin";

        // The first delivery claims the position and is held there, before its record is written.
        Task<StoredEvidence> held = first.AppendAsync(passed, "job-twin", null, TimeSpan.FromMinutes(16), async key =>
        {
            claimed.SetResult(key);
            await release.Task;
        }, CancellationToken.None);
        string key = await claimed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        // Its twin (the same restore job) finds the claim its own, writes its judgement there and reports it.
        StoredEvidence twin = await second.AppendAsync(failed, "job-twin", null, TimeSpan.FromMinutes(16), null, CancellationToken.None);
        release.SetResult();
        StoredEvidence late = await held.WaitAsync(TimeSpan.FromMinutes(2));

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();

        AuditEvidence record = Assert.Single(evidence);
        Assert.True(record.Verified, record.Reason);
        Assert.Equal((key, key, key), (twin.Key, late.Key, record.Key));
        Assert.Null(twin.Outcome);
        Assert.Equal(CheckOutcome.Failed, record.Outcome);
        Assert.Equal(record.Outcome, late.Outcome);
        Assert.Equal(twin.Sha256, late.Sha256);
    }

    [Fact]
    public async Task ATwinComingAfterTheRecordWasStoredAndFollowedByAnother_ReportsTheStoredRecord_NotASecondOne()
    {
        // The window docs/orchestrator.md left open: the twin read the restore's note before the first delivery claimed
        // (so it knows no key), and reads the head only after that delivery stored the record, forgot the note, and
        // another record followed. The head no longer shows the record; only the mark of the restore job does.
        EvidenceRecord failed = Record(CheckOutcome.Failed);
        failed.RestoreJobId = "job-twin";
        StoredEvidence first = await AppendAsync(NewStore(DateTime.UtcNow), "job-twin", failed);
        StoredEvidence other = await AppendAsync(NewStore(DateTime.UtcNow), "job-other");

        StoredEvidence late = await AppendAsync(NewStore(DateTime.UtcNow), "job-twin");

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();
        Assert.Equal(new[] { first.Key, other.Key }, evidence.Select(e => e.Key));
        Assert.All(evidence, e => Assert.True(e.Verified, e.Reason));
        Assert.Equal((first.Key, first.Sha256, CheckOutcome.Failed), (late.Key, late.Sha256, late.Outcome));
    }

    [Fact]
    public async Task ThirtyInvocationsAppendingAtOnce_ChainTheirDigestsToTheDigestBeforeEach()
    {
        // A writer that read the head between another's record and that record's digest chained its digest past it
        // (seen as 13 of 40 records unverified in bench/orchestrator.ps1).
        async Task<StoredEvidence> Invocation(int n)
        {
            using EvidenceStore invocation = NewStore(DateTime.UtcNow);
            EvidenceRecord record = Record(CheckOutcome.Passed);
            record.RestoreJobId = $"job-{n}";
            return await invocation.AppendAsync(record, record.RestoreJobId, null, TimeSpan.FromMinutes(16), null, CancellationToken.None);
        }

        StoredEvidence[] stored = await Task.WhenAll(Enumerable.Range(1, 30).Select(Invocation));

        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();
        Assert.Equal(30, evidence.Count);
        Assert.Equal(30, stored.Select(s => s.Key).Distinct().Count());
        Assert.All(evidence, e => Assert.True(e.Verified, $"{e.Key}: {string.Join(" ", e.Failures)}"));
    }

    [Fact]
    public async Task AHeadWhoseWriterDiedBeforeItsDigest_IsTheTailAtOnceOnceOlderThanTheWaitOnS3sClock()
    {
        await AppendAsync(NewStore(DateTime.UtcNow), "job-1");
        // The writer of job-2 dies between its record and its digest: the signer refuses the digest's signature.
        var dying = new HoldingSigner(new KmsEvidenceSigner(target.Kms, keyArn), fail: true);
        await Assert.ThrowsAsync<OperationCanceledException>(() => AppendAsync(new EvidenceStore(S3, dying, bucket, 365, DateTime.UtcNow), "job-2"));
        // Two minutes pass on S3's clock only: this machine's clock would call the head seconds old.
        cloud.Server.Clock.Advance(TimeSpan.FromMinutes(2));

        var took = System.Diagnostics.Stopwatch.StartNew();
        StoredEvidence third = await AppendAsync(NewStore(DateTime.UtcNow), "job-3");
        took.Stop();

        // Before, every writer waited a minute for the digest that never comes.
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(30), $"the append waited {took.Elapsed} for a dead writer's digest");
        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();
        Assert.Equal(new[] { "job-1", "job-2", "job-3" }, evidence.Select(e => e.RestoreJobId));
        Assert.Equal(third.Key, evidence[2].Key);
        Assert.All(new[] { evidence[0], evidence[2] }, e => Assert.True(e.Verified, $"{e.Key}: {string.Join(" ", e.Failures)}"));
        Assert.Contains(evidence[1].Failures, f => f.Contains("digest", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AHeadNoClaimNames_GetsNoDigest_SoTheNextWriterGoesOnAtOnce()
    {
        StoredEvidence first = await AppendAsync(NewStore(DateTime.UtcNow), "job-1");
        // Stored as a writer that claims nothing would store it (a forgery, or a writer from before claims): no digest follows.
        EvidenceRecord foreign = Record(CheckOutcome.Passed);
        foreign.RunId = EvidenceStore.NewRunId(DateTime.UtcNow.AddSeconds(1));
        foreign.Sequence = 1;
        foreign.PreviousSha256 = first.Sha256;
        (byte[] content, _) = await foreign.SealAsync(new KmsEvidenceSigner(target.Kms, keyArn), CancellationToken.None);
        string foreignKey = EvidenceStore.KeyFor(foreign.RecordedAt, foreign.RunId, 1);
        await PutAsync(foreignKey, content);

        var took = System.Diagnostics.Stopwatch.StartNew();
        StoredEvidence next = await AppendAsync(NewStore(DateTime.UtcNow.AddSeconds(2)), "job-2");
        took.Stop();

        Assert.True(took.Elapsed < TimeSpan.FromSeconds(30), $"the append waited {took.Elapsed} for a digest no writer stores");
        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();
        Assert.Equal(new[] { first.Key, foreignKey, next.Key }, evidence.Select(e => e.Key));
        Assert.True(evidence[2].Verified, string.Join(" ", evidence[2].Failures));
    }

    [Fact]
    public async Task AYoungHeadWhoseDigestIsBeingStored_IsAwaited_SoTheDigestsNeverFork()
    {
        var holding = new HoldingSigner(new KmsEvidenceSigner(target.Kms, keyArn), fail: false);
        Task<StoredEvidence> slow = AppendAsync(new EvidenceStore(S3, holding, bucket, 365, DateTime.UtcNow), "job-1");
        await holding.DigestReached.Task.WaitAsync(TimeSpan.FromMinutes(2));

        Task<StoredEvidence> next = AppendAsync(NewStore(DateTime.UtcNow), "job-2");
        await Task.Delay(TimeSpan.FromSeconds(3));
        bool endedWhileHeld = next.IsCompleted;
        holding.Release.SetResult();
        await Task.WhenAll(slow, next).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.False(endedWhileHeld, "the second writer chained past a digest that was being stored");
        IReadOnlyList<AuditEvidence> evidence = await VerifyAsync();
        Assert.Equal(2, evidence.Count);
        Assert.All(evidence, e => Assert.True(e.Verified, $"{e.Key}: {string.Join(" ", e.Failures)}"));
    }

    private static async Task<StoredEvidence> AppendAsync(EvidenceStore store, string job, EvidenceRecord? given = null)
    {
        using (store)
        {
            EvidenceRecord record = given ?? Record(CheckOutcome.Passed);
            record.RestoreJobId = job;
            return await store.AppendAsync(record, job, null, TimeSpan.FromMinutes(16), null, CancellationToken.None);
        }
    }

    private EvidenceStore NewStore(DateTime startedAt) => new(S3, new KmsEvidenceSigner(target.Kms, keyArn), bucket, 365, startedAt);

    /// <summary>Signs the record; at the digest's signature (the second) it fails, as a writer dying there, or waits for <see cref="Release"/>.</summary>
    private sealed class HoldingSigner(IEvidenceSigner inner, bool fail) : IEvidenceSigner
    {
        private int calls;

        public TaskCompletionSource DigestReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<EvidenceSignature> SignAsync(byte[] sha256, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                DigestReached.SetResult();
                if (fail)
                {
                    throw new OperationCanceledException("The writer died before its digest.");
                }

                await Release.Task;
            }

            return await inner.SignAsync(sha256, cancellationToken);
        }
    }
}
