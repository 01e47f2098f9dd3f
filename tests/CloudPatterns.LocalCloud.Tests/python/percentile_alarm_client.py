"""CloudWatch percentile (extended statistic) alarms through boto3: PutMetricAlarm with ExtendedStatistic and
EvaluateLowSampleCountPercentile, their state from the raw values PutMetricData gave (Values and Counts), a
statistic set whose values are unknown, GetMetricStatistics' ExtendedStatistics, GetMetricData's Stat, the
refusals, and a stack's AWS::CloudWatch::Alarm with ExtendedStatistic (docs/localcloud-cloudwatch.md).

Usage: python3 percentile_alarm_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import datetime
import json

from localcloud import client, error, settle

NAMESPACE = "percentile/app"


def alarm(cw, name, metric, extended, threshold, **extra):
    cw.put_metric_alarm(AlarmName=name, Namespace=NAMESPACE, MetricName=metric, ExtendedStatistic=extended, Period=60,
                        EvaluationPeriods=1, Threshold=threshold, ComparisonOperator="GreaterThanThreshold", **extra)
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def main():
    cw, cfn = client("cloudwatch"), client("cloudformation")
    # 95 requests of 1 ms and 5 of 100 ms: the average is 5.95, p90 is 1, p99 is 100.
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[{"MetricName": "Latency", "Values": [1, 100], "Counts": [95, 5]}])
    # A statistic set keeps no raw values: CloudWatch has no percentile of it.
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[{"MetricName": "Summarised", "StatisticValues": {"SampleCount": 100, "Sum": 595, "Minimum": 1, "Maximum": 100}}])

    p99 = alarm(cw, "p99", "Latency", "p99", 50)
    p90 = alarm(cw, "p90", "Latency", "p90", 50)
    summarised = alarm(cw, "summarised-p99", "Summarised", "p99", 50)
    ignored = alarm(cw, "p99-ignore", "Latency", "p99", 50, EvaluateLowSampleCountPercentile="ignore")

    now = datetime.datetime.now(datetime.timezone.utc)
    window = {"StartTime": now - datetime.timedelta(minutes=5), "EndTime": now + datetime.timedelta(minutes=1)}
    statistics = cw.get_metric_statistics(Namespace=NAMESPACE, MetricName="Latency", Period=60, ExtendedStatistics=["p50", "p99"], **window)
    data = cw.get_metric_data(MetricDataQueries=[
        {"Id": "iqm", "MetricStat": {"Metric": {"Namespace": NAMESPACE, "MetricName": "Latency"}, "Period": 60, "Stat": "IQM"}},
        {"Id": "tc", "MetricStat": {"Metric": {"Namespace": NAMESPACE, "MetricName": "Latency"}, "Period": 60, "Stat": "TC(:50)"}},
    ], **window)

    base = {"Namespace": NAMESPACE, "MetricName": "Latency", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1,
            "ComparisonOperator": "GreaterThanThreshold"}
    refusals = {
        "both": error(cw.put_metric_alarm, AlarmName="bad", Statistic="Average", ExtendedStatistic="p99", **base),
        "neither": error(cw.put_metric_alarm, AlarmName="bad", **base),
        "p101": error(cw.put_metric_alarm, AlarmName="bad", ExtendedStatistic="p101", **base),
        "low_sample": error(cw.put_metric_alarm, AlarmName="bad", ExtendedStatistic="p99", EvaluateLowSampleCountPercentile="sometimes", **base),
        "statistics_tm90": error(cw.get_metric_statistics, Namespace=NAMESPACE, MetricName="Latency", Period=60, ExtendedStatistics=["tm90"], **window),
    }
    refused_kept = [a["AlarmName"] for a in cw.describe_alarms(AlarmNames=["bad"])["MetricAlarms"]]

    template = {"Resources": {"Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmName": "stack-p99-5", "Namespace": NAMESPACE, "MetricName": "Latency", "ExtendedStatistic": "p99.5", "Period": 60,
        "EvaluationPeriods": 1, "Threshold": 50, "ComparisonOperator": "GreaterThanOrEqualToThreshold"}}}}
    # Fresh data, so the stack's alarm has its periods however long the calls above took.
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[{"MetricName": "Latency", "Values": [1, 100], "Counts": [95, 5]}])
    stack_id = cfn.create_stack(StackName="percentile", TemplateBody=json.dumps(template))["StackId"]
    created = settle(cfn, "percentile")["StackStatus"]
    stack_alarm = cw.describe_alarms(AlarmNames=["stack-p99-5"])["MetricAlarms"][0]
    cfn.delete_stack(StackName="percentile")
    settle(cfn, stack_id)

    print(json.dumps({
        "p99": {"state": p99["StateValue"], "reason": p99["StateReason"], "extended": p99.get("ExtendedStatistic"), "hasStatistic": "Statistic" in p99},
        "p90": p90["StateValue"],
        "summarised": summarised["StateValue"],
        "ignored": {"state": ignored["StateValue"], "setting": ignored.get("EvaluateLowSampleCountPercentile")},
        "statistics": [point["ExtendedStatistics"] for point in statistics["Datapoints"]],
        "data": {result["Id"]: result["Values"] for result in data["MetricDataResults"]},
        "refusals": refusals,
        "refusedKept": refused_kept,
        "stack": {"created": created, "extended": stack_alarm.get("ExtendedStatistic"), "state": stack_alarm["StateValue"]},
    }))


if __name__ == "__main__":
    main()
