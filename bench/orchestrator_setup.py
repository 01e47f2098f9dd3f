"""Setup and measurement for bench/orchestrator.ps1, through the AWS APIs as a user would (boto3, SigV4).

orchestrator_setup.py ENDPOINT setup PER_ACCOUNT ACCOUNT...
    In each ACCOUNT (assuming OrganizationAccountAccessRole), in us-west-2: a KMS key the organization may use, backup
    vault "bench" under it, PER_ACCOUNT resources made by a CloudFormation stack (one in five a DynamoDB table, at least one
    of two or more, the others EBS volumes: LocalCloud has neither CreateTable nor CreateVolume), one backup job each. Then the architecture's
    last two places: each recovery point copied into log-archive's central vault in us-west-2 (cross-account), and from
    there into the DR account's vault (cross-account, same region), as the DR-Orchestrator's hops would. Prints one
    JSON line: recovery points in the DR vault by resource type.
orchestrator_setup.py ENDPOINT measure EXPECTED STEP
    The measured part, after the scheduled event started the restores: moves the sandbox clock by STEP (ISO 8601) at a
    time, waits until LocalCloud has no delivery under way (the restore events forwarded to the function and its
    invocations), and stops once EXPECTED restores of the DR account have ended and no restore note is left open (each
    was judged, deleted and recorded). Prints one JSON line: simulated seconds, steps, the longest restore's simulated
    seconds, restores ended.
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import json
import os
import sys
import time
import urllib.request
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pester", "support"))
from sandbox_clients import sandbox_client  # noqa: E402
from bench_tables import table_resources  # noqa: E402

LOG_ARCHIVE = "222222222222"
DR_ACCOUNT = "555555555555"
REGION = "us-west-2"
PRIMARY = "us-east-2"
CENTRAL = f"arn:aws:backup:{REGION}:{LOG_ARCHIVE}:backup-vault:central"
DR_VAULT = f"arn:aws:backup:{REGION}:{DR_ACCOUNT}:backup-vault:dr"
EVIDENCE_BUCKET = "org-dr-evidence"
VAULT = "bench"
ENDED = ("COMPLETED", "FAILED", "ABORTED")

endpoint = sys.argv[1]


def client(service, account=None, region=REGION):
    return sandbox_client(endpoint, service, region, account, "bench-orchestrator")


def service_role(account):
    return f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole"


def wait_jobs(describe, ids, state_key):
    """Waits until every job ended; returns the descriptions (jobs advance with the sandbox's real-time clock)."""
    while True:
        jobs = [describe(i) for i in ids]
        if all(job[state_key] in ENDED for job in jobs):
            failed = [job for job in jobs if job[state_key] != "COMPLETED"]
            if failed:
                raise SystemExit(f"{len(failed)} jobs did not complete: {failed[0]}")
            return jobs
        time.sleep(1)


def key_policy(account, organization):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "AccountAdministration", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "OrganizationBackupUse", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:DescribeKey", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization}}}]})


def resources_template(tables, volumes):
    resources = table_resources(tables)
    resources.update({
        f"Volume{index}": {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": f"{REGION}a", "Size": 1, "VolumeType": "gp3"}}
        for index in range(1, volumes + 1)})
    return json.dumps({"Resources": resources})


def setup(per_account, accounts):
    organization = client("organizations", region=PRIMARY).describe_organization()["Organization"]["Id"]
    tables = max(per_account // 5, 1 if per_account > 1 else 0)
    made = []
    for account in accounts:
        kms, backup = client("kms", account), client("backup", account)
        key = kms.create_key(Policy=key_policy(account, organization), Description="bench vault key")["KeyMetadata"]["Arn"]
        backup.create_backup_vault(BackupVaultName=VAULT, EncryptionKeyArn=key)
        client("cloudformation", account).create_stack(StackName="bench-resources", TemplateBody=resources_template(tables, per_account - tables))
        made.append((account, backup))

    backups = []
    for account, backup in made:
        cloudformation = client("cloudformation", account)
        cloudformation.get_waiter("stack_create_complete").wait(StackName="bench-resources", WaiterConfig={"Delay": 1, "MaxAttempts": 300})
        arns = []
        for resource in cloudformation.describe_stack_resources(StackName="bench-resources")["StackResources"]:
            kind = "table" if resource["ResourceType"] == "AWS::DynamoDB::Table" else "volume"
            service = "dynamodb" if kind == "table" else "ec2"
            arns.append(f"arn:aws:{service}:{REGION}:{account}:{kind}/{resource['PhysicalResourceId']}")
        ids = [backup.start_backup_job(BackupVaultName=VAULT, ResourceArn=arn, IamRoleArn=service_role(account))["BackupJobId"] for arn in arns]
        backups.append((account, backup, ids))

    copies = []
    for account, backup, ids in backups:
        points = [job["RecoveryPointArn"] for job in wait_jobs(lambda i: backup.describe_backup_job(BackupJobId=i), ids, "State")]
        ids = [backup.start_copy_job(RecoveryPointArn=point, SourceBackupVaultName=VAULT, DestinationBackupVaultArn=CENTRAL,
                                     IamRoleArn=service_role(account))["CopyJobId"] for point in points]
        copies.append((backup, ids))

    central = client("backup", LOG_ARCHIVE)
    last = []
    for backup, ids in copies:
        for job in wait_jobs(lambda i: backup.describe_copy_job(CopyJobId=i)["CopyJob"], ids, "State"):
            last.append(central.start_copy_job(RecoveryPointArn=job["DestinationRecoveryPointArn"], SourceBackupVaultName="central",
                                               DestinationBackupVaultArn=DR_VAULT, IamRoleArn=service_role(LOG_ARCHIVE))["CopyJobId"])
    wait_jobs(lambda i: central.describe_copy_job(CopyJobId=i)["CopyJob"], last, "State")

    by_type = {}
    pages = client("backup", DR_ACCOUNT).get_paginator("list_recovery_points_by_backup_vault").paginate(BackupVaultName="dr")
    for point in (p for page in pages for p in page["RecoveryPoints"]):
        by_type[point["ResourceType"]] = by_type.get(point["ResourceType"], 0) + 1
    print(json.dumps(by_type))


def admin(path, body=None):
    request = urllib.request.Request(endpoint.rstrip("/") + "/_localcloud/" + path, method="GET" if body is None else "POST",
                                     data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                return json.loads(answer.read() or b"null")
        except (ConnectionError, TimeoutError):
            # A machine too loaded to answer in time: the sandbox is still there, ask again.
            if attempt == 4 or body is not None:
                raise
            time.sleep(2)


def wait_deliveries():
    deadline = time.monotonic() + 600
    while admin("deliveries")["busy"]:
        if time.monotonic() > deadline:
            raise SystemExit("LocalCloud still had deliveries under way after 600 s.")
        time.sleep(0.2)


def measure(expected, step):
    backup, s3 = client("backup", DR_ACCOUNT), client("s3", LOG_ARCHIVE, PRIMARY)
    started = datetime.fromisoformat(admin("clock")["now"])
    steps = 0
    while True:
        wait_deliveries()
        jobs = [j for page in backup.get_paginator("list_restore_jobs").paginate() for j in page["RestoreJobs"]]
        ended = [j for j in jobs if j["Status"] in ENDED]
        notes = s3.list_objects_v2(Bucket=EVIDENCE_BUCKET, Prefix="dr-validation-restores/").get("KeyCount", 0)
        if len(ended) >= expected and notes == 0:
            break
        if steps >= 1000:
            raise SystemExit(f"After {steps} steps: {len(ended)} of {expected} restores ended, {notes} notes open.")
        admin("clock", {"advance": step})
        steps += 1
    now = datetime.fromisoformat(admin("clock")["now"])
    longest = max((j["CompletionDate"] - j["CreationDate"]).total_seconds() for j in ended)
    print(json.dumps({"simulated_s": (now - started).total_seconds(), "steps": steps, "longest_restore_s": longest,
                      "restores": len(ended), "failed": sum(1 for j in ended if j["Status"] != "COMPLETED")}))


command = sys.argv[2]
if command == "setup":
    setup(int(sys.argv[3]), sys.argv[4:])
elif command == "measure":
    measure(int(sys.argv[3]), sys.argv[4])
else:
    raise SystemExit(f"unknown command {command}")
