using System.Net.Http.Json;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Sns;

public sealed class NotificationsAwsCliV1Fixture() : NotificationsCliFixture(AwsCli.V1);

public sealed class NotificationsAwsCliV2Fixture() : NotificationsCliFixture(AwsCli.V2);

public sealed class NotificationsAwsCliV1Tests(NotificationsAwsCliV1Fixture fixture) : NotificationsCliConformanceTests(fixture), IClassFixture<NotificationsAwsCliV1Fixture>;

public sealed class NotificationsAwsCliV2Tests(NotificationsAwsCliV2Fixture fixture) : NotificationsCliConformanceTests(fixture), IClassFixture<NotificationsAwsCliV2Fixture>;

/// <summary>
/// One batch of SNS and CloudWatch commands through one AWS CLI (CLI v1 speaks JSON 1.0 to CloudWatch, the CLI v2
/// of this machine Query): topics, publishing, metrics, and an alarm whose action publishes to the topic.
/// </summary>
public abstract class NotificationsCliFixture : CliBatchFixture
{
    public const string TopicArn = "arn:aws:sns:us-east-2:111111111111:dr-alerts";

    private protected NotificationsCliFixture(AwsCli cli)
        : base(cli)
    {
    }

    /// <summary>What GET /_localcloud/sns/messages returned for the topic after the batch.</summary>
    public JsonElement Messages { get; private set; }

