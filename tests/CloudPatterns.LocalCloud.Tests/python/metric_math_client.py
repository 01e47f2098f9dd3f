"""CloudWatch metric math alarms through boto3: IF/AND/OR, arithmetic, FILL and SUM over several metrics decide the
alarm's state; DescribeAlarms shows the Metrics; PutMetricAlarm refuses what CloudWatch refuses; a stack's
AWS::CloudWatch::Alarm with Metrics is created, updated and deleted.

Usage: python3 metric_math_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION
come from the environment. Prints one JSON object.
"""
import json

from localcloud import client, error, settle


def stat(id, namespace, name, statistic="Average"):
    return {"Id": id, "ReturnData": False, "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": name}, "Period": 60, "Stat": statistic}}


def overcapacity(namespace):
    """The widdix ecs/cluster-cost-optimized alarm's queries: both CPU and memory headroom exceed one instance's share."""
    return [
        {"Id": "overcapacity", "Expression": "IF((100-cpu) >= capacity, 1, 0) AND IF ((100-memory) >= capacity, 1, 0)", "ReturnData": True},
        {"Id": "capacity", "Expression": "100/instances", "ReturnData": False},
        stat("instances", namespace, "Instances", "Sum"),
        stat("cpu", namespace, "CPUReservation"),
        stat("memory", namespace, "MemoryReservation"),
    ]


def main():
    cw, cfn = client("cloudwatch"), client("cloudformation")
    data = {"math/a": {"Instances": 2, "CPUReservation": 20, "MemoryReservation": 30},
            "math/b": {"Instances": 2, "CPUReservation": 20, "MemoryReservation": 60},
            "math/c": {"Requests": 200, "Left": 4, "Right": 7}}
    for namespace, values in data.items():
        cw.put_metric_data(Namespace=namespace, MetricData=[{"MetricName": name, "Value": value} for name, value in values.items()])

    topic = client("sns").create_topic(Name="math-alarms")["TopicArn"]

    def alarm(name, metrics, threshold=1, operator="GreaterThanOrEqualToThreshold", actions=()):
        cw.put_metric_alarm(AlarmName=name, Metrics=metrics, EvaluationPeriods=1, Threshold=threshold, ComparisonOperator=operator, AlarmActions=list(actions))

    alarm("overcapacity-a", overcapacity("math/a"), actions=[topic])
    alarm("overcapacity-b", overcapacity("math/b"))
    alarm("either-high", [{"Id": "high", "Expression": "cpu > 50 OR memory > 50"}, stat("cpu", "math/b", "CPUReservation"), stat("memory", "math/b", "MemoryReservation")])
    alarm("sum", [{"Id": "total", "Expression": "SUM([left, right])"}, stat("left", "math/c", "Left", "Sum"), stat("right", "math/c", "Right", "Sum")], threshold=10)
    alarm("rate-filled", [{"Id": "rate", "Expression": "FILL(errors, 0) / requests * 100"}, stat("errors", "math/c", "Errors", "Sum"), stat("requests", "math/c", "Requests", "Sum")], threshold=5)
    alarm("rate-unfilled", [{"Id": "rate", "Expression": "errors / requests * 100"}, stat("errors", "math/c", "Errors", "Sum"), stat("requests", "math/c", "Requests", "Sum")], threshold=5)
    described = {a["AlarmName"]: a for a in cw.describe_alarms()["MetricAlarms"]}
    states = {name: a["StateValue"] for name, a in described.items()}
    shown = described["overcapacity-a"]

    with_metric_name = [{"Id": "e", "Expression": "m * 2"}, stat("m", "math/a", "Instances")]
    refusals = {
        "both": error(cw.put_metric_alarm, AlarmName="bad", Metrics=with_metric_name, MetricName="Instances", Namespace="math/a",
                      EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
        "two_returned": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[{"Id": "e", "Expression": "m * 2"}, {**stat("m", "math/a", "Instances"), "ReturnData": True}],
                              EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
        "unknown_id": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[{"Id": "e", "Expression": "m * nope"}, stat("m", "math/a", "Instances")],
                            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
        "unknown_function": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[{"Id": "e", "Expression": "FROB(m)"}, stat("m", "math/a", "Instances")],
                                  EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
        "number": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[{"Id": "e", "Expression": "SUM(m)"}, stat("m", "math/a", "Instances")],
                        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
        "cycle": error(cw.put_metric_alarm, AlarmName="bad", Metrics=[{"Id": "e", "Expression": "f + 1"}, {"Id": "f", "Expression": "e + m", "ReturnData": False}, stat("m", "math/a", "Instances")],
                       EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold"),
    }
    refused_kept = [a["AlarmName"] for a in cw.describe_alarms(AlarmNames=["bad"])["MetricAlarms"]]

    # A stack's alarm with Metrics (properties as the template gives them), updated in place and deleted.
    def template(threshold):
        metrics = [{**query, "ReturnData": query["ReturnData"]} for query in overcapacity("math/a")]
        return json.dumps({"Resources": {"Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmName": "stack-overcapacity", "EvaluationPeriods": 1, "Threshold": threshold,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Metrics": metrics}}}})
    stack_id = cfn.create_stack(StackName="metric-math", TemplateBody=template(1))["StackId"]
    created = settle(cfn, "metric-math")["StackStatus"]
    stack_alarm = cw.describe_alarms(AlarmNames=["stack-overcapacity"])["MetricAlarms"][0]
    cfn.update_stack(StackName="metric-math", TemplateBody=template(2))
    updated = settle(cfn, "metric-math")["StackStatus"]
    updated_alarm = cw.describe_alarms(AlarmNames=["stack-overcapacity"])["MetricAlarms"][0]
    cfn.delete_stack(StackName="metric-math")
    settle(cfn, stack_id)
    left = cw.describe_alarms(AlarmNames=["stack-overcapacity"])["MetricAlarms"]

    print(json.dumps({
        "states": states,
        "topic": topic,
        "reason": shown["StateReason"],
        "shownKeys": sorted(shown),
        "shownMetrics": shown["Metrics"],
        "refusals": refusals,
        "refusedKept": refused_kept,
        "stack": {"created": created, "state": stack_alarm["StateValue"], "metrics": len(stack_alarm["Metrics"]),
                  "updated": updated, "threshold": updated_alarm["Threshold"], "left": len(left)},
    }))


if __name__ == "__main__":
    main()
