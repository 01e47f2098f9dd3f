using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// Amazon CloudWatch (2010-08-01): metrics, statistics and metric alarms, over JSON 1.0 (awsQueryCompatible) and Query.
/// </summary>
internal sealed class CloudWatchService : QueryCompatibleJsonService
{
    private const int ListMetricsPageSize = 500;
    private const int MaxDimensions = 30;
    private static readonly string[] SingleMetricParameters = ["Namespace", "MetricName", "Dimensions", "Period", "Unit", "Statistic", "ExtendedStatistic"];
    private static readonly string[] TreatMissingDataValues = ["breaching", "notBreaching", "ignore", "missing"];
    private readonly CloudWatchStore store;
    private readonly SnsStore sns;

    public CloudWatchService(CloudWatchStore store, SnsStore sns)
        : base("monitoring", "GraniteServiceVersion20100801", "2010-08-01", "http://monitoring.amazonaws.com/doc/2010-08-01/")
    {
        this.store = store;
        this.sns = sns;
        AddOperation("PutMetricData", mutating: true, PutMetricData);
        AddOperation("GetMetricStatistics", mutating: false, GetMetricStatistics);
        AddOperation("GetMetricData", mutating: false, GetMetricData);
        AddOperation("ListMetrics", mutating: false, ListMetrics);
        AddOperation("PutMetricAlarm", mutating: true, PutMetricAlarm);
        AddOperation("DescribeAlarms", mutating: false, DescribeAlarms);
        AddOperation("DeleteAlarms", mutating: true, DeleteAlarms);
    }

    private JsonObject PutMetricData(AwsRequest request, ProtocolInput input)
    {
        var metricNamespace = Required(input.String("Namespace"), "Namespace");
        if (metricNamespace.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw InvalidValue("Namespace", metricNamespace);
        }

        var now = store.Clock.GetUtcNow();
        var data = input.List("MetricData").Select((datum, index) =>
        {
            var member = $"MetricData.member.{index + 1}";
            var unit = datum.String("Unit");
            return (
                Required(datum.String("MetricName"), $"{member}.MetricName"),
                Dimensions(datum, member),
                ReadDatapoint(datum, member, datum.Time("Timestamp") ?? now, unit));
        }).ToList();
        if (data.Count == 0)
        {
            throw Missing("MetricData");
        }

        AlarmNotifications.Publish(sns, store.PutMetricData(request.AccountId, request.Region, metricNamespace, data));
        return [];
    }

    /// <summary>One datum as an aggregate: a single Value, a StatisticSet, or Values with Counts.</summary>
    private static Datapoint ReadDatapoint(ProtocolInput datum, string member, DateTimeOffset timestamp, string? unit)
    {
        var value = datum.Double("Value");
        var set = datum.Structure("StatisticValues");
        var values = datum.Doubles("Values");
        if (new[] { value is not null, set is not null, values.Count > 0 }.Count(given => given) > 1)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", $"The parameters {member}.Value, {member}.StatisticValues and {member}.Values are mutually exclusive and you have specified more than one.");
        }

        if (set is not null)
        {
            return new Datapoint(
                timestamp,
                Required(set.Double("SampleCount"), $"{member}.StatisticValues.SampleCount"),
                Required(set.Double("Sum"), $"{member}.StatisticValues.Sum"),
                Required(set.Double("Minimum"), $"{member}.StatisticValues.Minimum"),
                Required(set.Double("Maximum"), $"{member}.StatisticValues.Maximum"),
                unit);
        }

        if (values.Count > 0)
        {
            var counts = datum.Doubles("Counts");
            if (counts.Count > 0 && counts.Count != values.Count)
            {
                throw new AwsServiceException(400, "InvalidParameterValue", $"The parameters {member}.Values and {member}.Counts must be of the same size.");
            }

            var weighted = values.Select((sample, index) => (Sample: sample, Count: counts.Count > 0 ? counts[index] : 1)).ToList();
            return new Datapoint(timestamp, weighted.Sum(item => item.Count), weighted.Sum(item => item.Sample * item.Count), values.Min(), values.Max(), unit)
            {
                Samples = [.. weighted.Select(item => new Sample(item.Sample, item.Count))],
            };
        }

