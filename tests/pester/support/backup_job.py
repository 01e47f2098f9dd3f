"""Backup jobs in the sample org's production account, for the sandbox clock tests and bench/dr-tour.ps1.

backup_job.py ENDPOINT start            creates vault clock-test and backs up production-orders; prints the job id
backup_job.py ENDPOINT describe JOB_ID  prints the job's State, CreationDate and CompletionDate (epoch seconds)
backup_job.py ENDPOINT drill            "back up now" for bench/dr-tour.ps1, what an operator does before a DR drill
    when the nightly plan has not run yet: backs up production's resources tagged backup=daily into its vault
    'workload' (made by Set-CrossAccountBackup), copies each recovery point to log-archive's central vault in the DR
    region (us-west-2), waits for every job and prints one JSON line: job counts by state and the waits. It polls every
    3 s: each call is a request, and the sandbox only skips its clock ahead after a quiet second.
Credentials come from the environment Start-CloudSandbox set (the management account).
"""
import json
import sys
import time

import boto3

PRODUCTION, LOG_ARCHIVE, REGION, DR_REGION = "333333333333", "222222222222", "us-east-2", "us-west-2"
endpoint = sys.argv[1]
credentials = boto3.client("sts", region_name=REGION, endpoint_url=endpoint).assume_role(
    RoleArn=f"arn:aws:iam::{PRODUCTION}:role/OrganizationAccountAccessRole", RoleSessionName="clock-test")["Credentials"]
backup = boto3.client("backup", region_name=REGION, endpoint_url=endpoint,
                      aws_access_key_id=credentials["AccessKeyId"],
                      aws_secret_access_key=credentials["SecretAccessKey"],
                      aws_session_token=credentials["SessionToken"])

role = f"arn:aws:iam::{PRODUCTION}:role/service-role/AWSBackupDefaultServiceRole"


def wait(describe, ids, state_key):
    started = time.monotonic()
    while True:
        time.sleep(3)
        jobs = [describe(job_id) for job_id in ids]
        if all(job[state_key] in ("COMPLETED", "FAILED", "ABORTED") for job in jobs):
            return jobs, time.monotonic() - started


def drill():
    resources = [
        f"arn:aws:rds:{REGION}:{PRODUCTION}:db:production-db",
        f"arn:aws:dynamodb:{REGION}:{PRODUCTION}:table/production-orders",
        f"arn:aws:ec2:{REGION}:{PRODUCTION}:volume/vol-03333333333330001",
    ]
    backup_ids = [backup.start_backup_job(BackupVaultName="workload", ResourceArn=arn, IamRoleArn=role)["BackupJobId"] for arn in resources]
    backups, backup_wait = wait(lambda job_id: backup.describe_backup_job(BackupJobId=job_id), backup_ids, "State")
    copy_ids = [
        backup.start_copy_job(
            RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="workload", IamRoleArn=role,
            DestinationBackupVaultArn=f"arn:aws:backup:{DR_REGION}:{LOG_ARCHIVE}:backup-vault:central")["CopyJobId"]
        for job in backups if job["State"] == "COMPLETED"]
    copies, copy_wait = wait(lambda job_id: backup.describe_copy_job(CopyJobId=job_id)["CopyJob"], copy_ids, "State")
    print(json.dumps({
        "backups": {state: sum(job["State"] == state for job in backups) for state in {job["State"] for job in backups}},
        "copies": {state: sum(job["State"] == state for job in copies) for state in {job["State"] for job in copies}},
        "backup_wait_s": round(backup_wait, 1),
        "copy_wait_s": round(copy_wait, 1),
    }))


if sys.argv[2] == "drill":
    drill()
elif sys.argv[2] == "start":
    backup.create_backup_vault(BackupVaultName="clock-test")
    job = backup.start_backup_job(
        BackupVaultName="clock-test",
        ResourceArn=f"arn:aws:dynamodb:{REGION}:{PRODUCTION}:table/production-orders",
        IamRoleArn=role)
    print(job["BackupJobId"])
else:
    job = backup.describe_backup_job(BackupJobId=sys.argv[3])
    print(json.dumps({
        "State": job["State"],
        "CreationDate": job["CreationDate"].timestamp(),
        "CompletionDate": job["CompletionDate"].timestamp() if "CompletionDate" in job else None,
    }))
