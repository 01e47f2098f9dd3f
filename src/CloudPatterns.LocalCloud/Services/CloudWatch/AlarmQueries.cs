using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>One item of a metric math alarm's Metrics: a metric's statistic (MetricStat) or an expression over others.</summary>
internal sealed record AlarmQuery(
    string Id,
    string? Expression,
    string? Namespace,
    string? MetricName,
    List<Dimension> Dimensions,
    string? Stat,
    int? Period,
    string? Unit,
    string? Label,
    bool ReturnData);

/// <summary>
/// PutMetricAlarm's Metrics (docs/localcloud-cloudwatch.md): up to 10 MetricStat and 10 Expression items, ids that
/// start with a lower-case letter and are unique, exactly one item with ReturnData true (the default), expressions
/// that read only the array's ids without cycles and give one time series. The alarm's values: each metric's
/// statistic per period of the evaluation range, then the returned expression over them.
/// </summary>
internal static partial class AlarmQueries
{
    private const int MaxPerKind = 10;

    public static List<AlarmQuery> Read(IReadOnlyList<ProtocolInput> items, Func<ProtocolInput, string, List<Dimension>> dimensions, Func<int?, string, int> period,
        string? thresholdMetricId = null)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var queries = Parse(items, "Metrics", dimensions, period);
        if (thresholdMetricId is null)
        {
            Check(queries);
        }
        else
        {
            AnomalyBands.Check(queries, thresholdMetricId);
        }

