"""Generated names across re-creations of a stack, and what a rollback leaves behind, through boto3.

Usage: python3 stack_lifecycle_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import os
import time

import boto3
import botocore.config
import botocore.exceptions

URL = os.environ["LOCALCLOUD_URL"]
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
RETAINED = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}}}
ROLE = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}


def client(service):
    return boto3.client(service, endpoint_url=URL, region_name=os.environ["AWS_DEFAULT_REGION"], config=CONFIG)


def wait(cfn, stack_id):
    for _ in range(300):
        status = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            return status
        time.sleep(0.1)
    raise TimeoutError(stack_id)


def bucket_of(cfn, stack_id):
    return cfn.describe_stack_resource(StackName=stack_id, LogicalResourceId="Data")["StackResourceDetail"]["PhysicalResourceId"]


def main():
    cfn, iam = client("cloudformation"), client("iam")
    first = cfn.create_stack(StackName="retained", TemplateBody=json.dumps(RETAINED))["StackId"]
    wait(cfn, first)
    first_bucket = bucket_of(cfn, first)
    cfn.delete_stack(StackName="retained")
    wait(cfn, first)
    second = cfn.create_stack(StackName="retained", TemplateBody=json.dumps(RETAINED))["StackId"]
    result = {"recreated": [wait(cfn, second), first_bucket != bucket_of(cfn, second), first_bucket.startswith("retained-data-")]}

    broken = {"Resources": {"Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"InstanceProfileName": "lc-web-profile", "Roles": ["no-such-role"]}}}}
    failed = cfn.create_stack(StackName="profile", TemplateBody=json.dumps(broken), Capabilities=["CAPABILITY_NAMED_IAM"])["StackId"]
    result["rolledBack"] = wait(cfn, failed)
    try:
        iam.get_instance_profile(InstanceProfileName="lc-web-profile")
        result["leftBehind"] = True
    except botocore.exceptions.ClientError as error:
        result["leftBehind"] = error.response["Error"]["Code"] != "NoSuchEntity"
    cfn.delete_stack(StackName="profile")
    wait(cfn, failed)
    fixed = {"Resources": {"Role": ROLE, "Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"InstanceProfileName": "lc-web-profile", "Roles": [{"Ref": "Role"}]}}}}
    again = cfn.create_stack(StackName="profile", TemplateBody=json.dumps(fixed), Capabilities=["CAPABILITY_NAMED_IAM"])["StackId"]
    result["createdAgain"] = wait(cfn, again)
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
