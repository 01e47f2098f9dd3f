"""Breaks and inspects the DR pattern's AWS side in a LocalCloud sandbox with boto3 (one process, many calls);
Set-CrossAccountBackup sets it up.

Usage: python3 dr_sandbox.py <endpoint> <command> [args]
  refused-copies             what Set-CrossAccountBackup would never set up, so that AWS refuses the copies: in
                             log-archive a vault without access policy; in staging three plans whose copies fail
                             (AWS-managed key, the vault without policy, a key not shared)
  recovery-points REGION     recovery points of log-archive's central vault in REGION, as JSON
  vault-lock REGION          the Vault Lock of log-archive's central vault in REGION, as JSON
  restored REGION            names of DynamoDB tables, RDS instances, EBS volume ids, Aurora clusters, S3 buckets (of
                             every region), live EC2 instance ids and EFS file system ids in log-archive's REGION, as JSON
  get-evidence KEY           prints an object of the evidence bucket
  put-governance KEY         stores a record in the evidence bucket under a 30-day GOVERNANCE retention (which
                             overrides the bucket's COMPLIANCE default and can be lifted by a privileged user)
  forge-version KEY          as an attacker who may put objects but not sign with the evidence key: rewrites the
                             record's Failed outcomes as Passed, re-hashes it, signs it with a KMS key of its own and
                             stores it as a new version of KEY; prints {"attackerKey"}
  append-foreign KEY AFTER   stores a new record at KEY, a copy of AFTER chained to it, signed with an attacker's key
  delete KEY                 deletes KEY without a version id (a delete marker: the locked version stays)
  put-role NAME EXTID POLICY [ACCOUNT [POLICYNAME]]  creates (or updates) role NAME in ACCOUNT (default log-archive), trusting the management account with
                             ExternalId EXTID, with the identity policy in the JSON file POLICY as its only policy
  service-role NAME POLICY ACCOUNT  creates role NAME in ACCOUNT trusting cloudformation.amazonaws.com (a CloudFormation
                             service role), with the identity policy in the JSON file POLICY
  topic-key REGION KEY       encrypts the central vault's failed-jobs topic in log-archive's REGION with KEY (an id,
                             ARN or alias such as alias/aws/sns); prints {"topic", "previous"}
  scp-deny ACTION TARGET     creates an SCP denying ACTION and attaches it to TARGET (an account or OU id); prints
                             {"policyId", "arn"}
  scp-remove POLICY TARGET   detaches the SCP POLICY from TARGET and deletes it
  protected ACCOUNT REGION    the ARNs AWS Backup lists as protected in ACCOUNT and REGION (ListProtectedResources), as JSON
  deploy-monitoring REGION TEMPLATE  deploys TEMPLATE (dr-monitoring.yaml) as stack cloudpatterns-dr-monitoring in
                             log-archive's REGION and waits for it; prints its outputs as JSON
  alarms REGION              log-archive's cloudpatterns-dr-* alarms in REGION (CloudWatch DescribeAlarms): name -> state
  signing-key                the evidence signing key (alias/cloudpatterns-dr-evidence-org-dr-evidence): DescribeKey
                             metadata and key policy, as JSON
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import base64
import hashlib
import json
import re
import sys
import time
from datetime import datetime, timedelta, timezone

from sandbox_clients import sandbox_client

ORG_ID = "o-lc0example01"
LOG_ARCHIVE = "222222222222"
STAGING = "444444444444"
PRIMARY = "us-east-2"
VAULT = "central"
EVIDENCE_BUCKET = "org-dr-evidence"

endpoint = sys.argv[1]


def client(service, account=None, region=PRIMARY):
    return sandbox_client(endpoint, service, region, account, "dr-test")


def org_statement(actions):
    return {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": actions, "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}}


def refused_copies():
    client("backup", LOG_ARCHIVE).create_backup_vault(BackupVaultName="restricted")
    plan(STAGING, "aws-managed", None, [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:{VAULT}"])
    plan(STAGING, "shared-key", key(STAGING, shared=True), [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:restricted"])
    plan(STAGING, "private-key", key(STAGING, shared=False), [f"arn:aws:backup:{PRIMARY}:{LOG_ARCHIVE}:backup-vault:{VAULT}"])


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


def member_backup(account):
    """The member plan's rules and the recovery points of the member vault, as AWS Backup reports them."""
    backup = client("backup", account)
    plans = [backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])["BackupPlan"] for plan in backup.list_backup_plans()["BackupPlansList"]]
    points = backup.list_recovery_points_by_backup_vault(BackupVaultName="workload")["RecoveryPoints"]
    copies = backup.list_copy_jobs()["CopyJobs"]
    print(json.dumps({
        "copies": [{"state": c["State"], "message": c.get("StatusMessage"), "destination": c["DestinationBackupVaultArn"],
                    "resourceType": c["ResourceType"], "created": c["CreationDate"].isoformat()} for c in copies],
        "rules": [{"schedule": rule["ScheduleExpression"], "continuous": rule.get("EnableContinuousBackup", False)} for plan in plans for rule in plan["Rules"]],
        "points": [{"arn": p["RecoveryPointArn"], "resourceType": p["ResourceType"], "created": p["CreationDate"].isoformat(),
                    "completed": p["CompletionDate"].isoformat()} for p in points],
    }))


