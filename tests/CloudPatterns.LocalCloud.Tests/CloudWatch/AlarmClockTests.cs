using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Sns;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>Alarms follow LocalCloud's simulated clock: data ages out when the clock moves on, and actions publish each change.</summary>
public sealed class AlarmClockTests
{
    private const string Account = "111111111111";
    private const string Region = "us-east-2";

    [Fact]
    public void AdvancingTheClock_PastTheEvaluationRange_TurnsAnAlarmToInsufficientData_AndNotifiesEachChange()
    {
        var clock = new LocalCloudClock();
        var store = new CloudWatchStore(clock);
        var sns = new SnsStore(clock);
        var topic = sns.CreateTopic(Account, Region, "alerts", new Dictionary<string, string>());
        AlarmNotifications.Publish(sns, store.PutMetricAlarm(new MetricAlarm
        {
            AlarmName = "failures",
            AlarmArn = $"arn:aws:cloudwatch:{Region}:{Account}:alarm:failures",
            AccountId = Account,
            Region = Region,
            MetricName = "Failures",
            Namespace = "CloudPatterns",
            Statistic = "Sum",
            Period = 60,
            EvaluationPeriods = 1,
            Threshold = 1,
            ComparisonOperator = "GreaterThanOrEqualToThreshold",
            AlarmActions = [topic],
            InsufficientDataActions = [topic],
            AlarmConfigurationUpdatedTimestamp = clock.GetUtcNow(),
        }));

        AlarmNotifications.Publish(sns, store.PutMetricData(Account, Region, "CloudPatterns", [("Failures", [], new Datapoint(clock.GetUtcNow(), 1, 4, 4, 4, null))]));
        Assert.Equal(AlarmStates.Alarm, Assert.Single(store.DescribeAlarms(Account, Region).Alarms).StateValue);

        clock.Advance(TimeSpan.FromMinutes(10));
        var (alarms, changes) = store.DescribeAlarms(Account, Region);
        AlarmNotifications.Publish(sns, changes);

        Assert.Equal(AlarmStates.InsufficientData, Assert.Single(alarms).StateValue);
        Assert.Equal(
            ["ALARM: \"failures\" in us-east-2", "INSUFFICIENT_DATA: \"failures\" in us-east-2"],
            sns.Messages(topic).Select(message => message.Subject));
    }
}
