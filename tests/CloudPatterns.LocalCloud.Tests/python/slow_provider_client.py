"""A Lambda-backed custom resource whose provider works for a few seconds without calling LocalCloud, on a LocalCloud
whose clock auto-advances; prints one JSON object. The client stays quiet while the provider works (a request would
count as activity and hide a skip).

Usage: python3 slow_provider_client.py; environment as for boto3_client.py.
"""
import json
import time

from boto3_client import client

PROVIDER = """
import time
import cfnresponse

def handler(event, context):
    time.sleep(4)
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Worked": "4s"}, "slow-provider")
"""

TEMPLATE = {
    "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
        # Lambda's longest timeout, so that a slow start on a busy machine does not end the attempt (a retry waiting
        # on the clock is a pending job, which auto-advance may skip to).
        "Provider": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 900,
            "Code": {"ZipFile": PROVIDER}}},
        "Slow": {"Type": "Custom::Slow", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}}},
    },
    "Outputs": {"Worked": {"Value": {"Fn::GetAtt": ["Slow", "Worked"]}}},
}


def main():
    cfn = client("cloudformation")
    stack_id = cfn.create_stack(StackName="slow-provider", TemplateBody=json.dumps(TEMPLATE), Capabilities=["CAPABILITY_IAM"])["StackId"]
    for _ in range(60):
        time.sleep(3)  # longer than the idle threshold, so LocalCloud is idle while the provider sleeps
        stack = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            break
    events = cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
    slow = [event for event in events if event["LogicalResourceId"] == "Slow"]
    started = min(event["Timestamp"] for event in slow)
    ended = max(event["Timestamp"] for event in slow)
    return {
        "Status": stack["StackStatus"],
        "Outputs": {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])},
        "Reasons": [event.get("ResourceStatusReason") for event in slow if "FAILED" in event["ResourceStatus"]],
        "SimulatedSeconds": (ended - started).total_seconds(),
    }


if __name__ == "__main__":
    print(json.dumps(main(), default=str))
