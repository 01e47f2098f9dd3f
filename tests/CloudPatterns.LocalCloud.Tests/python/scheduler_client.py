"""EventBridge Scheduler through boto3: schedules invoke a Lambda function and an SNS topic with the schedule's role
on the simulated clock (rate, at() in a time zone, an end date, a disabled schedule); a role that does not trust
scheduler.amazonaws.com, or lacks the permission, sends the invocation to the dead-letter queue (a topic is refused as
one); the context attribute keywords in an input are replaced.

Usage: python3 scheduler_client.py ZIP ACCOUNT_ID; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import datetime
import json
import sys
import urllib.request
import zoneinfo

import botocore.exceptions

from events_client import PREFIX, recorded
from localcloud import URL, client


def trust(service):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def main(zip_path, account_id):
    code = open(zip_path, "rb").read()
    iam, fn, scheduler, sns, logs = client("iam"), client("lambda"), client("scheduler"), client("sns"), client("logs")
    function_role = iam.create_role(RoleName="recorder-role", AssumeRolePolicyDocument=trust("lambda.amazonaws.com"))["Role"]["Arn"]
    function = fn.create_function(FunctionName="recorder", Handler=PREFIX + "Record", Code={"ZipFile": code}, Runtime="dotnet8", Role=function_role, Timeout=30)["FunctionArn"]
    out, dlq = sns.create_topic(Name="scheduled-out")["TopicArn"], f"arn:aws:sqs:us-east-2:{account_id}:scheduled-dlq"
    # Scheduler's dead-letter target is an SQS queue only: a topic is refused.
    topic_dlq = sns.create_topic(Name="scheduled-topic-dlq")["TopicArn"]
    try:
        scheduler.create_schedule(Name="topic-dlq", ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target={"Arn": out, "RoleArn": f"arn:aws:iam::{account_id}:role/none", "DeadLetterConfig": {"Arn": topic_dlq}})
        topic_refused = None
    except botocore.exceptions.ClientError as refused:
        topic_refused = {"code": refused.response["Error"]["Code"], "message": refused.response["Error"]["Message"]}
    may = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["lambda:InvokeFunction", "sns:Publish"], "Resource": [function, out]}]})
    roles = {}
    for name, service, policy in (("scheduler-role", "scheduler.amazonaws.com", may), ("lambda-trusting", "lambda.amazonaws.com", may), ("powerless", "scheduler.amazonaws.com", None)):
        roles[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(service))["Role"]["Arn"]
        if policy:
            iam.put_role_policy(RoleName=name, PolicyName="targets", PolicyDocument=policy)

    with urllib.request.urlopen(f"{URL}/_localcloud/clock") as answer:
        now = datetime.datetime.fromisoformat(json.loads(answer.read())["now"].replace("Z", "+00:00"))
    kolkata = (now + datetime.timedelta(minutes=7)).astimezone(zoneinfo.ZoneInfo("Asia/Kolkata")).strftime("%Y-%m-%dT%H:%M:%S")

    def schedule(name, expression, target, role, payload=None, dead_letters=dlq, **extra):
        scheduler.create_schedule(Name=name, ScheduleExpression=expression, FlexibleTimeWindow={"Mode": "OFF"},
                                  Target={"Arn": target, "RoleArn": roles[role], "Input": json.dumps(payload or {"kind": name}), "DeadLetterConfig": {"Arn": dead_letters},
                                          "RetryPolicy": {"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 600}}, **extra)

    at = (now + datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%S")
    keywords = {"kind": "with-context", "arn": "<aws.scheduler.schedule-arn>", "time": "<aws.scheduler.scheduled-time>",
                "attempt": "<aws.scheduler.attempt-number>", "execution": "<aws.scheduler.execution-id>"}
    queue = f"arn:aws:sqs:us-east-2:{account_id}:scheduler-dead-letters"

    schedule("every-five", "rate(5 minutes)", function, "scheduler-role")
    schedule("once-in-kolkata", f"at({kolkata})", out, "scheduler-role", ScheduleExpressionTimezone="Asia/Kolkata")
    schedule("untrusted", "rate(5 minutes)", out, "lambda-trusting")
    schedule("unpermitted", "rate(5 minutes)", function, "powerless")
    schedule("disabled", "rate(5 minutes)", out, "scheduler-role", State="DISABLED")
    schedule("ended", "rate(5 minutes)", out, "scheduler-role", EndDate=now + datetime.timedelta(minutes=6))
    schedule("with-context", f"at({at})", out, "scheduler-role", payload=keywords)
    schedule("to-queue", f"at({at})", out, "lambda-trusting", dead_letters=queue)
    request = urllib.request.Request(f"{URL}/_localcloud/clock", data=b'{"advance":"PT11M"}', method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()
    return {"out": out, "dlq": dlq, "topicRefused": topic_refused, "queue": queue, "at": at, "kolkata": kolkata, "invoked": recorded(logs, "recorder", 2),
            "onceArn": scheduler.get_schedule(Name="once-in-kolkata")["Arn"]}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
