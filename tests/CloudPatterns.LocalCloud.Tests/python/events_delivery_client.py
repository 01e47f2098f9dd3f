"""EventBridge delivery through boto3: SNS targets with Input/InputPath/InputTransformer, a topic policy that does not let
EventBridge publish, a throttled Lambda target retried then sent to the dead-letter queue (a topic is refused as one),
a disabled rule, a rule
forwarding to another account's bus (refused, then allowed by PutPermission), and a schedule rule on the clock.

Usage: python3 events_delivery_client.py ZIP ACCOUNT_ID OTHER_KEY OTHER_SECRET OTHER_ACCOUNT; LOCALCLOUD_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object
(the topics' ARNs; the test reads what reached them).
"""
import json
import sys
import time
import urllib.request

import botocore.exceptions

from localcloud import URL, client

PREFIX = "CloudPatterns.LocalCloud.TestFunction::CloudPatterns.LocalCloud.TestFunction.Handlers::"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def events_may_publish(sns, topic):
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                                      "Action": "sns:Publish", "Resource": topic}]}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy))


def main(zip_path, account_id, other_key, other_secret, other_account):
    code = open(zip_path, "rb").read()
    iam, fn, events, sns = client("iam"), client("lambda"), client("events"), client("sns")
    other_events = client("events", aws_access_key_id=other_key, aws_secret_access_key=other_secret)
    other_sns = client("sns", aws_access_key_id=other_key, aws_secret_access_key=other_secret)
    topics = {name: sns.create_topic(Name=name)["TopicArn"] for name in ("whole", "path", "constant", "transformed", "closed", "scheduled", "disabled")}
    for name in ("whole", "path", "constant", "transformed", "scheduled", "disabled"):
        events_may_publish(sns, topics[name])
    # EventBridge's dead-letter target is an SQS queue (LocalCloud keeps its messages at /_localcloud/dead-letters).
    topics["dlq"] = f"arn:aws:sqs:{events.meta.region_name}:{account_id}:events-dlq"

    pattern = json.dumps({"source": ["app.jobs"]})
    events.put_rule(Name="jobs", EventPattern=pattern)
    events.put_targets(Rule="jobs", Targets=[
        {"Id": "whole", "Arn": topics["whole"]},
        {"Id": "path", "Arn": topics["path"], "InputPath": "$.detail.job"},
        {"Id": "constant", "Arn": topics["constant"], "Input": '{"fixed": true}'},
        {"Id": "transformed", "Arn": topics["transformed"], "InputTransformer": {
            "InputPathsMap": {"id": "$.detail.job.id", "size": "$.detail.job.size", "first": "$.resources[0]"},
            "InputTemplate": '{"job": "<id>", "size": <size>, "resource": "<first>", "rule": "<aws.events.rule-name>"}'}},
        {"Id": "closed", "Arn": topics["closed"], "DeadLetterConfig": {"Arn": topics["dlq"]}},
    ])
    try:
        events.put_targets(Rule="jobs", Targets=[{"Id": "topic-dlq", "Arn": topics["whole"], "DeadLetterConfig": {"Arn": topics["closed"]}}])
        topic_refused = None
    except botocore.exceptions.ClientError as refused:
        topic_refused = {"code": refused.response["Error"]["Code"], "message": refused.response["Error"]["Message"]}
    events.put_rule(Name="jobs-disabled", EventPattern=pattern, State="DISABLED")
    events.put_targets(Rule="jobs-disabled", Targets=[{"Id": "t", "Arn": topics["disabled"]}])

    # A function that refuses asynchronous invocations (reserved concurrency 0): retried twice, then the dead-letter topic.
    role = iam.create_role(RoleName="throttled-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    function = fn.create_function(FunctionName="throttled", Handler=PREFIX + "Record", Code={"ZipFile": code}, Runtime="dotnet8", Role=role)["FunctionArn"]
    fn.put_function_concurrency(FunctionName="throttled", ReservedConcurrentExecutions=0)
    throttled_rule = events.put_rule(Name="throttled", EventPattern=pattern)["RuleArn"]
    fn.add_permission(FunctionName="throttled", StatementId="events", Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=throttled_rule)
    events.put_targets(Rule="throttled", Targets=[{"Id": "fn", "Arn": function, "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 600},
                                                   "DeadLetterConfig": {"Arn": topics["dlq"]}}])

    # Another account's bus: refused until its policy lets this account put events.
    other_events.create_event_bus(Name="central")
    forwarded = other_sns.create_topic(Name="forwarded")["TopicArn"]
    events_may_publish(other_sns, forwarded)
    other_events.put_rule(Name="from-members", EventBusName="central", EventPattern=json.dumps({"source": ["app.jobs"], "account": [account_id]}))
    other_events.put_targets(Rule="from-members", EventBusName="central", Targets=[{"Id": "t", "Arn": forwarded}])
    central = f"arn:aws:events:{events.meta.region_name}:{other_account}:event-bus/central"
    events.put_rule(Name="to-central", EventPattern=pattern)
    events.put_targets(Rule="to-central", Targets=[{"Id": "central", "Arn": central}])

    def put(n):
        events.put_events(Entries=[{"Source": "app.jobs", "DetailType": "Job", "Resources": ["arn:aws:backup:us-east-2:1:recovery-point:R"],
                                    "Detail": json.dumps({"job": {"id": f"j-{n}", "size": 7, "text": "a \"quoted\" word"}})}])

    put(1)
    result = {"topics": topics, "forwarded": forwarded, "topicRefused": topic_refused}
    # Delivery is asynchronous: wait until the refused forward is counted before the bus policy changes.
    cloudwatch = client("cloudwatch")
    for _ in range(150):
        points = cloudwatch.get_metric_statistics(Namespace="AWS/Events", MetricName="FailedInvocations", Dimensions=[{"Name": "RuleName", "Value": "to-central"}],
                                                  StartTime=time.time() - 864000, EndTime=time.time() + 864000, Period=2592000, Statistics=["Sum"])["Datapoints"]
        if points:
            break
        time.sleep(0.2)
    result["refusedForward"] = sum(point["Sum"] for point in points)
    other_events.put_permission(EventBusName="central", Action="events:PutEvents", Principal=account_id, StatementId="member")
    result["policy"] = json.loads(other_events.describe_event_bus(Name="central")["Policy"])
    put(2)

    events.put_rule(Name="every-five", ScheduleExpression="rate(5 minutes)")
    events.put_targets(Rule="every-five", Targets=[{"Id": "t", "Arn": topics["scheduled"]}])
    request = urllib.request.Request(f"{URL}/_localcloud/clock", data=b'{"advance":"PT11M"}', method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()
    result["everyFive"] = events.describe_rule(Name="every-five")["Arn"]
    return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
