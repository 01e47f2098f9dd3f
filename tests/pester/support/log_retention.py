"""An out-of-band change to a stack's log group through CloudWatch Logs' own API, as a console user would make it.

log_retention.py ENDPOINT ACCOUNT REGION STACK LOGICAL_ID DAYS: assumes OrganizationAccountAccessRole in ACCOUNT with
the credentials Start-CloudSandbox set (the management account), finds the log group the stack made for LOGICAL_ID and
sets its retention to DAYS (PutRetentionPolicy).
"""
import sys

import boto3

endpoint, account, region, stack, logical_id, days = sys.argv[1:]
credentials = boto3.client("sts", region_name=region, endpoint_url=endpoint).assume_role(
    RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="out-of-band")["Credentials"]
session = {"region_name": region, "endpoint_url": endpoint, "aws_access_key_id": credentials["AccessKeyId"],
           "aws_secret_access_key": credentials["SecretAccessKey"], "aws_session_token": credentials["SessionToken"]}
group = boto3.client("cloudformation", **session).describe_stack_resource(
    StackName=stack, LogicalResourceId=logical_id)["StackResourceDetail"]["PhysicalResourceId"]
boto3.client("logs", **session).put_retention_policy(logGroupName=group, retentionInDays=int(days))
