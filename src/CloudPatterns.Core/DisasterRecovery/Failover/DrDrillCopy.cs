using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// A drill's isolated copy: the pilot-light template deployed again with Purpose drill (its own VPC, load balancer
/// and tiers, no vault, no DNS record pointing at it), tagged with the run and the names of the drill's restores, so
/// the teardown, and the next drill after a killed one, know what to delete.
/// </summary>
internal sealed class DrDrillCopy
{
    private const string RunTag = "cloudpatterns:drill-run";
    private const string RestoresTag = "cloudpatterns:drill-restores";

    // The drill's VPC never talks to the pilot light's; a CIDR of its own keeps the two apart if someone peers them.
    private const string DrillCidr = "10.254.0.0/16";

    private readonly AwsTarget dr;
    private readonly DrFailoverPlan plan;
    private readonly Action<string> report;

    public DrDrillCopy(AwsTarget dr, DrFailoverPlan plan, Action<string> report)
    {
        this.dr = dr;
        this.plan = plan;
        this.report = report;
    }

    /// <summary>Creates the copy at production's size; returns its outputs (its frontend target group, its database network).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CreateAsync(DrTimelineStep step, CancellationToken cancellationToken)
    {
        var request = new StackDeploymentRequest(plan.DrillStackName, BundledTemplate.Body(CrossAccountBackupSetup.PilotLightTemplate));
        foreach (string kept in new[] { "OrganizationId", "VaultAccountId" })
        {
            request.Parameters[kept] = plan.PilotLight.Parameters[kept];
        }

        request.Parameters["Purpose"] = "drill";
        request.Parameters["VpcCidr"] = DrillCidr;
        DrCapacity.SetSizes(request, plan.Frontend, plan.Backend);
        request.Tags[PatternTags.Pattern] = CrossAccountBackupSetup.PatternName;
        request.Tags[RunTag] = plan.RunId;
        request.Tags[RestoresTag] = string.Join(",", plan.Restores.Select(r => $"{r.Kind.ResourceType}:{r.Resource.RestoredName}"));
        request.Capabilities.Add(CrossAccountBackupSetup.PilotLightCapability);
        report($"Creating the drill copy {plan.DrillStackName}");
        StackDeploymentResult result = await new StackDeployment(dr).DeployAsync(request, StackDeploymentMode.Create, null, cancellationToken).ConfigureAwait(false);
        step.Detail = $"Stack {plan.DrillStackName} {result.Stack.Status} in {dr.AccountId} {dr.Region}, load balancer {result.Stack.Outputs[DrFailoverPlan.LoadBalancerDnsOutput]} (no record points at it).";
        return result.Stack.Outputs;
    }

    public async Task<List<EvidenceCheck>> CheckAsync(DrRestores restores, string targetGroup, DrTimelineStep step, CancellationToken cancellationToken)
    {
        List<EvidenceCheck> checks = await restores.CheckAsync(cancellationToken).ConfigureAwait(false);
        int healthy = (await dr.LoadBalancing.DescribeTargetHealthAsync(new Aws.Fleet.DescribeTargetHealthRequest { TargetGroupArn = targetGroup }, cancellationToken).ConfigureAwait(false))
            .TargetHealthDescriptions.Count(d => d.TargetHealth?.State == "healthy");
        checks.Add(RestoreSteps.Check("TargetsHealthy", healthy >= plan.Frontend.Desired, $"{healthy} of {plan.Frontend.Desired} target(s) healthy behind the copy's load balancer."));
        step.Detail = string.Join(" ", checks.Select(c => $"{c.Name}: {c.Outcome}."));
        step.Outcome = checks.All(c => c.Outcome == CheckOutcome.Passed) ? CheckOutcome.Passed : CheckOutcome.Failed;
        return checks;
    }

    /// <summary>Deletes the copy and the drill's restores; never throws, the outcome is the evidence's cleanup check.</summary>
    public Task<EvidenceCheck> TearDownAsync(DrTimelineStep step, CancellationToken budget) =>
        RemoveAsync(plan.DrillStackName, plan.Restores.Select(r => (r.Kind, r.Resource.RestoredName, r.Resource.RestoreJobId)).ToList(), step, budget);

