using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// GetMetricData's MetricDataQueries (docs/localcloud-cloudwatch.md, "GetMetricData"): MetricStat items read one
/// metric's statistic per period; Expression items are metric math over the other items' ids, evaluated as alarms
/// evaluate theirs (<see cref="AlarmQueries"/>), every metric read over the longest MetricStat period of the request.
/// Limits as AWS documents them: at most 500 items, ids of at most 255 characters, expressions of at most 2,048.
/// SEARCH expressions and Metrics Insights queries are refused: LocalCloud does not emulate them.
/// </summary>
internal static class MetricDataQueries
{
    public const int MaxQueries = 500;
    public const int MaxIdLength = 255;
    public const int MaxExpressionLength = 2048;

    public static JsonArray Results(
        CloudWatchStore store,
        string accountId,
        string region,
        IReadOnlyList<ProtocolInput> items,
        (DateTimeOffset Start, DateTimeOffset End, bool Ascending) range,
        Func<ProtocolInput, string, List<Dimension>> dimensions,
        Func<int?, string, int> period)
    {
        if (items.Count > MaxQueries)
        {
            throw AlarmQueries.Invalid($"The collection MetricDataQueries must not have a size greater than {MaxQueries}; it has {items.Count}.");
        }

        var queries = AlarmQueries.Parse(items, "MetricDataQueries", dimensions, period);
        Check(queries);
        var gridPeriod = queries.Any(query => query.Expression is null)
            ? AlarmQueries.Period(queries)
            : throw AlarmQueries.Invalid("An expression needs at least one MetricStat item in MetricDataQueries to read; LocalCloud takes the period of its metrics from them.");
        var timestamps = Enumerable.Range(0, (int)((range.End - range.Start).Ticks / TimeSpan.FromSeconds(gridPeriod).Ticks))
            .Select(index => range.Start.AddSeconds((double)index * gridPeriod))
            .ToList();
        MathValue.Series Metric(AlarmQuery query, int seconds) => new(new SortedDictionary<DateTimeOffset, double>(
            AlarmEvaluator.Points(store.GetStatistics(accountId, region, new MetricQuery(query.Namespace!, query.MetricName!, query.Dimensions, range.Start, range.End, seconds, query.Unit)), query.Stat!)
                .ToDictionary(point => point.Timestamp, point => point.Value)));

        var results = new JsonArray();
        foreach (var query in queries.Where(query => query.ReturnData))
        {
            var value = query.Expression is null
                ? Metric(query, query.Period!.Value)
                : AlarmQueries.Values(queries, (metric, _) => Metric(metric, gridPeriod), timestamps, gridPeriod, query.Id);
            var series = value switch
            {
                MathValue.Series one => [one],
                MathValue.Array many => many.Items,
                // A number (AVG(m1)) is the same value at every period of the range, as a graph draws it.
                MathValue.Scalar number => [new MathValue.Series(new SortedDictionary<DateTimeOffset, double>(timestamps.ToDictionary(time => time, _ => number.Value)))],
                _ => new List<MathValue.Series>(),
            };
            foreach (var one in series)
            {
                var points = range.Ascending ? one.Points.ToList() : one.Points.Reverse().ToList();
                results.Add(new JsonObject
                {
                    ["Id"] = query.Id,
                    ["Label"] = query.Label ?? query.MetricName ?? query.Id,
                    ["Timestamps"] = new JsonArray([.. points.Select(point => JsonValue.Create(point.Key))]),
                    ["Values"] = new JsonArray([.. points.Select(point => JsonValue.Create(point.Value))]),
                    ["StatusCode"] = "Complete",
                });
            }
        }

        return results;
    }

    private static void Check(List<AlarmQuery> queries)
    {
        if (queries.FirstOrDefault(query => query.Id.Length > MaxIdLength) is { } longId)
        {
            throw AlarmQueries.Invalid($"The Id {longId.Id[..20]}... has {longId.Id.Length} characters; an Id has at most {MaxIdLength}.");
        }

        foreach (var query in queries.Where(query => query.Expression is not null))
        {
            var expression = query.Expression!;
            if (expression.Length is 0 or > MaxExpressionLength)
            {
                throw AlarmQueries.Invalid($"The expression of {query.Id} has {expression.Length} characters; an expression has 1 to {MaxExpressionLength}.");
            }

            if (expression.Contains("SEARCH(", StringComparison.OrdinalIgnoreCase) || expression.TrimStart().StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase))
            {
                throw AlarmQueries.Invalid($"The expression of {query.Id} is a SEARCH expression or a Metrics Insights query, which LocalCloud does not emulate; it evaluates metric math over the ids of MetricDataQueries.");
            }
        }

        AlarmQueries.CheckExpressions(queries, "MetricDataQueries");
    }
}
