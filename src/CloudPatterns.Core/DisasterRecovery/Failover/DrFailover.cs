using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Sandbox;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// Runs a <see cref="DrFailoverPlan"/> (docs/dr-failover.md, "Failover, drill, failback"), timing every step on the
/// run's clock (<see cref="RunClock"/>). Traffic moves last, and only once the DR side is healthy: a stop (Ctrl+C) or
/// a failure before that leaves the records as they were. A rerun of a failover finishes it (restores and the scaled
/// pilot light are found, not made twice). A drill tears its copy down whatever happened, within
/// <see cref="CleanupBudget"/>, and the next drill removes what a killed one left.
/// </summary>
public sealed class DrFailover
{
    /// <summary>The teardown runs after Ctrl+C too, so it has its own budget instead of the cancelled token.</summary>
    public static readonly TimeSpan CleanupBudget = TimeSpan.FromMinutes(15);

    private readonly AwsSession session;
    private readonly DrFailoverPlan plan;
    private readonly AwsTarget dr;
    private readonly RunClock clock;
    private readonly IProgress<string>? progress;
    private readonly DrFailoverTimeline timeline;
    private readonly List<string> warnings = new();
    private readonly DrCapacity capacity;

    private DrFailover(AwsSession session, DrFailoverPlan plan, AwsTarget dr, RunClock clock, IProgress<string>? progress)
    {
        this.session = session;
        this.plan = plan;
        this.dr = dr;
        this.clock = clock;
        this.progress = progress;
        DrFailoverRequest request = plan.Request;
        warnings.AddRange(plan.Warnings);
        capacity = new DrCapacity(dr, plan, clock, Report);
        timeline = new DrFailoverTimeline
        {
            Mode = request.Mode,
            AccountId = request.DrAccountId,
            Region = request.DrRegion,
            SourceAccountId = request.SourceAccountId,
            SourceRegion = request.SourceRegion,
            Application = plan.Application,
            RunId = plan.RunId,
            RtoTarget = request.RtoTarget,
            RpoTarget = request.RpoTarget,
            Endpoint = plan.Endpoint,
            Resources = plan.Restores.Select(restore => restore.Resource).ToList(),
        };
    }