        return queries;
    }

    /// <summary>
    /// The items of a list of metric queries (an alarm's Metrics, GetMetricData's MetricDataQueries), each checked on
    /// its own: an Id of the documented form, and exactly one of MetricStat and Expression.
    /// </summary>
    public static List<AlarmQuery> Parse(IReadOnlyList<ProtocolInput> items, string collection, Func<ProtocolInput, string, List<Dimension>> dimensions, Func<int?, string, int> period) =>
        items.Select((item, index) =>
        {
            var member = $"{collection}.member.{index + 1}";
            var id = item.String("Id") ?? throw Invalid($"The parameter {member}.Id is required.");
            if (!IdPattern().IsMatch(id))
            {
                throw Invalid($"The value {id} for parameter {member}.Id is invalid: an Id starts with a lower-case letter and has only letters, digits and underscores.");
            }

            var stat = item.Structure("MetricStat");
            var expression = item.String("Expression");
            if ((stat is null) == (expression is null))
            {
                throw Invalid($"Exactly one of {member}.MetricStat and {member}.Expression must be given (Id {id}).");
            }

            var metric = stat?.Structure("Metric");
            if (stat is not null && metric is null)
            {
                throw Invalid($"The parameter {member}.MetricStat.Metric is required.");
            }

            var statistic = stat?.String("Stat");
            if (stat is not null && (statistic is null || !Datapoint.IsStatistic(statistic)))
            {
                throw Invalid($"The value {statistic ?? "(none)"} for parameter {member}.MetricStat.Stat is invalid: LocalCloud takes {string.Join(", ", Datapoint.Statistics)} and the extended statistics (p99, tm90, IQM, TM(10%:90%), PR(0:300) ...).");
            }

            return new AlarmQuery(
                id,
                expression,
                metric is null ? null : metric.String("Namespace") ?? throw Invalid($"The parameter {member}.MetricStat.Metric.Namespace is required."),
                metric is null ? null : metric.String("MetricName") ?? throw Invalid($"The parameter {member}.MetricStat.Metric.MetricName is required."),
                metric is null ? [] : dimensions(metric, $"{member}.MetricStat.Metric"),
                statistic,
                stat is null ? null : period(stat.Int("Period"), $"{member}.MetricStat.Period"),
                stat?.String("Unit"),
                item.String("Label"),
                item.Bool("ReturnData") ?? true);
        }).ToList();

    private static void Check(List<AlarmQuery> queries)
    {
        CheckExpressions(queries, "Metrics");
        if (queries.Count(query => query.Expression is null) > MaxPerKind || queries.Count(query => query.Expression is not null) > MaxPerKind)
        {
            throw Invalid($"Metrics can hold at most {MaxPerKind} items with MetricStat and {MaxPerKind} with Expression.");
        }

        var returned = queries.Where(query => query.ReturnData).ToList();
        if (returned.Count != 1)
        {
            throw Invalid($"Exactly one item of Metrics must have ReturnData true (the default), not {returned.Count}: {string.Join(", ", returned.Select(query => query.Id))}.");
        }

        // A trial evaluation on one made-up period finds cycles, wrong argument kinds and results that are not one series.
        var now = DateTimeOffset.UnixEpoch;
        var result = Values(queries, (_, _) => new MathValue.Series(new SortedDictionary<DateTimeOffset, double> { [now] = 1 }), [now], 60);
        if (result is not MathValue.Series)
        {
            throw Invalid($"The expression of {returned[0].Id} must give a single time series for an alarm, and it gives {(result is MathValue.Scalar ? "a number" : "an array")}.");
        }
    }

    /// <summary>
    /// What alarms and GetMetricData both require: unique ids, and expressions that parse and read only ids of the
    /// collection (cycles are found when they are evaluated).
    /// </summary>
    public static void CheckExpressions(IReadOnlyList<AlarmQuery> queries, string collection)
    {
        if (queries.GroupBy(query => query.Id).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw Invalid($"The Id {repeated.Key} is used by more than one item of {collection}; ids must be unique.");
        }

        var ids = queries.Select(query => query.Id).ToList();
        foreach (var query in queries.Where(query => query.Expression is not null))
        {
            MathNode parsed;
            try
            {
                parsed = MetricMath.Parse(query.Expression!);
            }
            catch (MetricMathException error)
            {
                throw Invalid($"The expression of {query.Id} is invalid: {error.Message}");
            }

            if (MetricMath.References(parsed).FirstOrDefault(name => !ids.Contains(name)) is { } unknown)
            {
                throw Invalid($"The expression of {query.Id} reads {unknown}, which is not an Id of {collection} ({string.Join(", ", ids)}).");
            }
        }
    }

    /// <summary>The returned item's value; metric reads a MetricStat item's per-period statistic over the timestamps.</summary>
    public static MathValue Values(IReadOnlyList<AlarmQuery> queries, Func<AlarmQuery, IReadOnlyList<DateTimeOffset>, MathValue.Series> metric, IReadOnlyList<DateTimeOffset> timestamps, int periodSeconds) =>
        Values(queries, metric, timestamps, periodSeconds, queries.Single(query => query.ReturnData).Id);

    /// <summary>The value of the item <paramref name="id"/> (a metric's series, or an expression over the others).</summary>
    public static MathValue Values(IReadOnlyList<AlarmQuery> queries, Func<AlarmQuery, IReadOnlyList<DateTimeOffset>, MathValue.Series> metric, IReadOnlyList<DateTimeOffset> timestamps, int periodSeconds, string id)
    {
        var byId = queries.ToDictionary(query => query.Id);
        var values = new Dictionary<string, MathValue>();
        var evaluating = new HashSet<string>();
        MathContext? context = null;
        MathValue Resolve(string id)
        {
            if (values.TryGetValue(id, out var known))
            {
                return known;
            }

            var query = byId[id];
            if (!evaluating.Add(id))
            {
                throw Invalid($"The expression of {id} depends on itself.");
            }

            try
            {
                values[id] = query.Expression is null ? metric(query, timestamps) : MetricMath.Evaluate(MetricMath.Parse(query.Expression), context!);
            }
            catch (MetricMathException error)
            {
                throw Invalid($"The expression of {id} is invalid: {error.Message}");
            }

            evaluating.Remove(id);
            return values[id];
        }

        context = new MathContext(Resolve, timestamps, periodSeconds);
        return Resolve(id);
    }

    /// <summary>The alarm's period: the longest of its metrics' periods (every metric is read over it).</summary>
    public static int Period(IReadOnlyList<AlarmQuery> queries) => queries.Max(query => query.Period ?? 0);

    public static JsonArray Json(IEnumerable<AlarmQuery> queries) => new([.. queries.Select(query =>
    {
        var item = new JsonObject { ["Id"] = query.Id };
        if (query.Expression is not null)
        {
            item["Expression"] = query.Expression;
        }
        else
        {
            var stat = new JsonObject
            {
                ["Metric"] = new JsonObject
                {
                    ["Namespace"] = query.Namespace,
                    ["MetricName"] = query.MetricName,
                    ["Dimensions"] = new JsonArray([.. query.Dimensions.Select(dimension => (JsonNode)new JsonObject { ["Name"] = dimension.Name, ["Value"] = dimension.Value })]),
                },
                ["Period"] = query.Period,
                ["Stat"] = query.Stat,
            };
            if (query.Unit is not null)
            {
                stat["Unit"] = query.Unit;
            }

            item["MetricStat"] = stat;
        }

        if (query.Label is not null)
        {
            item["Label"] = query.Label;
        }

        item["ReturnData"] = query.ReturnData;
        return (JsonNode)item;
    })]);

    internal static AwsServiceException Invalid(string message) => new(400, "ValidationError", message);

    [GeneratedRegex("^[a-z][A-Za-z0-9_]*$")]
    private static partial Regex IdPattern();
}
