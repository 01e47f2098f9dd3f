using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.DisasterRecovery.Orchestration;

namespace CloudPatterns.Core.GitOps.Reconciler;

/// <summary>
/// The GitOps reconciler (docs/gitops-reconciler.md): on a scheduled event it reconciles every target of the latest
/// published bundle; on a CloudTrail change event ("AWS API Call via CloudTrail") it reconciles the account and region
/// the call changed, when the manifest targets them. The work is <see cref="StackReconciler.SyncAsync"/>, the code
/// Sync-StackManifest runs, with the manifest's reconcile policy for -SelfHeal and -Prune, so only stacks the bundle's
/// manifest owns are changed. Each run that reads the bundle is recorded once in the history bucket.
/// </summary>
public static class GitOpsReconciler
{
    public const string CloudTrailCall = "AWS API Call via CloudTrail";
    public const string Reconciled = "Reconciled";
    public const string Refused = "Refused";
    public const string Ignored = "Ignored";

    public static async Task<JsonObject> HandleAsync(AwsSession session, ReconcilerSettings settings, JsonObject envelope, CancellationToken cancellationToken)
    {
        var incoming = OrchestratorEvent.From(envelope);
        string trigger;
        string? cause = null;
        (string AccountId, string Region)? scope = null;
        if (incoming.DetailType == DrOrchestrator.ScheduledEvent && incoming.Source is "aws.events" or "aws.scheduler")
        {
            trigger = "Schedule";
        }
        else if (incoming.DetailType == CloudTrailCall && incoming.Source != "aws.cloudformation")
        {
            trigger = "Change";
            var caller = (incoming.Detail["userIdentity"] as JsonObject)?["arn"]?.GetValue<string>() ?? "(unknown principal)";
            cause = $"{incoming.DetailText("eventSource")} {incoming.DetailText("eventName")} by {caller}";
            var account = incoming.DetailText("recipientAccountId");
            var region = incoming.DetailText("awsRegion");
            scope = (account.Length > 0 ? account : incoming.Account, region.Length > 0 ? region : incoming.Region);
        }
        else
        {
            // CloudFormation's own calls are the reconciler's deployments (and a person's, which the next event or run sees).
            return Outcome(Ignored, incoming.Id, $"The reconciler handles Scheduled Events and '{CloudTrailCall}' events other than CloudFormation's; this is '{incoming.DetailType}' from '{incoming.Source}'.");
        }

        var home = await session.GetTargetAsync(session.CallerAccountId, null, cancellationToken).ConfigureAwait(false);
        var bundles = new BundleStore(home.S3, settings.BundleBucket, settings.BundleKey);
        var history = new SyncHistoryStore(home.S3, settings.HistoryBucket, settings.HistoryPrefix);
        var key = history.KeyFor(incoming.Time, incoming.Id);
        var record = new JsonObject
        {
            ["runId"] = key.Substring(history.Prefix.Length, key.Length - history.Prefix.Length - ".json".Length),
            ["time"] = incoming.Time.ToString("o"),
            ["trigger"] = trigger,
            ["cause"] = cause,
            ["eventId"] = incoming.Id,
            ["bundle"] = bundles.Location(null),
        };

        var latest = await bundles.ReadLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return await RecordAsync(history, key, record, Refused, $"No bundle at {bundles.Location(null)}: publish one with Publish-StackManifest.", null, cancellationToken).ConfigureAwait(false);
        }

        ManifestBundle bundle;
        StackManifest manifest;
        record["bundleVersionId"] = latest.Value.VersionId;
        try
        {
            bundle = ManifestBundle.Parse(latest.Value.Text, bundles.Location(latest.Value.VersionId));
            record["commit"] = bundle.Commit;
            record["digest"] = bundle.Digest;
            manifest = bundle.Open();
        }
        catch (Exception ex) when (ex is BundleDigestException or ManifestException)
        {
            return await RecordAsync(history, key, record, Refused, ex.Message, null, cancellationToken).ConfigureAwait(false);
        }

        var owner = bundle.OwnerOf(manifest);
        if (owner.Id is null)
        {
            return await RecordAsync(history, key, record, Refused, "The bundle's manifest has no id, so it owns no stack: nothing was deployed.", null, cancellationToken).ConfigureAwait(false);
        }

        var targets = (await ManifestTargets.ResolveAsync(session, manifest, cancellationToken).ConfigureAwait(false))
            .Where(t => scope is null || (t.AccountId == scope.Value.AccountId && t.Region == scope.Value.Region))
            .ToList();
        if (targets.Count == 0)
        {
            return Outcome(Ignored, incoming.Id, $"{cause}: {scope?.AccountId} {scope?.Region} is not a target of {bundle.ManifestPath} at commit {bundle.Commit}.");
        }

        var revision = new GitOpsRevision(bundle.Commit, owner, session.CallerArn);
        var results = new JsonArray();
        var failed = 0;
        var changed = 0;
        foreach (var desired in targets)
        {
            var entry = new JsonObject { ["accountId"] = desired.AccountId, ["region"] = desired.Region };
            try
            {
                var target = await session.GetTargetAsync(desired.AccountId, desired.Region, cancellationToken).ConfigureAwait(false);
                var result = await new StackReconciler(target, revision).SyncAsync(desired, manifest.Reconcile.ToOptions(), null, cancellationToken).ConfigureAwait(false);
                entry["status"] = result.Status;
                entry["error"] = result.Error;
                entry["stacks"] = new JsonArray(result.Stacks.Select(s => (JsonNode)new JsonObject
                {
                    ["stackName"] = s.StackName,
                    ["before"] = s.Before,
                    ["action"] = s.Action,
                    ["message"] = s.Message,
                }).ToArray());
                failed += result.Error is null ? 0 : 1;
                changed += result.Changed;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A target that cannot be reached (its role, a refusal) is recorded; the others are still reconciled.
                entry["status"] = "Failed";
                entry["error"] = ex.Message;
                failed++;
            }

            results.Add(entry);
        }

        record["changed"] = changed;
        var status = failed > 0 ? "Failed" : "Succeeded";
        return await RecordAsync(history, key, record, status, $"{targets.Count} target(s), {changed} stack(s) changed, {failed} target(s) failed.", results, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonObject> RecordAsync(SyncHistoryStore history, string key, JsonObject record, string status, string message, JsonArray? targets, CancellationToken cancellationToken)
    {
        record["status"] = status;
        record["message"] = message;
        record["targets"] = targets ?? new JsonArray();
        var written = await history.AppendAsync(key, record, cancellationToken).ConfigureAwait(false);
        var outcome = Outcome(status == Refused ? Refused : Reconciled, record["eventId"]?.GetValue<string>() ?? "", message);
        outcome["status"] = status;
        outcome["commit"] = record["commit"]?.DeepClone();
        outcome["changed"] = record["changed"]?.DeepClone();
        outcome["historyKey"] = key;
        outcome["recorded"] = written ? "new" : "already recorded (a retried or repeated event)";
        outcome["targets"] = record["targets"]!.DeepClone();
        return outcome;
    }

    private static JsonObject Outcome(string action, string eventId, string detail) => new()
    {
        ["action"] = action,
        ["eventId"] = eventId,
        ["detail"] = detail,
    };
}