    /// <summary>
    /// Runs the plan. A drill writes its evidence to <paramref name="evidence"/> (required for drills). A stop ends
    /// the waiting: the timeline says Aborted and the <see cref="OperationCanceledException"/> goes on.
    /// </summary>
    public static async Task<DrFailoverTimeline> RunAsync(AwsSession session, DrFailoverPlan plan, EvidenceStore? evidence, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        AwsTarget dr = await session.GetTargetAsync(plan.Request.DrAccountId, plan.Request.DrRegion, cancellationToken).ConfigureAwait(false);
        var run = new DrFailover(session, plan, dr, await RunClock.ForAsync(dr, cancellationToken).ConfigureAwait(false), progress);
        return plan.Request.Mode switch
        {
            DrFailoverMode.Drill => await run.DrillAsync(evidence ?? throw new ArgumentNullException(nameof(evidence), "A drill writes evidence: give the evidence store."), cancellationToken).ConfigureAwait(false),
            DrFailoverMode.Failback => await run.FailbackAsync(cancellationToken).ConfigureAwait(false),
            _ => await run.FailoverAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<DrFailoverTimeline> FailoverAsync(CancellationToken cancellationToken)
    {
        await RunStepsAsync(
            async () =>
            {
                Task restoring = TimedAsync(DrFailoverSteps.Restore, step => new DrRestores(dr, plan, Report).Into(plan.PilotLight.Outputs).RunAsync(step, cancellationToken), cancellationToken);
                Task scaling = TimedAsync(DrFailoverSteps.Scale, step => capacity.ScaleAsync(plan.Request.PilotLightStackName, plan.Frontend, plan.Backend, step, cancellationToken), cancellationToken);
                await Task.WhenAll(restoring, scaling).ConfigureAwait(false);
                await TimedAsync(DrFailoverSteps.WaitHealthy, step => capacity.WaitHealthyAsync(plan.PilotLight.Outputs[DrFailoverPlan.TargetGroupOutput], plan.Frontend.Desired, timeline.StartedAt, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                DrTimelineStep switched = await TimedAsync(DrFailoverSteps.SwitchTraffic, step => SwitchAsync(toDr: true, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                timeline.Rto = switched.EndedAt - timeline.StartedAt;
            },
            cancellationToken).ConfigureAwait(false);
        return timeline;
    }

    private async Task<DrFailoverTimeline> FailbackAsync(CancellationToken cancellationToken)
    {
        await RunStepsAsync(
            async () =>
            {
                await TimedAsync(DrFailoverSteps.CheckProduction, step => capacity.CheckProductionAsync(session, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (plan.CopyBacks.Count > 0 && plan.CopyBackTo is { } to)
                {
                    // The data changed in the DR account goes back before the traffic does.
                    AwsTarget production = await session.GetTargetAsync(plan.Request.SourceAccountId, plan.Request.SourceRegion, cancellationToken).ConfigureAwait(false);
                    string drRole = plan.Request.IamRoleArn ?? plan.PilotLight.Outputs[DrFailoverPlan.RestoreRoleOutput];
                    await TimedAsync(DrFailoverSteps.CopyBack, step => new DrCopyBack(dr, production, plan, Report).RunAsync(plan.CopyBacks, to, drRole, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                DrTimelineStep switched = await TimedAsync(DrFailoverSteps.SwitchTraffic, step => SwitchAsync(toDr: false, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                timeline.Rto = switched.EndedAt - timeline.StartedAt;
                await TimedAsync(DrFailoverSteps.ScaleDown, step => capacity.ScaleAsync(plan.Request.PilotLightStackName, (0, 0), (0, 0), step, cancellationToken), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return timeline;
    }

    private Task<DrFailoverTimeline> DrillAsync(EvidenceStore evidence, CancellationToken cancellationToken) =>
        new DrDrill(this, evidence).RunAsync(cancellationToken);

    /// <summary>Times the whole run, sets its status and RPO, and never lets a failure hide the timeline.</summary>
    private async Task RunStepsAsync(Func<Task> steps, CancellationToken cancellationToken)
    {
        timeline.StartedAt = await clock.NowAsync(cancellationToken).ConfigureAwait(false);
        if (plan.Request.Mode != DrFailoverMode.Failback && timeline.Resources.Select(r => r.CapturedAt).Min() is { } oldest)
        {
            timeline.Rpo = timeline.StartedAt - oldest;
        }

        try
        {
            await steps().ConfigureAwait(false);
            timeline.Status = "Succeeded";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            timeline.Status = CheckOutcome.Aborted;
            throw;
        }
        catch (Exception error) when (error is DrFailoverException or Deployment.StackOperationException || AwsFailure.Describe(error) is not null)
        {
            timeline.Status = CheckOutcome.Failed;
            warnings.Add(AwsFailure.Describe(error) is { } failure ? $"AWS refused a call: {failure.Summary}" : error.Message);
        }
        finally
        {
            timeline.EndedAt = await clock.NowAsync(CancellationToken.None).ConfigureAwait(false);
            timeline.Warnings = warnings.ToArray();
        }
    }

    /// <summary>Runs one step of the timeline: its start and end on the run's clock, its outcome and detail.</summary>
    internal async Task<DrTimelineStep> TimedAsync(string name, Func<DrTimelineStep, Task> body, CancellationToken cancellationToken)
    {
        var step = new DrTimelineStep { Name = name, StartedAt = await clock.NowAsync(cancellationToken).ConfigureAwait(false) };
        lock (timeline.Steps)
        {
            timeline.Steps.Add(step);
        }

        try
        {
            await body(step).ConfigureAwait(false);
            step.Outcome = string.IsNullOrEmpty(step.Outcome) ? CheckOutcome.Passed : step.Outcome;
            return step;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            step.Outcome = CheckOutcome.Aborted;
            throw;
        }
        catch (Exception error)
        {
            step.Outcome = CheckOutcome.Failed;
            step.Detail = AwsFailure.Describe(error)?.Summary ?? error.Message;
            throw;
        }
        finally
        {
            step.EndedAt = await clock.NowAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SwitchAsync(bool toDr, DrTimelineStep step, CancellationToken cancellationToken)
    {
        if (plan.Traffic is not { } traffic)
        {
            step.Outcome = CheckOutcome.Skipped;
            step.Detail = $"No hosted zone given: the DR side is healthy at {plan.Endpoint}; point the application's name at it.";
            return;
        }

        Report($"Switching traffic: {traffic.Describe()}");
        step.Detail = await traffic.SwitchAsync(toDr, plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
        timeline.TrafficSwitched = toDr;
    }

    private void Report(string activity) => progress?.Report(activity);

    /// <summary>The drill's part of the run, kept apart from the failover's.</summary>
    private sealed class DrDrill
    {
        private readonly DrFailover run;
        private readonly EvidenceStore evidence;

        public DrDrill(DrFailover run, EvidenceStore evidence)
        {
            this.run = run;
            this.evidence = evidence;
        }

        public async Task<DrFailoverTimeline> RunAsync(CancellationToken cancellationToken)
        {
            DrFailoverPlan plan = run.plan;
            DrFailoverTimeline timeline = run.timeline;
            timeline.DrillStackName = plan.DrillStackName;
            var copy = new DrDrillCopy(run.dr, plan, run.Report);
            run.warnings.AddRange(await copy.RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false));
            var checks = new List<EvidenceCheck>();
            var restores = new DrRestores(run.dr, plan, run.Report);
            string? targetGroup = null;
            try
            {
                await run.RunStepsAsync(
                    async () =>
                    {
                        // The restores go into the copy's network, so they start once it exists.
                        IReadOnlyDictionary<string, string> outputs = new Dictionary<string, string>();
                        await run.TimedAsync(DrFailoverSteps.CreateDrillCopy, async step => outputs = await copy.CreateAsync(step, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                        targetGroup = outputs[DrFailoverPlan.TargetGroupOutput];
                        await run.TimedAsync(DrFailoverSteps.Restore, step => restores.Into(outputs).RunAsync(step, cancellationToken), cancellationToken).ConfigureAwait(false);
                        await run.TimedAsync(DrFailoverSteps.WaitHealthy, step => run.capacity.WaitHealthyAsync(targetGroup!, plan.Frontend.Desired, timeline.StartedAt, step, cancellationToken), cancellationToken).ConfigureAwait(false);
                        DrTimelineStep checkedStep = await run.TimedAsync(DrFailoverSteps.Check, async step => checks.AddRange(await copy.CheckAsync(restores, targetGroup!, step, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
                        timeline.Rto = checkedStep.EndedAt - timeline.StartedAt;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                using var budget = new CancellationTokenSource(CleanupBudget);
                EvidenceCheck cleanup = new() { Name = RestoreCleanup.CheckName };
                await run.TimedAsync(DrFailoverSteps.TearDown, async step => cleanup = await copy.TearDownAsync(step, budget.Token).ConfigureAwait(false), budget.Token).ConfigureAwait(false);
                await run.TimedAsync(DrFailoverSteps.RecordEvidence, step => RecordAsync(checks, cleanup, step, budget.Token), budget.Token).ConfigureAwait(false);
                timeline.Warnings = run.warnings.ToArray();
            }

            return timeline;
        }

        private async Task RecordAsync(List<EvidenceCheck> checks, EvidenceCheck cleanup, DrTimelineStep step, CancellationToken cancellationToken)
        {
            DrFailoverPlan plan = run.plan;
            DrFailoverTimeline timeline = run.timeline;
            var record = new EvidenceRecord
            {
                Kind = EvidenceKind.Drill,
                StartedAt = timeline.StartedAt,
                ToolVersion = plan.Request.ToolVersion,
                CallerArn = run.session.CallerArn,
                Source = new EvidenceResource { AccountId = plan.Request.SourceAccountId, Region = plan.Request.SourceRegion, ResourceArn = plan.Application, ResourceType = "Application" },
                Target = new EvidenceRestoreTarget { AccountId = run.dr.AccountId, Region = run.dr.Region, BackupVaultName = plan.Request.BackupVaultName, RestoredResourceArn = plan.DrillStackName },
                RecoveryPointArn = string.Join(" ", timeline.Resources.Select(r => r.RecoveryPointArn)),
                RecoveryPointCreatedAt = timeline.Resources.Select(r => r.CapturedAt).Min(),
                Rto = new EvidenceMeasure { MeasuredSeconds = timeline.Rto?.TotalSeconds, TargetSeconds = timeline.RtoTarget.TotalSeconds },
                Rpo = new EvidenceMeasure { MeasuredSeconds = timeline.Rpo?.TotalSeconds, TargetSeconds = timeline.RpoTarget.TotalSeconds },
                Checks = checks,
                Cleanup = cleanup,
                Timeline = timeline.Steps.Where(s => s.Name != DrFailoverSteps.RecordEvidence)
                    .Select(s => new EvidenceTimelineStep { Name = s.Name, StartedAt = s.StartedAt, EndedAt = s.EndedAt, Outcome = s.Outcome }).ToList(),
            };
            record.Checks.Add(RestoreSteps.Check(DrValidation.RtoWithinTarget, timeline.RtoMet, $"The copy was healthy and checked {timeline.Rto?.ToString() ?? "never"} after the drill started; the target is {timeline.RtoTarget}."));
            record.Checks.Add(RestoreSteps.Check(DrValidation.RpoWithinTarget, timeline.RpoMet, $"The oldest recovery point used was {timeline.Rpo} old when the drill started; the target is {timeline.RpoTarget}."));
            bool passed = timeline.Status == "Succeeded" && record.Checks.All(c => c.Outcome != CheckOutcome.Failed) && cleanup.Outcome != CheckOutcome.Failed;
            record.Outcome = timeline.Status == CheckOutcome.Aborted ? CheckOutcome.Aborted : passed ? CheckOutcome.Passed : CheckOutcome.Failed;
            record.RecordedAt = DateTime.UtcNow;
            StoredEvidence stored = await evidence.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            timeline.EvidenceBucket = stored.Bucket;
            timeline.EvidenceKey = stored.Key;
            step.Detail = $"s3://{stored.Bucket}/{stored.Key} ({record.Outcome})";
            if (!passed && timeline.Status == "Succeeded")
            {
                timeline.Status = CheckOutcome.Failed;
            }
        }
    }
}

/// <summary>A failover that cannot go on: the message says what was found and what to do.</summary>
public sealed class DrFailoverException : Exception
{
    public DrFailoverException(string message)
        : base(message)
    {
    }
}
