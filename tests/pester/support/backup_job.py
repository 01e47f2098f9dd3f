"""A backup job in the sample org's production account, for the sandbox clock tests.

backup_job.py ENDPOINT start            creates vault clock-test and backs up production-orders; prints the job id
backup_job.py ENDPOINT describe JOB_ID  prints the job's State, CreationDate and CompletionDate (epoch seconds)
Credentials come from the environment Start-CloudSandbox set (the management account).
"""
import json
import sys

import boto3

PRODUCTION = "333333333333"
REGION = "us-east-2"
endpoint = sys.argv[1]
credentials = boto3.client("sts", region_name=REGION, endpoint_url=endpoint).assume_role(
    RoleArn=f"arn:aws:iam::{PRODUCTION}:role/OrganizationAccountAccessRole", RoleSessionName="clock-test")["Credentials"]
backup = boto3.client("backup", region_name=REGION, endpoint_url=endpoint,
                      aws_access_key_id=credentials["AccessKeyId"],
                      aws_secret_access_key=credentials["SecretAccessKey"],
                      aws_session_token=credentials["SessionToken"])

if sys.argv[2] == "start":
    backup.create_backup_vault(BackupVaultName="clock-test")
    job = backup.start_backup_job(
        BackupVaultName="clock-test",
        ResourceArn=f"arn:aws:dynamodb:{REGION}:{PRODUCTION}:table/production-orders",
        IamRoleArn=f"arn:aws:iam::{PRODUCTION}:role/service-role/AWSBackupDefaultServiceRole")
    print(job["BackupJobId"])
else:
    job = backup.describe_backup_job(BackupJobId=sys.argv[3])
    print(json.dumps({
        "State": job["State"],
        "CreationDate": job["CreationDate"].timestamp(),
        "CompletionDate": job["CompletionDate"].timestamp() if "CompletionDate" in job else None,
    }))
