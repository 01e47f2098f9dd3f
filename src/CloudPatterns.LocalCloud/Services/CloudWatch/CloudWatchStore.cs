namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// Metrics and metric alarms per account and region, under one lock. Alarms are evaluated when data for their
/// metric arrives, when they are put, and when they are described (so a moved simulated clock shows); the
/// operations that evaluate return the state changes, whose actions the caller carries out.
/// </summary>
internal sealed class CloudWatchStore(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, MetricSeries> metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricAlarm> alarms = new(StringComparer.Ordinal);

    public TimeProvider Clock { get; } = clock;

    public IReadOnlyList<AlarmStateChange> PutMetricData(string accountId, string region, string metricNamespace, IReadOnlyList<(string MetricName, List<Dimension> Dimensions, Datapoint Point)> data)
    {
        lock (gate)
        {
            foreach (var (metricName, dimensions, point) in data)
            {
                var key = Scoped(accountId, region, MetricSeries.Key(metricNamespace, metricName, dimensions));
                if (!metrics.TryGetValue(key, out var series))
                {
                    metrics[key] = series = new MetricSeries
                    {
                        Namespace = metricNamespace,
                        MetricName = metricName,
                        Dimensions = [.. dimensions.OrderBy(dimension => dimension.Name, StringComparer.Ordinal)],
                    };
                }

                series.Datapoints.Add(point);
            }

            var touched = data.Select(item => MetricSeries.Key(metricNamespace, item.MetricName, item.Dimensions)).ToHashSet(StringComparer.Ordinal);
            return EvaluateAlarms(accountId, region, alarm => alarm.MetricKeys().Any(touched.Contains));
        }
    }

    /// <summary>Per-period aggregates of one metric, oldest first; empty when the metric has no data.</summary>
    public IReadOnlyList<Datapoint> GetStatistics(string accountId, string region, MetricQuery query)
    {
        lock (gate)
        {
            return metrics.GetValueOrDefault(Scoped(accountId, region, MetricSeries.Key(query.Namespace, query.MetricName, query.Dimensions)))
                ?.Periods(query.Start, query.End, query.Period, query.Unit).ToList() ?? [];
        }
    }

    /// <summary>Metrics whose namespace, name and dimensions match the filter (a dimension filter without a value matches any value).</summary>
    public IReadOnlyList<(string Namespace, string MetricName, IReadOnlyList<Dimension> Dimensions)> ListMetrics(
        string accountId, string region, string? metricNamespace, string? metricName, IReadOnlyList<(string Name, string? Value)> dimensionFilters)
    {
        var prefix = Scoped(accountId, region, "");
        lock (gate)
        {
            return metrics
                .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(pair => pair.Value)
                .Where(series => (metricNamespace is null || series.Namespace == metricNamespace)
                    && (metricName is null || series.MetricName == metricName)
                    && dimensionFilters.All(filter => series.Dimensions.Any(dimension => dimension.Name == filter.Name && (filter.Value is null || dimension.Value == filter.Value))))
                .OrderBy(series => series.Key(), StringComparer.Ordinal)
                .Select(series => (series.Namespace, series.MetricName, (IReadOnlyList<Dimension>)series.Dimensions.ToList()))
                .ToList();
        }
    }

    /// <summary>Creates or replaces an alarm (keeping its state), then evaluates it.</summary>
    public IReadOnlyList<AlarmStateChange> PutMetricAlarm(MetricAlarm alarm)
    {
        lock (gate)
        {
            var key = Scoped(alarm.AccountId, alarm.Region, alarm.AlarmName);
            var now = Clock.GetUtcNow();
            alarms[key] = alarms.TryGetValue(key, out var existing)
                ? alarm with
                {
                    StateValue = existing.StateValue,
                    StateReason = existing.StateReason,
                    StateUpdatedTimestamp = existing.StateUpdatedTimestamp,
                    StateTransitionedTimestamp = existing.StateTransitionedTimestamp,
                }
                : alarm with { StateUpdatedTimestamp = now, StateTransitionedTimestamp = now };
            return EvaluateAlarms(alarm.AccountId, alarm.Region, candidate => candidate.AlarmName == alarm.AlarmName);
        }
    }

    /// <summary>Deletes alarms by name; returns the names that did not exist (and deletes nothing then).</summary>
    public IReadOnlyList<string> DeleteAlarms(string accountId, string region, IReadOnlyList<string> names)
    {
        lock (gate)
        {
            var missing = names.Where(name => !alarms.ContainsKey(Scoped(accountId, region, name))).ToList();
            if (missing.Count == 0)
            {
                foreach (var name in names)
                {
                    alarms.Remove(Scoped(accountId, region, name));
                }
            }

            return missing;
        }
    }

    /// <summary>One alarm as stored (not evaluated), or null: what CloudFormation's drift detection reads.</summary>
    public MetricAlarm? FindAlarm(string accountId, string region, string name)
    {
        lock (gate)
        {
            return alarms.GetValueOrDefault(Scoped(accountId, region, name));
        }
    }

    /// <summary>The region's alarms, freshly evaluated, by name, and the state changes the evaluation made.</summary>
    public (IReadOnlyList<MetricAlarm> Alarms, IReadOnlyList<AlarmStateChange> Changes) DescribeAlarms(string accountId, string region)
    {
        lock (gate)
        {
            var changes = EvaluateAlarms(accountId, region, _ => true);
            return (InRegion(accountId, region).OrderBy(alarm => alarm.AlarmName, StringComparer.Ordinal).ToList(), changes);
        }
    }

    /// <summary>
    /// Evaluates the alarms <paramref name="which"/> picks, in every account and region, as at <paramref name="time"/>
    /// (Auto Scaling's minute steps): each with its newest value. A state is stored only when it is not older than
    /// the stored one, so a step behind the clock never undoes a newer evaluation.
    /// </summary>
    public (IReadOnlyList<(MetricAlarm Alarm, double? Latest)> Alarms, IReadOnlyList<AlarmStateChange> Changes) EvaluateAt(Func<MetricAlarm, bool> which, DateTimeOffset time)
    {
        lock (gate)
        {
            var changes = new List<AlarmStateChange>();
            var evaluated = new List<(MetricAlarm, double?)>();
            foreach (var alarm in alarms.Values.Where(which).ToList())
            {
                MetricSeries? Series(string key) => metrics.GetValueOrDefault(Scoped(alarm.AccountId, alarm.Region, key));
                var (state, reason) = AlarmEvaluator.Evaluate(alarm, Series, time);
                var now = alarm with { StateValue = state, StateReason = reason };
                if (state != alarm.StateValue && time >= alarm.StateUpdatedTimestamp)
                {
                    now = now with { StateUpdatedTimestamp = time, StateTransitionedTimestamp = time };
                    alarms[Scoped(alarm.AccountId, alarm.Region, alarm.AlarmName)] = now;
                    changes.Add(new AlarmStateChange(alarm.StateValue, now));
                }

                evaluated.Add((now, AlarmEvaluator.Latest(alarm, Series, time)));
            }

            return (evaluated, changes);
        }
    }

    /// <summary>The alarms (name, ARN) any of whose actions is <paramref name="action"/>, by name.</summary>
    public IReadOnlyList<(string Name, string Arn)> AlarmsWithAction(string action)
    {
        lock (gate)
        {
            return alarms.Values.Where(alarm => alarm.AlarmActions.Concat(alarm.OKActions).Concat(alarm.InsufficientDataActions).Contains(action))
                .OrderBy(alarm => alarm.AlarmName, StringComparer.Ordinal).Select(alarm => (alarm.AlarmName, alarm.AlarmArn)).ToList();
        }
    }

    public CloudWatchSnapshot Snapshot()
    {
        lock (gate)
        {
            return new CloudWatchSnapshot(
                metrics.Select(pair => new SavedSeries(pair.Key, pair.Value.Namespace, pair.Value.MetricName, [.. pair.Value.Dimensions], [.. pair.Value.Datapoints])).ToList(),
                [.. alarms.Values]);
        }
    }

    public void Restore(CloudWatchSnapshot snapshot)
    {
        lock (gate)
        {
            metrics.Clear();
            foreach (var saved in snapshot.Metrics)
            {
                metrics[saved.Key] = new MetricSeries { Namespace = saved.Namespace, MetricName = saved.MetricName, Dimensions = saved.Dimensions, Datapoints = saved.Datapoints };
            }

            alarms.Clear();
            foreach (var alarm in snapshot.Alarms)
            {
                alarms[Scoped(alarm.AccountId, alarm.Region, alarm.AlarmName)] = alarm;
            }
        }
    }

    private static string Scoped(string accountId, string region, string key) => $"{accountId}\n{region}\n{key}";

    private IEnumerable<MetricAlarm> InRegion(string accountId, string region) =>
        alarms.Values.Where(alarm => alarm.AccountId == accountId && alarm.Region == region);

    private List<AlarmStateChange> EvaluateAlarms(string accountId, string region, Func<MetricAlarm, bool> which)
    {
        var now = Clock.GetUtcNow();
        var changes = new List<AlarmStateChange>();
        foreach (var alarm in InRegion(accountId, region).Where(which).ToList())
        {
            var (state, reason) = AlarmEvaluator.Evaluate(alarm, key => metrics.GetValueOrDefault(Scoped(accountId, region, key)), now);
            if (state == alarm.StateValue)
            {
                continue;
            }

            var changed = alarm with { StateValue = state, StateReason = reason, StateUpdatedTimestamp = now, StateTransitionedTimestamp = now };
            alarms[Scoped(accountId, region, alarm.AlarmName)] = changed;
            changes.Add(new AlarmStateChange(alarm.StateValue, changed));
        }

        return changes;
    }
}

/// <summary>What GetMetricStatistics and GetMetricData ask of one metric.</summary>
internal sealed record MetricQuery(string Namespace, string MetricName, IReadOnlyList<Dimension> Dimensions, DateTimeOffset Start, DateTimeOffset End, int Period, string? Unit);

/// <summary>An alarm that changed state: the state it left and the alarm as it is now.</summary>
internal sealed record AlarmStateChange(string OldState, MetricAlarm Alarm);

/// <summary>The CloudWatch part of the state file.</summary>
internal sealed record CloudWatchSnapshot(List<SavedSeries> Metrics, List<MetricAlarm> Alarms);

internal sealed record SavedSeries(string Key, string Namespace, string MetricName, List<Dimension> Dimensions, List<Datapoint> Datapoints);
