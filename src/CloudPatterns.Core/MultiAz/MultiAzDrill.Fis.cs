using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Fis;
using CloudPatterns.Aws.Monitoring;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.MultiAz;

/// <summary>The drill through AWS Fault Injection Service: the same in AWS and in LocalCloud (docs/multi-az-drill.md).</summary>
public sealed partial class MultiAzDrill
{
    /// <summary>The tag templates/multi-az/az-failure-experiment.yaml puts on its experiment template: the stack it drills.</summary>
    public const string DrillOfTag = "cloudpatterns:drill-of";

    /// <summary>How often the drill reads the experiment in AWS, where it waits in real time.</summary>
    public TimeSpan AwsPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The experiment template to run: <see cref="ExperimentTemplateId"/>, else the stack's (tagged
    /// cloudpatterns:drill-of) whose subnet target is filtered to <paramref name="zone"/>; null when there is none.
    /// </summary>
    private async Task<(string TemplateId, TimeSpan Duration)?> FindExperimentAsync(string stackName, string zone, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        if (ExperimentTemplateId is { } given)
        {
            candidates.Add(given);
        }
        else
        {
            await foreach (var summary in target.Fis.ListAllExperimentTemplatesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (summary.Id is { } id && summary.Tags.TryGetValue(DrillOfTag, out var drilled) && drilled == stackName)
                {
                    candidates.Add(id);
                }
            }
        }

        foreach (var id in candidates)
        {
            var template = (await target.Fis.GetExperimentTemplateAsync(new GetExperimentTemplateRequest { Id = id }, cancellationToken).ConfigureAwait(false)).ExperimentTemplate;
            var zones = template?.Targets.Values.Where(t => t.ResourceType == "aws:ec2:subnet")
                .SelectMany(t => t.Filters).Where(f => f.Path == "AvailabilityZone").SelectMany(f => f.Values).ToList() ?? new List<string>();
            if (template is not null && zones.Contains(zone, StringComparer.Ordinal))
            {
                var durations = template.Actions.Values.Select(a => a.Parameters.TryGetValue("duration", out var text) ? System.Xml.XmlConvert.ToTimeSpan(text) : TimeSpan.Zero);
                return (id, durations.DefaultIfEmpty(TimeSpan.Zero).Max());
            }
        }

        return null;
    }

