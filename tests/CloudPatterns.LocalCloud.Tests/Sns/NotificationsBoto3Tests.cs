using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Sns;

/// <summary>Every SNS and CloudWatch operation through boto3 (CloudWatch over JSON 1.0 with awsQueryCompatible).</summary>
public sealed class NotificationsBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task EverySnsAndCloudWatchOperation_AnswersAsTheBotocoreModelExpects()
    {
        var results = await AwsClients.RunBoto3Async(fixture.Server, fixture.Management, "notifications", "storage_client.py");
        const string topic = "arn:aws:sns:us-east-2:111111111111:boto3-alerts";

        Assert.Equal(topic, results.Text("CreateTopic", "TopicArn"));
        Assert.StartsWith(topic + ":", results.Text("Subscribe", "SubscriptionArn"), StringComparison.Ordinal);
        Assert.Equal(topic, results.At("ListTopics", "Topics")[0].Text("TopicArn"));
        Assert.Equal("ops@example.com", results.At("ListSubscriptionsByTopic", "Subscriptions")[0].Text("Endpoint"));
        Assert.Equal("boto3", results.Text("GetTopicAttributes", "Attributes", "DisplayName"));
        Assert.Equal(("NotFound", 404), results.AwsError("PublishDeleted"));

        var published = fixture.Server.State.Sns.Messages(topic);
        var message = Assert.Single(published, item => item.MessageId == results.Text("Publish", "MessageId"));
        Assert.Equal("high", message.MessageAttributes["severity"]);

        // Values [0, 3] with counts [4, 1]: five samples, sum 3, maximum 3 > 0, so the alarm fires.
        var alarm = results.At("DescribeAlarms", "MetricAlarms")[0];
        Assert.Equal("ALARM", alarm.Text("StateValue"));
        Assert.Single(published, item => item.Subject == "ALARM: \"copy-failures\" in us-east-2");
        Assert.Equal("CopyFailures", results.At("ListMetrics", "Metrics")[0].Text("MetricName"));
        var datapoint = results.At("GetMetricStatistics", "Datapoints")[0];
        Assert.Equal(5, datapoint.GetProperty("SampleCount").GetDouble());
        Assert.Equal(3, datapoint.GetProperty("Sum").GetDouble());
        Assert.Equal(0.6, results.At("GetMetricData", "MetricDataResults")[0].GetProperty("Values")[0].GetDouble(), 6);
        Assert.Equal(("InvalidParameterCombination", 400), results.AwsError("GetMetricStatisticsNoStatistics"));
        Assert.False(results.GetProperty("DeleteAlarms").TryGetProperty("error", out _));
        Assert.Equal(("ResourceNotFound", 404), results.AwsError("DeleteAlarmsUnknown"));
        Assert.Equal(JsonValueKind.Object, results.GetProperty("DeleteTopic").ValueKind);
    }
}