def vault_lock(region):
    vault = client("backup", LOG_ARCHIVE, region).describe_backup_vault(BackupVaultName=VAULT)
    print(json.dumps({key: vault.get(key) for key in ("Locked", "MinRetentionDays", "MaxRetentionDays")}))


def restored(region):
    tables = client("dynamodb", LOG_ARCHIVE, region).list_tables()["TableNames"]
    instances = [i["DBInstanceIdentifier"] for i in client("rds", LOG_ARCHIVE, region).describe_db_instances()["DBInstances"]]
    volumes = [v["VolumeId"] for v in client("ec2", LOG_ARCHIVE, region).describe_volumes()["Volumes"]]
    clusters = [c["DBClusterIdentifier"] for c in client("rds", LOG_ARCHIVE, region).describe_db_clusters()["DBClusters"]]
    buckets = [b["Name"] for b in client("s3", LOG_ARCHIVE, region).list_buckets()["Buckets"]]
    servers = [i["InstanceId"] for r in client("ec2", LOG_ARCHIVE, region).describe_instances()["Reservations"] for i in r["Instances"]
               if i["State"]["Name"] != "terminated"]
    systems = [f["FileSystemId"] for f in client("efs", LOG_ARCHIVE, region).describe_file_systems()["FileSystems"]]
    print(json.dumps(tables + instances + volumes + clusters + buckets + servers + systems))


def get_evidence(key):
    sys.stdout.write(client("s3", LOG_ARCHIVE).get_object(Bucket=EVIDENCE_BUCKET, Key=key)["Body"].read().decode())


def as_policy_admin(write):
    """The attacker is an account administrator: the bucket policy lets only the writer role put, and only once, so
    it lifts the policy for its write and puts it back (LocalCloud enforces bucket policies as S3 does)."""
    s3 = client("s3", LOG_ARCHIVE)
    policy = s3.get_bucket_policy(Bucket=EVIDENCE_BUCKET)["Policy"]
    s3.delete_bucket_policy(Bucket=EVIDENCE_BUCKET)
    try:
        write(s3)
    finally:
        s3.put_bucket_policy(Bucket=EVIDENCE_BUCKET, Policy=policy)


def put_governance(key):
    now = datetime.now(timezone.utc)
    record = {"recordedAt": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "evidenceRetentionDays": 365, "sha256": "0"}
    as_policy_admin(lambda s3: s3.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=json.dumps(record).encode(),
                                             ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=now + timedelta(days=30)))


SEAL = re.compile(r',"sha256":"[0-9a-f]{64}"|,"signature":\{[^{}]*\}')


