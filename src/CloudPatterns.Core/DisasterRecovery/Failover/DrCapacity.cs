using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Fleet;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Sandbox;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.DisasterRecovery.Failover;

/// <summary>
/// The pilot light's capacity: scaled by a parameter change of its stack (the template's tier sizes), and judged by
/// the health of the targets behind its load balancer; production's judged the same way before a failback.
/// </summary>
internal sealed class DrCapacity
{
    private readonly AwsTarget dr;
    private readonly DrFailoverPlan plan;
    private readonly RunClock clock;
    private readonly Action<string> report;

    public DrCapacity(AwsTarget dr, DrFailoverPlan plan, RunClock clock, Action<string> report)
    {
        this.dr = dr;
        this.plan = plan;
        this.clock = clock;
        this.report = report;
    }

    /// <summary>The tier-size parameters of the pilot-light template.</summary>
    public static void SetSizes(StackDeploymentRequest request, (int Min, int Desired) frontend, (int Min, int Desired) backend)
    {
        request.Parameters["FrontendMinSize"] = frontend.Min.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Parameters["FrontendDesiredCapacity"] = frontend.Desired.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Parameters["BackendMinSize"] = backend.Min.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Parameters["BackendDesiredCapacity"] = backend.Desired.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Updates the stack with its own template and parameters, the tier sizes changed: a parameter change, not a build.</summary>
    public async Task ScaleAsync(string stackName, (int Min, int Desired) frontend, (int Min, int Desired) backend, DrTimelineStep step, CancellationToken cancellationToken)
    {
        var stacks = new StackDeployment(dr);
        PatternStack current = await stacks.DescribeAsync(stackName, cancellationToken).ConfigureAwait(false)
            ?? throw new DrFailoverException($"The pilot light {stackName} is gone from {dr.AccountId} {dr.Region}.");
        var request = new StackDeploymentRequest(stackName, await stacks.GetTemplateBodyAsync(stackName, cancellationToken).ConfigureAwait(false));
        foreach (var parameter in current.Parameters)
        {
            request.Parameters[parameter.Key] = parameter.Value;
        }

        foreach (var tag in current.Tags)
        {
            request.Tags[tag.Key] = tag.Value;
        }

        SetSizes(request, frontend, backend);
        request.Capabilities.Add(CrossAccountBackupSetup.PilotLightCapability);
        report($"Scaling {stackName}: frontend {frontend.Desired}, backend {backend.Desired}");
        StackDeploymentResult result = await stacks.DeployAsync(request, StackDeploymentMode.Update, null, cancellationToken).ConfigureAwait(false);
        step.Detail = $"Stack {stackName} {result.Stack.Status}: frontend {frontend.Desired}, backend {backend.Desired} instance(s) ({result.Changes.Count} resource change(s)).";
    }

    /// <summary>Waits until <paramref name="desired"/> targets are healthy, up to the request's timeout from <paramref name="startedAt"/> on the run's clock.</summary>
    public async Task WaitHealthyAsync(string targetGroupArn, int desired, DateTime startedAt, DrTimelineStep step, CancellationToken cancellationToken)
    {
        DateTime deadline = startedAt + plan.Request.Timeout;
        while (true)
        {
            int healthy = await HealthyAsync(dr, targetGroupArn, cancellationToken).ConfigureAwait(false);
            step.Detail = $"{healthy} of {desired} target(s) healthy in {targetGroupArn}.";
            if (healthy >= Math.Max(1, desired))
            {
                return;
            }

            if (await clock.NowAsync(cancellationToken).ConfigureAwait(false) > deadline)
            {
                throw new DrFailoverException($"Only {healthy} of {desired} target(s) behind {targetGroupArn} were healthy {plan.Request.Timeout} after the start; traffic was not moved.");
            }

            report(step.Detail);
            await Task.Delay(plan.Request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Production serves again: a healthy target behind its frontend load balancer.</summary>
    public async Task CheckProductionAsync(AwsSession session, DrTimelineStep step, CancellationToken cancellationToken)
    {
        AwsTarget production = await session.GetTargetAsync(plan.Request.SourceAccountId, plan.Request.SourceRegion, cancellationToken).ConfigureAwait(false);
        if (plan.ProductionTargetGroups.Count == 0)
        {
            throw new DrFailoverException($"The application's stacks ({string.Join(", ", plan.Request.StackNames)}) have no frontend target group to check production's health by; traffic stays on the DR side.");
        }

        int healthy = 0;
        foreach (string targetGroup in plan.ProductionTargetGroups)
        {
            healthy += await HealthyAsync(production, targetGroup, cancellationToken).ConfigureAwait(false);
        }

        step.Detail = $"{healthy} healthy target(s) in production {plan.Request.SourceAccountId} {plan.Request.SourceRegion}.";
        if (healthy == 0)
        {
            throw new DrFailoverException($"Production in {plan.Request.SourceAccountId} {plan.Request.SourceRegion} has no healthy target yet; traffic stays on the DR side. Fail back once it serves.");
        }
    }

    private static async Task<int> HealthyAsync(AwsTarget target, string targetGroupArn, CancellationToken cancellationToken) =>
        (await Transient.RetryAsync(token => target.LoadBalancing.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, token), cancellationToken).ConfigureAwait(false))
            .TargetHealthDescriptions.Count(d => d.TargetHealth?.State == "healthy");
}