    /// <summary>
    /// Starts the experiment, measures while it runs (LocalCloud: the probe on the sandbox clock; AWS: the load
    /// balancer's CloudWatch metrics once it ends), and stops it if the drill ends first (Ctrl+C, a failure).
    /// </summary>
    private async Task RunExperimentAsync(Uri? admin, DrillSetup setup, (string TemplateId, TimeSpan Duration) experiment, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        // One request, so one client token: a start retried after a 5xx is the same experiment, not a second one.
        var start = new StartExperimentRequest
        {
            ExperimentTemplateId = experiment.TemplateId,
            Tags = new Dictionary<string, string> { [DrillOfTag] = result.StackName },
        };
        var started = (await Transient.RetryAsync(token => target.Fis.StartExperimentAsync(start, token), cancellationToken).ConfigureAwait(false)).Experiment;
        var id = started?.Id ?? throw new InvalidOperationException($"StartExperiment of {experiment.TemplateId} answered no experiment.");
        result.ExperimentId = id;
        var ended = started.Ended ? started : null;
        try
        {
            if (admin is not null)
            {
                await ProbeAsync(admin, setup, result, experiment.Duration + ProbeInterval, cancellationToken).ConfigureAwait(false);
                ended = await ExperimentAsync(id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                ended = await WaitForExperimentAsync(id, setup, result, cancellationToken).ConfigureAwait(false);
                await ReadLoadBalancerMetricsAsync(setup, ended, result, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (ended?.Ended != true)
            {
                ended = await StopExperimentAsync(admin, id, result).ConfigureAwait(false) ?? ended;
            }

            result.ExperimentState = ended?.State?.Status;
            result.ExperimentReason = ended?.State?.Reason;
        }
    }

    /// <summary>
    /// Stops the experiment when the drill ends before it (Ctrl+C, a failure). Throttling and 5xx answers are retried
    /// by the client (ThrottlingRetryPolicy), then again as a whole call (Transient). When FIS still refuses, the zone must not stay down: in LocalCloud the
    /// drill lifts the zone's outage through the admin API; in AWS it cannot, and the error names the experiment to
    /// stop (docs/multi-az-drill.md, "When FIS fails").
    /// </summary>
    private async Task<Experiment?> StopExperimentAsync(Uri? admin, string id, MultiAzDrillResult result)
    {
        try
        {
            return (await Transient.RetryAsync(token => target.Fis.StopExperimentAsync(new StopExperimentRequest { Id = id }, token), CancellationToken.None).ConfigureAwait(false)).Experiment;
        }
        catch (Exception error) when (AwsFailure.IsTransient(error))
        {
            if (admin is not null)
            {
                await SetOutageAsync(admin, result.AvailabilityZone, failed: false, CancellationToken.None).ConfigureAwait(false);
                result.ExperimentReason = $"StopExperiment failed ({error.Message}); the zone's outage was lifted through LocalCloud's admin API.";
                return null;
            }

            throw new InvalidOperationException(
                $"The drill could not stop AWS FIS experiment {id} ({error.Message}): {result.AvailabilityZone} stays cut off until the experiment ends. Stop it with: aws fis stop-experiment --id {id} --region {target.Region}", error);
        }
    }

    private async Task<Experiment?> ExperimentAsync(string id, CancellationToken cancellationToken) =>
        (await Transient.RetryAsync(token => target.Fis.GetExperimentAsync(new GetExperimentRequest { Id = id }, token), cancellationToken).ConfigureAwait(false)).Experiment;

    /// <summary>AWS: reads the experiment (and the capacity outside the zone) every <see cref="AwsPollInterval"/> until it ends.</summary>
    private async Task<Experiment?> WaitForExperimentAsync(string id, DrillSetup setup, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(AwsPollInterval, cancellationToken).ConfigureAwait(false);
            await CheckCapacityAsync(setup, result, clock.Elapsed.TotalSeconds, cancellationToken).ConfigureAwait(false);
            if (await ExperimentAsync(id, cancellationToken).ConfigureAwait(false) is { Ended: true } experiment)
            {
                result.DurationSeconds = clock.Elapsed.TotalSeconds;
                return experiment;
            }
        }
    }

    /// <summary>
    /// AWS: the load balancer's requests and 5xx answers (its own and its targets') per minute of the experiment
    /// (namespace AWS/ApplicationELB), as Requests and FailedRequests; the last minute with errors as ErrorsForSeconds.
    /// </summary>
    private async Task ReadLoadBalancerMetricsAsync(DrillSetup setup, Experiment? experiment, MultiAzDrillResult result, CancellationToken cancellationToken)
    {
        var start = experiment?.StartTime ?? DateTime.UtcNow.AddSeconds(-result.DurationSeconds);
        var end = experiment?.EndTime ?? DateTime.UtcNow;
        var loadBalancer = setup.LoadBalancerArn.Substring(setup.LoadBalancerArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length);
        async Task<List<MetricDatapoint>> SumsAsync(string metric) => (await target.CloudWatch.GetMetricStatisticsAsync(new GetMetricStatisticsRequest
        {
            Namespace = "AWS/ApplicationELB",
            MetricName = metric,
            Dimensions = new List<Dimension> { new() { Name = "LoadBalancer", Value = loadBalancer } },
            StartTime = start,
            EndTime = end,
            Period = 60,
            Statistics = new List<string> { "Sum" },
        }, cancellationToken).ConfigureAwait(false)).Datapoints;

        result.Requests = (int)(await SumsAsync("RequestCount").ConfigureAwait(false)).Sum(p => p.Sum ?? 0);
        var errors = (await SumsAsync("HTTPCode_ELB_5XX_Count").ConfigureAwait(false)).Concat(await SumsAsync("HTTPCode_Target_5XX_Count").ConfigureAwait(false)).ToList();
        result.FailedRequests = result.FirstAttemptFailures = (int)errors.Sum(p => p.Sum ?? 0);
        var last = errors.Where(p => p.Sum > 0 && p.Timestamp is not null).Select(p => p.Timestamp!.Value).DefaultIfEmpty().Max();
        result.ErrorsForSeconds = last == default ? null : Math.Max(0, (last.AddSeconds(60) - start).TotalSeconds);
    }
}