    private protected override async Task AfterBatchAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        Messages = await http.GetFromJsonAsync<JsonElement>($"/_localcloud/sns/messages?topicArn={Uri.EscapeDataString(TopicArn)}");
    }

    private protected override Task<IReadOnlyList<CliCommand>> CommandsAsync(DateTimeOffset now)
    {
        string[] window = ["--start-time", CliBatch.Iso(now.AddHours(-1)), "--end-time", CliBatch.Iso(now.AddHours(1))];
        string[] failuresMetric = ["--namespace", "CloudPatterns/DR", "--metric-name", "RestoreFailures"];
        IReadOnlyList<CliCommand> commands =
        [
            new("CreateTopic", "sns", "create-topic", "--name", "dr-alerts", "--attributes", "DisplayName=DR alerts"),
            new("CreateTopicAgain", "sns", "create-topic", "--name", "dr-alerts", "--attributes", "DisplayName=DR alerts"),
            new("CreateTopicBadName", "sns", "create-topic", "--name", "not a name!"),
            new("Subscribe", "sns", "subscribe", "--topic-arn", TopicArn, "--protocol", "email", "--notification-endpoint", "ops@example.com"),
            new("ListTopics", "sns", "list-topics"),
            new("ListSubscriptionsByTopic", "sns", "list-subscriptions-by-topic", "--topic-arn", TopicArn),
            new("SetTopicAttributes", "sns", "set-topic-attributes", "--topic-arn", TopicArn, "--attribute-name", "DisplayName", "--attribute-value", "Disaster recovery"),
            new("SetTopicAttributesReadOnly", "sns", "set-topic-attributes", "--topic-arn", TopicArn, "--attribute-name", "TopicArn", "--attribute-value", "x"),
            new("GetTopicAttributes", "sns", "get-topic-attributes", "--topic-arn", TopicArn),
            new("Publish", "sns", "publish", "--topic-arn", TopicArn, "--subject", "Restore test", "--message", "restore test passed"),
            new("PublishUnknownTopic", "sns", "publish", "--topic-arn", "arn:aws:sns:us-east-2:111111111111:nope", "--message", "lost"),

            new("PutMetricAlarm", ["cloudwatch", "put-metric-alarm", "--alarm-name", "restore-failures", .. failuresMetric, "--statistic", "Sum", "--period", "60",
                "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanOrEqualToThreshold", "--alarm-actions", TopicArn,
                "--dimensions", "Name=Vault,Value=central"]),
            new("PutMetricAlarmBadOperator", ["cloudwatch", "put-metric-alarm", "--alarm-name", "bad", .. failuresMetric, "--statistic", "Sum", "--period", "60",
                "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "Bigger"]),
            new("DescribeAlarmsBefore", "cloudwatch", "describe-alarms", "--alarm-names", "restore-failures"),
            new("PutMetricData", ["cloudwatch", "put-metric-data", .. failuresMetric, "--value", "2", "--dimensions", "Vault=central"]),
            new("PutMetricDataSet", "cloudwatch", "put-metric-data", "--namespace", "CloudPatterns/DR", "--metric-data",
                """[{"MetricName":"RestoreSeconds","Dimensions":[{"Name":"Vault","Value":"central"}],"StatisticValues":{"SampleCount":2,"Sum":300,"Minimum":100,"Maximum":200},"Unit":"Seconds"}]"""),
            new("PutMetricDataAwsNamespace", "cloudwatch", "put-metric-data", "--namespace", "AWS/Backup", "--metric-name", "X", "--value", "1"),
            new("DescribeAlarmsAfter", "cloudwatch", "describe-alarms", "--state-value", "ALARM"),
            new("ListMetrics", "cloudwatch", "list-metrics", "--namespace", "CloudPatterns/DR"),
            new("GetMetricStatistics", ["cloudwatch", "get-metric-statistics", "--namespace", "CloudPatterns/DR", "--metric-name", "RestoreSeconds",
                "--dimensions", "Name=Vault,Value=central", "--period", "3600", "--statistics", "Average", "Maximum", "SampleCount", .. window]),
            new("GetMetricData", ["cloudwatch", "get-metric-data", "--metric-data-queries",
                """[{"Id":"failures","MetricStat":{"Metric":{"Namespace":"CloudPatterns/DR","MetricName":"RestoreFailures","Dimensions":[{"Name":"Vault","Value":"central"}]},"Period":60,"Stat":"Sum"}}]""",
                .. window]),

            new("DeleteAlarms", "cloudwatch", "delete-alarms", "--alarm-names", "restore-failures"),
            new("DeleteAlarmsAgain", "cloudwatch", "delete-alarms", "--alarm-names", "restore-failures"),
            new("DescribeAlarmsAfterDelete", "cloudwatch", "describe-alarms"),
            new("DeleteTopic", "sns", "delete-topic", "--topic-arn", TopicArn),
            new("ListTopicsAfterDelete", "sns", "list-topics"),
        ];
        return Task.FromResult(commands);
    }
}

/// <summary>What one AWS CLI made of every SNS and CloudWatch operation.</summary>
public abstract class NotificationsCliConformanceTests(NotificationsCliFixture fixture)
{
    [Fact]
    public void Topics_AreCreatedIdempotentlyListedAndDeleted()
    {
        Assert.Equal(NotificationsCliFixture.TopicArn, fixture.Json("CreateTopic").GetProperty("TopicArn").GetString());
        Assert.Equal(NotificationsCliFixture.TopicArn, fixture.Json("CreateTopicAgain").GetProperty("TopicArn").GetString());
        Assert.Equal("InvalidParameter", fixture.Error("CreateTopicBadName"));
        Assert.Equal(NotificationsCliFixture.TopicArn, fixture.Json("ListTopics").GetProperty("Topics")[0].GetProperty("TopicArn").GetString());
        Assert.Equal(0, fixture.Json("ListTopicsAfterDelete").GetProperty("Topics").GetArrayLength());
    }

    [Fact]
    public void SubscriptionsAndAttributes_AreStoredAndReturned()
    {
        Assert.StartsWith(NotificationsCliFixture.TopicArn + ":", fixture.Json("Subscribe").GetProperty("SubscriptionArn").GetString(), StringComparison.Ordinal);
        var subscription = fixture.Json("ListSubscriptionsByTopic").GetProperty("Subscriptions")[0];
        Assert.Equal("email", subscription.GetProperty("Protocol").GetString());
        Assert.Equal("ops@example.com", subscription.GetProperty("Endpoint").GetString());
        var attributes = fixture.Json("GetTopicAttributes").GetProperty("Attributes");
        Assert.Equal("Disaster recovery", attributes.GetProperty("DisplayName").GetString());
        Assert.Equal("1", attributes.GetProperty("SubscriptionsConfirmed").GetString());
        Assert.Equal("111111111111", attributes.GetProperty("Owner").GetString());
        Assert.Equal("InvalidParameter", fixture.Error("SetTopicAttributesReadOnly"));
    }

    [Fact]
    public void PublishedMessages_AreReadableThroughTheAdminApi()
    {
        var messageId = fixture.Json("Publish").GetProperty("MessageId").GetString();
        Assert.Equal("NotFound", fixture.Error("PublishUnknownTopic"));

        var published = fixture.Messages.EnumerateArray().Single(message => message.GetProperty("messageId").GetString() == messageId);
        Assert.Equal("Restore test", published.GetProperty("subject").GetString());
        Assert.Equal("restore test passed", published.GetProperty("message").GetString());
    }

    [Fact]
    public void Alarm_GoesFromInsufficientDataToAlarmOnData_AndPublishesToItsTopic()
    {
        Assert.Equal("INSUFFICIENT_DATA", fixture.Json("DescribeAlarmsBefore").GetProperty("MetricAlarms")[0].GetProperty("StateValue").GetString());
        var alarm = fixture.Json("DescribeAlarmsAfter").GetProperty("MetricAlarms")[0];
        Assert.Equal("restore-failures", alarm.GetProperty("AlarmName").GetString());
        Assert.Equal("ALARM", alarm.GetProperty("StateValue").GetString());
        Assert.StartsWith("Threshold Crossed: 1 out of the last 1 datapoints [2.0 ", alarm.GetProperty("StateReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(NotificationsCliFixture.TopicArn, alarm.GetProperty("AlarmActions")[0].GetString());

        var notification = fixture.Messages.EnumerateArray().Single(message => message.GetProperty("subject").GetString() == "ALARM: \"restore-failures\" in us-east-2");
        using var body = JsonDocument.Parse(notification.GetProperty("message").GetString()!);
        Assert.Equal("ALARM", body.RootElement.GetProperty("NewStateValue").GetString());
        Assert.Equal("INSUFFICIENT_DATA", body.RootElement.GetProperty("OldStateValue").GetString());
        Assert.Equal("RestoreFailures", body.RootElement.GetProperty("Trigger").GetProperty("MetricName").GetString());
    }

    [Fact]
    public void Metrics_AreListedAndAggregated()
    {
        var names = fixture.Json("ListMetrics").GetProperty("Metrics").EnumerateArray().Select(metric => metric.GetProperty("MetricName").GetString()).Order().ToList();
        Assert.Equal(["RestoreFailures", "RestoreSeconds"], names);

        var datapoint = fixture.Json("GetMetricStatistics").GetProperty("Datapoints")[0];
        Assert.Equal(150, datapoint.GetProperty("Average").GetDouble());
        Assert.Equal(200, datapoint.GetProperty("Maximum").GetDouble());
        Assert.Equal(2, datapoint.GetProperty("SampleCount").GetDouble());
        Assert.Equal("Seconds", datapoint.GetProperty("Unit").GetString());

        var result = fixture.Json("GetMetricData").GetProperty("MetricDataResults")[0];
        Assert.Equal("failures", result.GetProperty("Id").GetString());
        Assert.Equal("Complete", result.GetProperty("StatusCode").GetString());
        Assert.Equal(2, result.GetProperty("Values")[0].GetDouble());
    }

    [Fact]
    public void InvalidInput_IsRefusedWithCloudWatchCodes()
    {
        Assert.Equal("InvalidParameterValue", fixture.Error("PutMetricAlarmBadOperator"));
        Assert.Equal("InvalidParameterValue", fixture.Error("PutMetricDataAwsNamespace"));
        Assert.Equal("ResourceNotFound", fixture.Error("DeleteAlarmsAgain"));
    }

    [Fact]
    public void DeletedAlarms_AreGone()
    {
        Assert.Equal(0, fixture.Result("DeleteAlarms").ExitCode);
        Assert.Equal(0, fixture.Json("DescribeAlarmsAfterDelete").GetProperty("MetricAlarms").GetArrayLength());
    }
}
