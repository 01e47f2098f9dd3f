"""Generated names across re-creations of a stack, and what a rollback leaves behind, through boto3.

Usage: python3 stack_lifecycle_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json

import botocore.exceptions

from localcloud import client, settle

RETAINED = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}}}
ROLE = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}


def bucket_of(cfn, stack_id):
    return cfn.describe_stack_resource(StackName=stack_id, LogicalResourceId="Data")["StackResourceDetail"]["PhysicalResourceId"]


def main():
    cfn, iam = client("cloudformation"), client("iam")
    first = cfn.create_stack(StackName="retained", TemplateBody=json.dumps(RETAINED))["StackId"]
    settle(cfn, first)
    first_bucket = bucket_of(cfn, first)
    cfn.delete_stack(StackName="retained")
    settle(cfn, first)
    second = cfn.create_stack(StackName="retained", TemplateBody=json.dumps(RETAINED))["StackId"]
    result = {"recreated": [settle(cfn, second)["StackStatus"], first_bucket != bucket_of(cfn, second), first_bucket.startswith("retained-data-")]}

    broken = {"Resources": {"Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"InstanceProfileName": "lc-web-profile", "Roles": ["no-such-role"]}}}}
    failed = cfn.create_stack(StackName="profile", TemplateBody=json.dumps(broken), Capabilities=["CAPABILITY_NAMED_IAM"])["StackId"]
    result["rolledBack"] = settle(cfn, failed)["StackStatus"]
    try:
        iam.get_instance_profile(InstanceProfileName="lc-web-profile")
        result["leftBehind"] = True
    except botocore.exceptions.ClientError as error:
        result["leftBehind"] = error.response["Error"]["Code"] != "NoSuchEntity"
    cfn.delete_stack(StackName="profile")
    settle(cfn, failed)
    fixed = {"Resources": {"Role": ROLE, "Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"InstanceProfileName": "lc-web-profile", "Roles": [{"Ref": "Role"}]}}}}
    again = cfn.create_stack(StackName="profile", TemplateBody=json.dumps(fixed), Capabilities=["CAPABILITY_NAMED_IAM"])["StackId"]
    result["createdAgain"] = settle(cfn, again)["StackStatus"]
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