        var single = Required(value, $"{member}.Value");
        return new Datapoint(timestamp, 1, single, single, single, unit);
    }

    private static List<Dimension> Dimensions(ProtocolInput input, string member)
    {
        var dimensions = input.List("Dimensions")
            .Select((dimension, index) => new Dimension(
                Required(dimension.String("Name"), $"{member}.Dimensions.member.{index + 1}.Name"),
                Required(dimension.String("Value"), $"{member}.Dimensions.member.{index + 1}.Value")))
            .ToList();
        return dimensions.Count <= MaxDimensions
            ? dimensions
            : throw new AwsServiceException(400, "InvalidParameterValue", $"The collection {member}.Dimensions must not have a size greater than {MaxDimensions}.");
    }

    private JsonObject GetMetricStatistics(AwsRequest request, ProtocolInput input)
    {
        var metricName = Required(input.String("MetricName"), "MetricName");
        var statistics = input.Strings("Statistics");
        var extended = input.Strings("ExtendedStatistics");
        if ((statistics.Count == 0) == (extended.Count == 0))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics");
        }

        if (statistics.FirstOrDefault(statistic => !Datapoint.Statistics.Contains(statistic)) is { } unknown)
        {
            throw InvalidValue("Statistics", unknown);
        }

        // GetMetricStatistics' ExtendedStatistics are percentiles only, p0.0 to p100 (its API reference).
        if (extended.FirstOrDefault(statistic => ExtendedStatistic.Parse(statistic) is not { IsPercentile: true }) is { } notPercentile)
        {
            throw InvalidValue("ExtendedStatistics", notPercentile);
        }

        var query = new MetricQuery(
            Required(input.String("Namespace"), "Namespace"),
            metricName,
            Dimensions(input, "Dimensions"),
            Required(input.Time("StartTime"), "StartTime"),
            Required(input.Time("EndTime"), "EndTime"),
            Period(input.Int("Period"), "Period"),
            input.String("Unit"));
        var datapoints = store.GetStatistics(request.AccountId, request.Region, query).Select(point =>
        {
            var output = new JsonObject { ["Timestamp"] = JsonValue.Create(point.Timestamp) };
            foreach (var statistic in statistics)
            {
                output[statistic] = point.Value(statistic);
            }

            if (extended.Count > 0)
            {
                var values = new JsonObject();
                foreach (var statistic in extended)
                {
                    if (point.Value(statistic) is { } value)
                    {
                        values[statistic] = value;
                    }
                }

                output["ExtendedStatistics"] = values;
            }

            output["Unit"] = point.Unit ?? "None";
            return (JsonNode)output;
        });
        return new JsonObject { ["Label"] = metricName, ["Datapoints"] = new JsonArray([.. datapoints]) };
    }

    private JsonObject GetMetricData(AwsRequest request, ProtocolInput input)
    {
        var start = Required(input.Time("StartTime"), "StartTime");
        var end = Required(input.Time("EndTime"), "EndTime");
        var ascending = input.String("ScanBy") == "TimestampAscending";
        var queries = input.List("MetricDataQueries");
        if (queries.Count == 0)
        {
            throw Missing("MetricDataQueries");
        }

        var results = MetricDataQueries.Results(store, request.AccountId, request.Region, queries, (start, end, ascending), Dimensions, Period);
        return new JsonObject { ["MetricDataResults"] = results, ["Messages"] = new JsonArray() };
    }

    private JsonObject ListMetrics(AwsRequest request, ProtocolInput input)
    {
        var filters = input.List("Dimensions")
            .Select(filter => (Required(filter.String("Name"), "Dimensions.member.Name"), filter.String("Value")))
            .ToList();
        var found = store.ListMetrics(request.AccountId, request.Region, input.String("Namespace"), input.String("MetricName"), filters);
        var (page, nextToken) = PageTokens.Page(found, "ListMetrics", input.String("NextToken"), ListMetricsPageSize, InvalidNextToken);
        return WithNextToken(
            new JsonObject
            {
                ["Metrics"] = new JsonArray([.. page.Select(metric => (JsonNode)new JsonObject
                {
                    ["Namespace"] = metric.Namespace,
                    ["MetricName"] = metric.MetricName,
                    ["Dimensions"] = DimensionsJson(metric.Dimensions),
                })]),
            },
            nextToken);
    }

    private JsonObject PutMetricAlarm(AwsRequest request, ProtocolInput input)
    {
        PutAlarm(store, sns, request.AccountId, request.Region, Required(input.String("AlarmName"), "AlarmName"), input);
        return [];
    }

    /// <summary>
    /// PutMetricAlarm's checks and effect (the alarm created or replaced, evaluated, its actions carried out), also
    /// for AWS::CloudWatch::Alarm, whose properties are PutMetricAlarm's parameters.
    /// </summary>
    internal static void PutAlarm(CloudWatchStore store, SnsStore sns, string accountId, string region, string name, ProtocolInput input)
    {
        var metrics = input.List("Metrics");
        var both = SingleMetricParameters.Where(parameter => input.String(parameter) is not null || input.List(parameter).Count > 0).ToList();
        if (metrics.Count > 0 && both.Count > 0)
        {
            throw new AwsServiceException(400, "ValidationError", $"With Metrics (a metric math alarm), {string.Join(", ", both)} may not be given: Namespace, MetricName, Dimensions, Period, Unit, Statistic and ExtendedStatistic belong to the items of Metrics.");
        }

        var thresholdMetricId = input.String("ThresholdMetricId");
        var comparison = Required(input.String("ComparisonOperator"), "ComparisonOperator");
        AnomalyBands.CheckAlarm(thresholdMetricId, comparison, input.Double("Threshold"), metrics.Count);
        var queries = AlarmQueries.Read(metrics, Dimensions, Period, thresholdMetricId);
        var (statistic, extendedStatistic) = queries.Count > 0 ? (null, null) : Statistic(input);
        var lowSampleCount = input.String("EvaluateLowSampleCountPercentile");
        var evaluationPeriods = Required(input.Int("EvaluationPeriods"), "EvaluationPeriods");
        var datapointsToAlarm = input.Int("DatapointsToAlarm");
        var treatMissingData = input.String("TreatMissingData") ?? "missing";
        if (lowSampleCount is not null and not ("evaluate" or "ignore"))
        {
            throw InvalidValue("EvaluateLowSampleCountPercentile", lowSampleCount);
        }

        if (!AlarmEvaluator.Comparisons.ContainsKey(comparison) && !AnomalyBands.Comparisons.ContainsKey(comparison))
        {
            throw InvalidValue("ComparisonOperator", comparison);
        }

        if (evaluationPeriods < 1 || datapointsToAlarm is < 1 || datapointsToAlarm > evaluationPeriods)
        {
            throw new AwsServiceException(400, "ValidationError", "DatapointsToAlarm must be between 1 and EvaluationPeriods, and EvaluationPeriods at least 1.");
        }

        if (!TreatMissingDataValues.Contains(treatMissingData))
        {
            throw InvalidValue("TreatMissingData", treatMissingData);
        }

        AlarmNotifications.Publish(sns, store.PutMetricAlarm(new MetricAlarm
        {
            AlarmName = name,
            AlarmArn = $"arn:aws:cloudwatch:{region}:{accountId}:alarm:{name}",
            AccountId = accountId,
            Region = region,
            AlarmDescription = input.String("AlarmDescription"),
            ActionsEnabled = input.Bool("ActionsEnabled") ?? true,
            OKActions = [.. input.Strings("OKActions")],
            AlarmActions = [.. input.Strings("AlarmActions")],
            InsufficientDataActions = [.. input.Strings("InsufficientDataActions")],
            MetricName = queries.Count > 0 ? null : Required(input.String("MetricName"), "MetricName"),
            Namespace = queries.Count > 0 ? null : Required(input.String("Namespace"), "Namespace"),
            Statistic = statistic,
            ExtendedStatistic = extendedStatistic,
            EvaluateLowSampleCountPercentile = lowSampleCount,
            Dimensions = Dimensions(input, "Dimensions"),
            Period = queries.Count > 0 ? AlarmQueries.Period(queries) : Period(input.Int("Period"), "Period"),
            Metrics = queries,
            Unit = input.String("Unit"),
            EvaluationPeriods = evaluationPeriods,
            DatapointsToAlarm = datapointsToAlarm,
            Threshold = thresholdMetricId is null ? Required(input.Double("Threshold"), "Threshold") : 0,
            ThresholdMetricId = thresholdMetricId,
            ComparisonOperator = comparison,
            TreatMissingData = treatMissingData,
            AlarmConfigurationUpdatedTimestamp = store.Clock.GetUtcNow(),
        }));
    }

    /// <summary>
    /// A single-metric alarm's statistic: exactly one of Statistic and ExtendedStatistic (PutMetricAlarm's API
    /// reference; the refusal's wording is LocalCloud's).
    /// </summary>
    private static (string? Statistic, string? ExtendedStatistic) Statistic(ProtocolInput input)
    {
        var statistic = input.String("Statistic");
        var extended = input.String("ExtendedStatistic");
        if ((statistic is null) == (extended is null))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Exactly one of Statistic and ExtendedStatistic must be given for an alarm on a single metric.");
        }

        if (statistic is not null && !Datapoint.Statistics.Contains(statistic))
        {
            throw InvalidValue("Statistic", statistic);
        }

        if (extended is not null && ExtendedStatistic.Parse(extended) is null)
        {
            throw InvalidValue("ExtendedStatistic", extended);
        }

        return (statistic, extended);
    }

    private JsonObject DescribeAlarms(AwsRequest request, ProtocolInput input)
    {
        var names = input.Strings("AlarmNames");
        var prefix = input.String("AlarmNamePrefix");
        var state = input.String("StateValue");
        var actionPrefix = input.String("ActionPrefix");
        var types = input.Strings("AlarmTypes");
        var maxRecords = input.Int("MaxRecords") ?? 50;
        if (maxRecords is < 1 or > 100)
        {
            throw InvalidValue("MaxRecords", maxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var (alarms, changes) = store.DescribeAlarms(request.AccountId, request.Region);
        AlarmNotifications.Publish(sns, changes);
        var matching = alarms
            .Where(alarm => (names.Count == 0 || names.Contains(alarm.AlarmName))
                && (prefix is null || alarm.AlarmName.StartsWith(prefix, StringComparison.Ordinal))
                && (state is null || alarm.StateValue == state)
                && (actionPrefix is null || alarm.AlarmActions.Concat(alarm.OKActions).Concat(alarm.InsufficientDataActions).Any(action => action.StartsWith(actionPrefix, StringComparison.Ordinal)))
                && (types.Count == 0 || types.Contains("MetricAlarm")))
            .ToList();
        var (page, nextToken) = PageTokens.Page(matching, "DescribeAlarms", input.String("NextToken"), maxRecords, InvalidNextToken);
        return WithNextToken(
            new JsonObject { ["MetricAlarms"] = new JsonArray([.. page.Select(AlarmJson)]), ["CompositeAlarms"] = new JsonArray() },
            nextToken);
    }

    /// <summary>All or nothing: one unknown name refuses the call (the message wording is inferred).</summary>
    private JsonObject DeleteAlarms(AwsRequest request, ProtocolInput input)
    {
        var names = input.Strings("AlarmNames");
        if (names.Count == 0)
        {
            throw Missing("AlarmNames");
        }

        var missing = store.DeleteAlarms(request.AccountId, request.Region, names);
        return missing.Count == 0
            ? []
            : throw new AwsServiceException(404, "ResourceNotFound", $"{missing.Count} out of {names.Count} alarms were not found: [{string.Join(", ", missing)}]");
    }

    private static JsonNode AlarmJson(MetricAlarm alarm)
    {
        var output = new JsonObject
        {
            ["AlarmName"] = alarm.AlarmName,
            ["AlarmArn"] = alarm.AlarmArn,
            ["AlarmDescription"] = alarm.AlarmDescription,
            ["AlarmConfigurationUpdatedTimestamp"] = JsonValue.Create(alarm.AlarmConfigurationUpdatedTimestamp),
            ["ActionsEnabled"] = alarm.ActionsEnabled,
            ["OKActions"] = Strings(alarm.OKActions),
            ["AlarmActions"] = Strings(alarm.AlarmActions),
            ["InsufficientDataActions"] = Strings(alarm.InsufficientDataActions),
            ["StateValue"] = alarm.StateValue,
            ["StateReason"] = alarm.StateReason,
            ["StateUpdatedTimestamp"] = JsonValue.Create(alarm.StateUpdatedTimestamp),
            ["MetricName"] = alarm.MetricName,
            ["Namespace"] = alarm.Namespace,
            ["Statistic"] = alarm.Statistic,
            ["ExtendedStatistic"] = alarm.ExtendedStatistic,
            ["Dimensions"] = alarm.Metrics.Count > 0 ? null : DimensionsJson(alarm.Dimensions),
            ["Period"] = alarm.Metrics.Count > 0 ? null : alarm.Period,
            ["Unit"] = alarm.Unit,
            ["EvaluationPeriods"] = alarm.EvaluationPeriods,
            ["DatapointsToAlarm"] = alarm.DatapointsToAlarm,
            ["Threshold"] = alarm.ThresholdMetricId is null ? alarm.Threshold : null,
            ["ThresholdMetricId"] = alarm.ThresholdMetricId,
            ["ComparisonOperator"] = alarm.ComparisonOperator,
            ["TreatMissingData"] = alarm.TreatMissingData,
            ["EvaluateLowSampleCountPercentile"] = alarm.EvaluateLowSampleCountPercentile,
            ["StateTransitionedTimestamp"] = JsonValue.Create(alarm.StateTransitionedTimestamp),
            ["Metrics"] = alarm.Metrics.Count > 0 ? AlarmQueries.Json(alarm.Metrics) : null,
        };
        foreach (var absent in output.Where(pair => pair.Value is null).Select(pair => pair.Key).ToList())
        {
            output.Remove(absent);
        }

        return output;
    }

    /// <summary>Adds NextToken when there is a next page.</summary>
    private static JsonObject WithNextToken(JsonObject output, string? nextToken)
    {
        if (nextToken is not null)
        {
            output["NextToken"] = nextToken;
        }

        return output;
    }

    private static AwsServiceException InvalidNextToken() =>
        new(400, "InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.");

    internal static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => JsonValue.Create(value))]);

    private static JsonArray DimensionsJson(IEnumerable<Dimension> dimensions) =>
        new([.. dimensions.Select(dimension => (JsonNode)new JsonObject { ["Name"] = dimension.Name, ["Value"] = dimension.Value })]);

    /// <summary>CloudWatch periods: 1, 5, 10, 20, 30 seconds (high resolution) or a multiple of 60.</summary>
    private static int Period(int? period, string name)
    {
        var value = Required(period, name);
        return value is 1 or 5 or 10 or 20 or 30 || (value > 0 && value % 60 == 0)
            ? value
            : throw new AwsServiceException(400, "InvalidParameterValue", $"The parameter {name} must be 1, 5, 10, 20, 30, or a multiple of 60.");
    }

    private static T Required<T>(T? value, string name)
        where T : class => value ?? throw Missing(name);

    private static T Required<T>(T? value, string name)
        where T : struct => value ?? throw Missing(name);

    private static AwsServiceException Missing(string name) => new(400, "MissingParameter", $"The parameter {name} is required.");

    private static AwsServiceException InvalidValue(string name, string value) =>
        new(400, "InvalidParameterValue", $"The value {value} for parameter {name} is invalid.");
}
