"""CloudWatch anomaly detection alarms through boto3: PutMetricAlarm with ThresholdMetricId naming an
ANOMALY_DETECTION_BAND item, DescribeAlarms' shape (ThresholdMetricId, no Threshold), PutMetricAlarm's refusals, and
a stack's AWS::CloudWatch::Alarm written as templates write it (the band item first, the metric's ReturnData left
to its default).

Usage: python3 anomaly_alarm_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION
come from the environment. Prints one JSON object.
"""
import json

from localcloud import client, error, settle

METRIC = {"Id": "m1", "ReturnData": True, "MetricStat": {"Metric": {"Namespace": "anomaly/app", "MetricName": "Latency"}, "Period": 60, "Stat": "Average"}}
BAND = {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True}


def main():
    cw, cfn = client("cloudwatch"), client("cloudformation")
    cw.put_metric_data(Namespace="anomaly/app", MetricData=[{"MetricName": "Latency", "Value": 10}])
    cw.put_metric_alarm(AlarmName="latency-band", Metrics=[METRIC, BAND], ThresholdMetricId="ad1", EvaluationPeriods=1,
                        ComparisonOperator="LessThanLowerOrGreaterThanUpperThreshold")
    shown = cw.describe_alarms(AlarmNames=["latency-band"])["MetricAlarms"][0]

    refusals = {
        "threshold": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[METRIC, BAND], ThresholdMetricId="ad1", Threshold=5,
                           EvaluationPeriods=1, ComparisonOperator="GreaterThanUpperThreshold"),
        "no_band_id": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[METRIC, {**BAND, "ReturnData": False}], Threshold=5,
                            EvaluationPeriods=1, ComparisonOperator="GreaterThanUpperThreshold"),
        "not_a_band": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[METRIC, BAND], ThresholdMetricId="m1",
                            EvaluationPeriods=1, ComparisonOperator="GreaterThanUpperThreshold"),
    }
    refused_kept = [a["AlarmName"] for a in cw.describe_alarms(AlarmNames=["bad"])["MetricAlarms"]]

    template = {"Resources": {"Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmName": "stack-band", "ComparisonOperator": "GreaterThanUpperThreshold", "EvaluationPeriods": 1, "ThresholdMetricId": "ad1",
        "Metrics": [{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)"},
                    {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "anomaly/app", "MetricName": "Latency"}, "Period": 86400, "Stat": "Sum"}}]}}}}
    stack_id = cfn.create_stack(StackName="anomaly", TemplateBody=json.dumps(template))["StackId"]
    created = settle(cfn, "anomaly")["StackStatus"]
    stack_alarm = cw.describe_alarms(AlarmNames=["stack-band"])["MetricAlarms"][0]
    cfn.delete_stack(StackName="anomaly")
    settle(cfn, stack_id)

    print(json.dumps({
        "state": shown["StateValue"],
        "reason": shown["StateReason"],
        "thresholdMetricId": shown.get("ThresholdMetricId"),
        "hasThreshold": "Threshold" in shown,
        "comparison": shown["ComparisonOperator"],
        "refusals": refusals,
        "refusedKept": refused_kept,
        "stack": {"created": created, "thresholdMetricId": stack_alarm.get("ThresholdMetricId"), "metrics": len(stack_alarm["Metrics"])},
    }))


if __name__ == "__main__":
    main()
