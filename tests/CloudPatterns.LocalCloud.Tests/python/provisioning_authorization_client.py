"""CloudFormation provisions under AWS's authorization, through boto3: a stack's resource calls are made with the
caller's permissions (forward access session) or, given RoleARN, as that service role; RoleARN needs iam:PassRole and
a role CloudFormation may assume; DescribeStacks returns it and later operations use it.

Usage: python3 provisioning_authorization_client.py SUFFIX; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID (the management
account's admin), AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error, settle

SUFFIX = sys.argv[1]
iam = client("iam")
account = client("sts").get_caller_identity()["Account"]


def role(name, trusted, statements):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": trusted, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return arn


def session(arn):
    credentials = client("sts").assume_role(RoleArn=arn, RoleSessionName="deploy")["Credentials"]
    return client("cloudformation", aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


service_role = role(f"cfn-service-{SUFFIX}", {"Service": "cloudformation.amazonaws.com"},
                    [{"Effect": "Allow", "Action": ["s3:CreateBucket", "s3:DeleteBucket", "sns:CreateTopic", "sns:DeleteTopic"], "Resource": "*"}])
untrusting = role(f"cfn-untrusting-{SUFFIX}", {"AWS": f"arn:aws:iam::{account}:root"}, [{"Effect": "Allow", "Action": "*", "Resource": "*"}])
stack_actions = {"Effect": "Allow", "Action": "cloudformation:*", "Resource": "*"}
deployer = session(role(f"cfn-deployer-{SUFFIX}", {"AWS": f"arn:aws:iam::{account}:root"}, [
    stack_actions,
    {"Effect": "Allow", "Action": ["sns:CreateTopic", "sns:DeleteTopic"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{account}:role/cfn-*",
     "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}},
]))
no_pass = session(role(f"cfn-nopass-{SUFFIX}", {"AWS": f"arn:aws:iam::{account}:root"}, [stack_actions]))

template = json.dumps({"Resources": {
    "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": f"provisioned-{SUFFIX}"}},
    "Alerts": {"Type": "AWS::SNS::Topic"},
}})

# Without a role: the deployer's own permissions, which have sns:CreateTopic and sns:DeleteTopic (the rollback) but not s3:CreateBucket.
deployer.create_stack(StackName=f"as-caller-{SUFFIX}", TemplateBody=template)
as_caller = settle(deployer, f"as-caller-{SUFFIX}")
events = deployer.describe_stack_events(StackName=f"as-caller-{SUFFIX}")["StackEvents"]
bucket_failure = next(event["ResourceStatusReason"] for event in events if event["LogicalResourceId"] == "Data" and event["ResourceStatus"] == "CREATE_FAILED")

# With the service role: its permissions, whatever the deployer's.
deployer.create_stack(StackName=f"as-role-{SUFFIX}", TemplateBody=template, RoleARN=service_role)
as_role = settle(deployer, f"as-role-{SUFFIX}")
buckets = [bucket["Name"] for bucket in client("s3").list_buckets()["Buckets"]]

refusals = {
    "noPassRole": error(no_pass.create_stack, StackName=f"refused-{SUFFIX}", TemplateBody=template, RoleARN=service_role),
    "untrusting": error(deployer.create_stack, StackName=f"refused-{SUFFIX}", TemplateBody=template, RoleARN=untrusting),
    "missingRole": error(deployer.create_stack, StackName=f"refused-{SUFFIX}", TemplateBody=template, RoleARN=f"arn:aws:iam::{account}:role/cfn-none-{SUFFIX}"),
}

# The stored role deletes the stack although the deployer may not delete buckets.
deployer.delete_stack(StackName=f"as-role-{SUFFIX}")
deleted = settle(deployer, as_role["StackId"])

print(json.dumps({
    "asCaller": [as_caller["StackStatus"], bucket_failure],
    "asRole": [as_role["StackStatus"], as_role.get("RoleARN"), f"provisioned-{SUFFIX}" in buckets],
    "refusals": refusals,
    "deleted": deleted["StackStatus"],
    "serviceRole": service_role,
}))
