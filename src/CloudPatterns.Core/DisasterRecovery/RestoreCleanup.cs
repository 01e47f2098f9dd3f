using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Backup;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// Removes what a restore created, in one account and region: waits for the restore job to end (a job still running
/// would otherwise create its resource after the delete), deletes the resource and confirms it is gone. The same
/// code serves a validation's own cleanup and the sweep of what interrupted runs left.
/// </summary>
internal sealed class RestoreCleanup
{
    public const string CheckName = "Cleanup";

    private readonly AwsTarget target;
    private readonly TimeSpan pollInterval;

    public RestoreCleanup(AwsTarget target, TimeSpan pollInterval)
    {
        this.target = target;
        this.pollInterval = pollInterval;
    }

    public static bool IsFinished(string? status) => status is "COMPLETED" or "FAILED" or "ABORTED";

    /// <summary>
    /// Never throws: the outcome is a check for the evidence. <paramref name="budget"/> bounds the whole cleanup and
    /// is not the run's cancellation, so Ctrl+C stops the waiting for results, never the cleanup.
    /// </summary>
    public async Task<EvidenceCheck> RemoveAsync(RestorableKind kind, string intendedName, string? jobId, string? jobStatus, string? createdResourceArn, CancellationToken budget)
    {
        string? restoredName = null;
        try
        {
            while (jobId is not null && !IsFinished(jobStatus))
            {
                if (jobStatus is not null)
                {
                    await Task.Delay(pollInterval, budget).ConfigureAwait(false);
                }

                DescribeRestoreJobResponse job = await Transient.RetryAsync(token => target.Backup.DescribeRestoreJobAsync(new DescribeRestoreJobRequest { RestoreJobId = jobId }, token), budget).ConfigureAwait(false);
                jobStatus = job.Status ?? "PENDING";
                createdResourceArn = job.CreatedResourceArn;
            }

            restoredName = kind.RestoredName(intendedName, createdResourceArn);
            if (restoredName is null || await Transient.RetryAsync(token => kind.DescribeAsync(target, restoredName, token), budget).ConfigureAwait(false) is null)
            {
                return jobId is null && restoredName is null
                    ? new EvidenceCheck { Name = CheckName, Outcome = CheckOutcome.Skipped, Detail = "No restore job was started; nothing to delete." }
                    : new EvidenceCheck { Name = CheckName, Outcome = CheckOutcome.Passed, Detail = $"The restore left no {kind.ResourceType} {restoredName ?? "resource"} behind." };
            }

            await Transient.RetryAsync(token => kind.DeleteAsync(target, restoredName, token), budget).ConfigureAwait(false);
            var after = await Transient.RetryAsync(token => kind.DescribeAsync(target, restoredName, token), budget).ConfigureAwait(false);
            bool gone = after is null || after.Value.Status.StartsWith("delet", StringComparison.OrdinalIgnoreCase);
            return Check(gone, gone
                ? $"Deleted {kind.ResourceType} {restoredName}{(createdResourceArn is { } arn ? $" ({arn})" : "")}."
                : $"{kind.ResourceType} {restoredName} is still {after!.Value.Status} after its deletion; delete it in {target.AccountId} {target.Region}.");
        }
        catch (Exception error) when (AwsFailure.Describe(error) is { } failure)
        {
            return Check(false, $"Deleting {kind.ResourceType} {restoredName ?? intendedName} in {target.AccountId} {target.Region} failed: {failure.Summary}. Delete it by hand.");
        }
        catch (OperationCanceledException)
        {
            string what = restoredName is null ? $"restore job {jobId} (still {jobStatus ?? "starting"})" : $"{kind.ResourceType} {restoredName}";
            return Check(false, $"Cleaning up {what} in {target.AccountId} {target.Region} did not finish within the cleanup budget. Delete it by hand, or run Invoke-DrValidation again: it removes what earlier runs left.");
        }
    }

    /// <summary>The restore job an intent started when the run died before it could note the job id.</summary>
    public async Task<string?> FindJobAsync(RestoreIntent intent, CancellationToken cancellationToken)
    {
        DateTime since = intent.StartedAt.AddMinutes(-1);
        var request = new ListRestoreJobsRequest { ByCreatedAfter = since };
        List<RestoreJobsListMember> jobs = await Transient.RetryAsync(
            async token =>
            {
                var all = new List<RestoreJobsListMember>();
                await foreach (RestoreJobsListMember job in target.Backup.ListAllRestoreJobsAsync(request, token).ConfigureAwait(false))
                {
                    all.Add(job);
                }

                return all;
            },
            cancellationToken).ConfigureAwait(false);
        return jobs
            .Where(job => job.RecoveryPointArn == intent.RecoveryPointArn && job.CreationDate >= since)
            .OrderBy(job => job.CreationDate)
            .Select(job => job.RestoreJobId)
            .FirstOrDefault();
    }

    /// <summary>
    /// Whether the run that wrote <paramref name="intent"/> can no longer be cleaning up itself: its process on this
    /// machine has ended, or it started longer ago than any run may take.
    /// </summary>
    public static bool IsAbandoned(RestoreIntent intent, TimeSpan longestRun)
    {
        if (DateTime.UtcNow - intent.StartedAt > longestRun)
        {
            return true;
        }

        return HasEnded(intent.Host, intent.ProcessId);
    }

    /// <summary>Whether process <paramref name="processId"/> of <paramref name="host"/> is known to have ended (only this machine's are known).</summary>
    public static bool HasEnded(string host, int processId)
    {
        if (!string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            using Process process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static EvidenceCheck Check(bool passed, string detail) =>
        new() { Name = CheckName, Outcome = passed ? CheckOutcome.Passed : CheckOutcome.Failed, Detail = detail };
}