def reseal(body, attacker_key):
    """Seals canonical JSON text as the module does (SHA-256 of the canonical bytes, signed as a digest), with a key
    the attacker controls; the stored form need not be canonical, only its hash input."""
    digest = hashlib.sha256(body.encode()).digest()
    signature = client("kms", LOG_ARCHIVE).sign(KeyId=attacker_key, Message=digest, MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_256")
    seal = {"sha256": digest.hex(), "signature": {"algorithm": "ECDSA_SHA_256", "keyId": signature["KeyId"], "value": base64.b64encode(signature["Signature"]).decode()}}
    return body[:-1] + "," + json.dumps(seal, separators=(",", ":"))[1:]


def attacker_key():
    return client("kms", LOG_ARCHIVE).create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Description="not the evidence key")["KeyMetadata"]["Arn"]


def put_locked(key, content):
    as_policy_admin(lambda s3: s3.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=content.encode(), ObjectLockMode="COMPLIANCE",
                                             ObjectLockRetainUntilDate=datetime.now(timezone.utc) + timedelta(days=400)))


def stored(key):
    return client("s3", LOG_ARCHIVE).get_object(Bucket=EVIDENCE_BUCKET, Key=key)["Body"].read().decode()


def forge_version(key):
    forger = attacker_key()
    body = SEAL.sub("", stored(key)).replace('"outcome":"Failed"', '"outcome":"Passed"')
    put_locked(key, reseal(body, forger))
    print(json.dumps({"attackerKey": forger}))


def append_foreign(key, after):
    forger = attacker_key()
    previous = stored(after)
    run, sequence = key.split("/")[-2], int(key.split("/")[-1][:-5])
    body = SEAL.sub("", previous)
    body = re.sub(r'"previousSha256":(null|"[0-9a-f]{64}")', '"previousSha256":"' + json.loads(previous)["sha256"] + '"', body)
    body = re.sub(r'"runId":"[^"]*"', '"runId":"' + run + '"', body)
    body = re.sub(r'"sequence":\d+', '"sequence":' + str(sequence), body)
    put_locked(key, reseal(body, forger))
    print(json.dumps({"attackerKey": forger}))


def protected(account, region):
    pages = client("backup", account, region).get_paginator("list_protected_resources").paginate()
    print(json.dumps(sorted(r["ResourceArn"] for page in pages for r in page["Results"])))


def deploy_monitoring(region, template):
    cloudformation = client("cloudformation", LOG_ARCHIVE, region)
    with open(template, encoding="utf-8") as body:
        cloudformation.create_stack(StackName="cloudpatterns-dr-monitoring", TemplateBody=body.read(),
                                    Parameters=[{"ParameterKey": "RpoTargetHours", "ParameterValue": "1"}])
    for _ in range(600):
        stack = cloudformation.describe_stacks(StackName="cloudpatterns-dr-monitoring")["Stacks"][0]
        if not stack["StackStatus"].endswith("IN_PROGRESS"):
            break
        time.sleep(0.2)
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise SystemExit(f"cloudpatterns-dr-monitoring: {stack['StackStatus']} {stack.get('StackStatusReason')}")
    print(json.dumps({o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}))


def alarms(region):
    pages = client("cloudwatch", LOG_ARCHIVE, region).get_paginator("describe_alarms").paginate(AlarmNamePrefix="cloudpatterns-dr-")
    print(json.dumps({a["AlarmName"]: a["StateValue"] for page in pages for a in page["MetricAlarms"]}))


def signing_key():
    kms = client("kms", LOG_ARCHIVE)
    metadata = kms.describe_key(KeyId="alias/cloudpatterns-dr-evidence-org-dr-evidence")["KeyMetadata"]
    policy = kms.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"]
    print(json.dumps({"metadata": metadata, "policy": json.loads(policy)}, default=str))


