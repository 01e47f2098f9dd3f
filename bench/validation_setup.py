"""Recovery points for bench/validation.ps1, made through the AWS APIs as a user would (boto3, SigV4).

validation_setup.py ENDPOINT REGION VAULT TABLES ACCOUNT...
    In each ACCOUNT (assuming OrganizationAccountAccessRole from the management account the environment's keys
    belong to): creates backup vault VAULT and a CloudFormation stack of TABLES DynamoDB tables (LocalCloud's DynamoDB
    has no CreateTable), backs each table up into the vault, waits for every backup job and prints one JSON line:
    backup jobs by state.
"""
import json
import sys
import time

import boto3

from bench_tables import table_resources

endpoint, region, vault, tables = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
accounts = sys.argv[5:]
sts = boto3.client("sts", region_name=region, endpoint_url=endpoint)


def clients(account):
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="bench-validation")["Credentials"]
    keys = dict(aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])
    return (boto3.client("backup", region_name=region, endpoint_url=endpoint, **keys),
            boto3.client("cloudformation", region_name=region, endpoint_url=endpoint, **keys))


def template():
    return json.dumps({"Resources": table_resources(tables)})


stacks = []
for account in accounts:
    backup, cloudformation = clients(account)
    backup.create_backup_vault(BackupVaultName=vault)
    cloudformation.create_stack(StackName="bench-tables", TemplateBody=template())
    stacks.append((account, backup, cloudformation))

jobs = []
for account, backup, cloudformation in stacks:
    cloudformation.get_waiter("stack_create_complete").wait(StackName="bench-tables", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    for index in range(1, tables + 1):
        name = f"bench-{index}"
        job = backup.start_backup_job(BackupVaultName=vault, ResourceArn=f"arn:aws:dynamodb:{region}:{account}:table/{name}",
                                      IamRoleArn=f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole")
        jobs.append((backup, job["BackupJobId"]))

while True:
    states = [backup.describe_backup_job(BackupJobId=job_id)["State"] for backup, job_id in jobs]
    if all(state in ("COMPLETED", "FAILED", "ABORTED") for state in states):
        break
    time.sleep(1)
print(json.dumps({state: states.count(state) for state in set(states)}))
