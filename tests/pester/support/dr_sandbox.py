"""Sets up and inspects the DR pattern's AWS side in a LocalCloud sandbox with boto3 (one process, many calls).

Usage: python3 dr_sandbox.py <endpoint> <command> [args]
  setup                      org opt-in, central vaults (log-archive, both regions) with an org copy policy, a shared
                             KMS key, vault, plan and tag selection in production, the evidence bucket and alert topic;
                             in staging three plans whose copies AWS refuses (AWS-managed key, a vault without
                             policy, a key not shared)
  recovery-points REGION     recovery points of log-archive's central vault in REGION, as JSON
  restored REGION            names of DynamoDB tables and RDS instances in log-archive's REGION, as JSON
  get-evidence KEY           prints an object of the evidence bucket
  put-unlocked KEY           stores an object in the evidence bucket without Object Lock retention
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import json
import sys

import boto3

ORG_ID = "o-lc0example01"
LOG_ARCHIVE = "222222222222"
PRODUCTION = "333333333333"
STAGING = "444444444444"
PRIMARY, DR = "us-east-2", "us-west-2"
VAULT = "central"
EVIDENCE_BUCKET = "org-dr-evidence"

endpoint = sys.argv[1]


def client(service, account=None, region=PRIMARY):
    if account is None:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)
    credentials = boto3.client("sts", region_name=region, endpoint_url=endpoint).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="dr-test")["Credentials"]
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def org_statement(actions):
    return {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": actions, "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}}


def setup():
    for region in (PRIMARY, DR):
        client("backup", region=region).update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "true"})
        central = client("backup", LOG_ARCHIVE, region)
        central.create_backup_vault(BackupVaultName=VAULT)
        central.put_backup_vault_access_policy(BackupVaultName=VAULT, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": [org_statement("backup:CopyIntoBackupVault")]}))

    central = client("backup", LOG_ARCHIVE)
    central.create_backup_vault(BackupVaultName="restricted")

    plan(PRODUCTION, "workload", key(PRODUCTION, shared=True), [f"arn:aws:backup:{region}:{LOG_ARCHIVE}:backup-vault:{VAULT}" for region in (PRIMARY, DR)])
    plan(STAGING, "aws-managed", None, [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:{VAULT}"])
    plan(STAGING, "shared-key", key(STAGING, shared=True), [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:restricted"])
    plan(STAGING, "private-key", key(STAGING, shared=False), [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:{VAULT}"])

    client("s3", LOG_ARCHIVE).create_bucket(Bucket=EVIDENCE_BUCKET, ObjectLockEnabledForBucket=True,
                                            CreateBucketConfiguration={"LocationConstraint": PRIMARY})
    topic = client("sns", LOG_ARCHIVE).create_topic(Name="dr-alerts")["TopicArn"]
    print(json.dumps({"alertTopicArn": topic, "evidenceBucket": EVIDENCE_BUCKET, "vault": VAULT}))


def key(account, shared):
    statements = [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}]
    if shared:
        statements.append(org_statement(["kms:DescribeKey", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"]))
    return client("kms", account).create_key(Description="backups", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))["KeyMetadata"]["Arn"]


def plan(account, vault, key_arn, destinations):
    """A vault (AWS-managed key when key_arn is None) and a daily plan copying to destinations, selecting backup=daily."""
    backup = client("backup", account)
    backup.create_backup_vault(BackupVaultName=vault, **({"EncryptionKeyArn": key_arn} if key_arn else {}))
    created = backup.create_backup_plan(BackupPlan={"BackupPlanName": vault, "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": vault, "ScheduleExpression": "cron(0 5 ? * * *)",
        "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": arn, "Lifecycle": {"DeleteAfterDays": 35}} for arn in destinations],
    }]})
    backup.create_backup_selection(BackupPlanId=created["BackupPlanId"], BackupSelection={
        "SelectionName": "tagged", "IamRoleArn": f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole",
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}]})


def recovery_points(region):
    points = client("backup", LOG_ARCHIVE, region).list_recovery_points_by_backup_vault(BackupVaultName=VAULT)["RecoveryPoints"]
    print(json.dumps([{"resourceArn": p["ResourceArn"], "resourceType": p["ResourceType"], "status": p["Status"]} for p in points]))


def restored(region):
    tables = client("dynamodb", LOG_ARCHIVE, region).list_tables()["TableNames"]
    instances = [i["DBInstanceIdentifier"] for i in client("rds", LOG_ARCHIVE, region).describe_db_instances()["DBInstances"]]
    print(json.dumps(tables + instances))


def get_evidence(key):
    sys.stdout.write(client("s3", LOG_ARCHIVE).get_object(Bucket=EVIDENCE_BUCKET, Key=key)["Body"].read().decode())


def put_unlocked(key):
    client("s3", LOG_ARCHIVE).put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=b'{"sha256":"0"}')


command = sys.argv[2]
if command == "setup":
    setup()
elif command == "recovery-points":
    recovery_points(sys.argv[3])
elif command == "restored":
    restored(sys.argv[3])
elif command == "get-evidence":
    get_evidence(sys.argv[3])
elif command == "put-unlocked":
    put_unlocked(sys.argv[3])
else:
    raise SystemExit(f"unknown command {command}")