def put_role(name, external_id, policy_file, account=LOG_ARCHIVE, policy_name="job"):
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": external_id}}}]}
    try:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    with open(policy_file, encoding="utf-8") as policy:
        iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=policy.read())
    print(json.dumps({"role": name}))


def service_role(name, policy_file, account):
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    with open(policy_file, encoding="utf-8") as policy:
        iam.put_role_policy(RoleName=name, PolicyName="resources", PolicyDocument=policy.read())
    print(json.dumps({"role": arn}))


def topic_key(region, key):
    stack = client("cloudformation", LOG_ARCHIVE, region).describe_stacks(StackName="cloudpatterns-dr-central-vault")["Stacks"][0]
    topic = next(o["OutputValue"] for o in stack["Outputs"] if o["OutputKey"] == "FailedJobsTopicArn")
    sns = client("sns", LOG_ARCHIVE, region)
    previous = sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("KmsMasterKeyId", "")
    sns.set_topic_attributes(TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue=key)
    print(json.dumps({"topic": topic, "previous": previous}))


def scp_deny(action, target):
    organizations = client("organizations")
    content = {"Version": "2012-10-17", "Statement": [{"Sid": "DenyForTheTest", "Effect": "Deny", "Action": action, "Resource": "*"}]}
    policy = organizations.create_policy(Name=f"deny-{action.replace(':', '-')}", Description="test", Type="SERVICE_CONTROL_POLICY",
                                         Content=json.dumps(content))["Policy"]["PolicySummary"]
    organizations.attach_policy(PolicyId=policy["Id"], TargetId=target)
    print(json.dumps({"policyId": policy["Id"], "arn": policy["Arn"]}))


def scp_remove(policy_id, target):
    organizations = client("organizations")
    organizations.detach_policy(PolicyId=policy_id, TargetId=target)
    organizations.delete_policy(PolicyId=policy_id)
    print(json.dumps({"policyId": policy_id}))


command = sys.argv[2]
if command == "refused-copies":
    refused_copies()
elif command == "recovery-points":
    recovery_points(sys.argv[3])
elif command == "member-backup":
    member_backup(sys.argv[3])
elif command == "vault-lock":
    vault_lock(sys.argv[3])
elif command == "restored":
    restored(sys.argv[3])
elif command == "get-evidence":
    get_evidence(sys.argv[3])
elif command == "put-governance":
    put_governance(sys.argv[3])
elif command == "forge-version":
    forge_version(sys.argv[3])
elif command == "append-foreign":
    append_foreign(sys.argv[3], sys.argv[4])
elif command == "delete":
    client("s3", LOG_ARCHIVE).delete_object(Bucket=EVIDENCE_BUCKET, Key=sys.argv[3])
elif command == "put-role":
    put_role(*sys.argv[3:8])
elif command == "service-role":
    service_role(sys.argv[3], sys.argv[4], sys.argv[5])
elif command == "topic-key":
    topic_key(sys.argv[3], sys.argv[4])
elif command == "scp-deny":
    scp_deny(sys.argv[3], sys.argv[4])
elif command == "scp-remove":
    scp_remove(sys.argv[3], sys.argv[4])
elif command == "protected":
    protected(*sys.argv[3:5])
elif command == "deploy-monitoring":
    deploy_monitoring(*sys.argv[3:5])
elif command == "alarms":
    alarms(sys.argv[3])
elif command == "delete-vault":
    # A vault a deleted stack retained (DeletionPolicy Retain), so a stack made anew can create it again; absent is fine.
    # (AWS Backup answers AccessDenied, not NotFound, for a vault that does not exist, so look first.)
    backup = client("backup", sys.argv[3], sys.argv[4])
    if sys.argv[5] in [vault["BackupVaultName"] for vault in backup.list_backup_vaults()["BackupVaultList"]]:
        backup.delete_backup_vault(BackupVaultName=sys.argv[5])
    print("{}")
elif command == "signing-key":
    signing_key()
else:
    raise SystemExit(f"unknown command {command}")
