using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// A validation run as the evidence bucket knows it: <c>dr-validation-runs/&lt;run&gt;.json</c>, one version per attempt
/// (the first, then each -ResumeRunId), written before the attempt's first restore. With the restore notes
/// (<see cref="RestoreLedger"/>: what is in flight) and the run's evidence records (what is judged) it is all a later
/// attempt needs to continue the run.
/// </summary>
public sealed class DrRunState
{
    public const string KeyPrefix = "dr-validation-runs/";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string RunId { get; set; } = "";

    /// <summary>1 for the first attempt, one more for each resumption.</summary>
    public int Attempt { get; set; } = 1;

    public string BackupVaultName { get; set; } = "";

    public DateTime AttemptStartedAt { get; set; }

    public string Host { get; set; } = "";

    public int ProcessId { get; set; }

    public static string KeyFor(string runId) => KeyPrefix + runId + ".json";

    internal static async Task<DrRunState?> ReadAsync(IAmazonS3 s3, string bucket, string runId, CancellationToken cancellationToken)
    {
        try
        {
            byte[] content = await Transient.RetryAsync(token => EvidenceObjects.ReadAsync(s3, bucket, KeyFor(runId), null, token), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<DrRunState>(content, Json);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode is "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>The state of a new run's first attempt, by this process.</summary>
    public static DrRunState First(string runId, string backupVaultName) => new()
    {
        RunId = runId,
        BackupVaultName = backupVaultName,
        AttemptStartedAt = DateTime.UtcNow,
        Host = Environment.MachineName,
        ProcessId = System.Diagnostics.Process.GetCurrentProcess().Id,
    };

    /// <summary>Stores this attempt's state next to the run's evidence.</summary>
    public Task WriteAsync(EvidenceStore evidence, CancellationToken cancellationToken) => WriteAsync(evidence.S3, evidence.Bucket, cancellationToken);

    private Task WriteAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken) =>
        EvidenceObjects.PutNoteAsync(s3, bucket, KeyFor(RunId), JsonSerializer.SerializeToUtf8Bytes(this, Json), cancellationToken);
}

/// <summary>What an interrupted run already did, for the attempt that continues it (-ResumeRunId).</summary>
public sealed class ResumedRun
{
    private readonly HashSet<string> judged;

    private ResumedRun(DrRunState state, HashSet<string> judged, int records)
    {
        State = state;
        this.judged = judged;
        Records = records;
    }

    /// <summary>The state as this attempt wrote it (its attempt number).</summary>
    public DrRunState State { get; }

    /// <summary>The run's evidence records found in the bucket (any outcome).</summary>
    public int Records { get; }

    /// <summary>Sources the run already judged (Passed or Failed) in that account and region; Aborted ones are validated again.</summary>
    public int Judged => judged.Count;

    public bool IsJudged(string accountId, string region, string sourceResourceArn) => judged.Contains(Key(accountId, region, sourceResourceArn));

    /// <summary>
    /// Reads the run's state and evidence and prepares <paramref name="evidence"/> to continue its chain. Problems (no
    /// such run, another vault, evidence of a later run that the next record would sort before) are returned, not thrown,
    /// so one error lists them with the other input problems.
    /// </summary>
    public static async Task<(ResumedRun? Run, IReadOnlyList<string> Problems)> LoadAsync(EvidenceStore evidence, string backupVaultName, CancellationToken cancellationToken)
    {
        string where = $"s3://{evidence.Bucket}/{DrRunState.KeyFor(evidence.RunId)}";
        DrRunState? state = await DrRunState.ReadAsync(evidence.S3, evidence.Bucket, evidence.RunId, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return (null, new[] { $"-ResumeRunId {evidence.RunId}: the evidence bucket holds no such run ({where} does not exist); give the id an earlier Invoke-DrValidation printed." });
        }

        if (!string.Equals(state.BackupVaultName, backupVaultName, StringComparison.Ordinal))
        {
            return (null, new[] { $"-ResumeRunId {evidence.RunId} validated vault {state.BackupVaultName}, not {backupVaultName}: resume it with -BackupVaultName {state.BackupVaultName}." });
        }

        // Another machine's process cannot be seen from here (a runbook step that timed out resumes elsewhere).
        // An earlier invocation in this very process has ended (cmdlets of one process run one at a time per runspace).
        int self = System.Diagnostics.Process.GetCurrentProcess().Id;
        if (string.Equals(state.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && state.ProcessId != self && !RestoreCleanup.HasEnded(state.Host, state.ProcessId))
        {
            return (null, new[] { $"-ResumeRunId {evidence.RunId} may still be running: attempt {state.Attempt} started {state.AttemptStartedAt:u} in process {state.ProcessId} on {state.Host}. Resume it once that process has ended." });
        }

        (IReadOnlyList<byte[]> records, string? conflict) = await evidence.ContinueRunAsync(cancellationToken).ConfigureAwait(false);
        if (conflict is not null)
        {
            return (null, new[] { $"-ResumeRunId {evidence.RunId}: {conflict}" });
        }

        var judged = new HashSet<string>(StringComparer.Ordinal);
        foreach (byte[] content in records)
        {
            if (JsonNode.Parse(content) is JsonObject record && (string?)record["outcome"] is CheckOutcome.Passed or CheckOutcome.Failed)
            {
                judged.Add(Key((string?)record["target"]?["accountId"], (string?)record["target"]?["region"], (string?)record["source"]?["resourceArn"]));
            }
        }

        state.Attempt++;
        state.AttemptStartedAt = DateTime.UtcNow;
        state.Host = Environment.MachineName;
        state.ProcessId = self;
        return (new ResumedRun(state, judged, records.Count), Array.Empty<string>());
    }

    private static string Key(string? accountId, string? region, string? sourceResourceArn) => $"{accountId}|{region}|{sourceResourceArn}";
}