    /// <summary>Removes the copies (and their restores) that drills killed before their teardown left; says what it removed.</summary>
    public async Task<List<string>> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var leftovers = new List<PatternStack>();
        await foreach (Stack stack in dr.CloudFormation.DescribeAllStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            var found = new PatternStack(dr.AccountId, dr.Region, stack);
            if (found.StackName.StartsWith(DrFailoverPlan.DrillStackPrefix, StringComparison.Ordinal) && found.Tags.ContainsKey(RunTag) && found.StackName != plan.DrillStackName)
            {
                leftovers.Add(found);
            }
        }

        if (leftovers.Count > 0)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            waiting.CancelAfter(DrFailover.CleanupBudget);
            await WaitForRestoresAsync(leftovers.Min(l => l.CreationTime?.UtcDateTime ?? DateTime.UtcNow).AddMinutes(-1), waiting.Token).ConfigureAwait(false);
        }

        foreach (PatternStack leftover in leftovers)
        {
            var restores = (leftover.Tags.TryGetValue(RestoresTag, out var names) ? names : "")
                .Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split(':'))
                .Where(parts => parts.Length == 2 && RestorableKind.For(parts[0]) is not null)
                .Select(parts => (RestorableKind.For(parts[0])!, parts[1], (string?)null))
                .ToList();
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(DrFailover.CleanupBudget);
            EvidenceCheck check = await RemoveAsync(leftover.StackName, restores, new DrTimelineStep(), budget.Token).ConfigureAwait(false);
            removed.Add($"Drill {leftover.Tags[RunTag]} was interrupted before its teardown: {check.Detail}");
        }

        return removed;
    }

    /// <summary>
    /// A killed drill may have left restore jobs running, whose resources appear only when they end: waits for the
    /// restore jobs started since <paramref name="since"/>, so the removal by name finds what they create.
    /// </summary>
    private async Task WaitForRestoresAsync(DateTime since, CancellationToken cancellationToken)
    {
        while (true)
        {
            var running = new List<string>();
            await foreach (var job in dr.Backup.ListAllRestoreJobsAsync(new Aws.Backup.ListRestoreJobsRequest { ByCreatedAfter = since }, cancellationToken).ConfigureAwait(false))
            {
                if (!RestoreCleanup.IsFinished(job.Status) && job.RestoreJobId is { } id)
                {
                    running.Add(id);
                }
            }

            if (running.Count == 0)
            {
                return;
            }

            report($"Waiting for restore job(s) {string.Join(", ", running)} an interrupted drill started");
            await Task.Delay(plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<EvidenceCheck> RemoveAsync(string stackName, List<(RestorableKind Kind, string Name, string? JobId)> restores, DrTimelineStep step, CancellationToken budget)
    {
        var details = new List<string>();
        bool failed = false;
        var cleanup = new RestoreCleanup(dr, plan.Request.PollInterval);
        foreach (var (kind, name, jobId) in restores)
        {
            EvidenceCheck removed = await cleanup.RemoveAsync(kind, name, jobId, null, null, budget).ConfigureAwait(false);
            failed |= removed.Outcome == CheckOutcome.Failed;
            details.Add(removed.Detail);
        }

        try
        {
            var stacks = new StackDeployment(dr);
            if (await stacks.DescribeAsync(stackName, budget).ConfigureAwait(false) is not null)
            {
                report($"Deleting the drill copy {stackName}");
                await stacks.DeleteAsync(stackName, null, budget).ConfigureAwait(false);
                details.Add($"Deleted stack {stackName}.");
            }
            else
            {
                details.Add($"Stack {stackName} was never created.");
            }
        }
        catch (Exception error) when (error is StackOperationException or OperationCanceledException || AwsFailure.Describe(error) is not null)
        {
            failed = true;
            details.Add($"Deleting stack {stackName} in {dr.AccountId} {dr.Region} failed ({AwsFailure.Describe(error)?.Summary ?? error.Message}); delete it by hand, or run a drill again: it removes what earlier drills left.");
        }

        step.Detail = string.Join(" ", details);
        step.Outcome = failed ? CheckOutcome.Failed : CheckOutcome.Passed;
        return new EvidenceCheck { Name = RestoreCleanup.CheckName, Outcome = step.Outcome, Detail = step.Detail };
    }
}
