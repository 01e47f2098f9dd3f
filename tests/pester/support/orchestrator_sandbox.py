"""Deploys and drives the DR-Orchestrator Lambda function in a LocalCloud sandbox with boto3, after Set-CrossAccountBackup
(-EvidenceWriterRoleName cloudpatterns-dr-orchestrator -DrAccountId 555555555555) set the DR pattern up.

Usage: python3 orchestrator_sandbox.py <endpoint> <command> [args]
  deploy ZIP [NAME=VALUE ...] log-archive: the function's execution role cloudpatterns-dr-orchestrator (trusts Lambda) and
                             the function cloudpatterns-dr-orchestrator from ZIP (uploaded to S3); DR account: the role of
                             the same name the function assumes there; NAME=VALUE set or replace variables of the
                             function's environment; prints that environment as JSON
  invoke FILE [FILE ...]     invokes the function synchronously with each event (a JSON file), all at once; prints
                             [{"status", "functionError", "payload"}] in the order given
  copy-jobs ACCOUNT REGION   the account's copy jobs in REGION, as JSON
  restore-jobs               the DR account's restore jobs in us-west-2, as JSON (DescribeRestoreJob of each)
  recovery-points ACCOUNT REGION VAULT   recovery points of VAULT, as JSON
  restored                   names of DynamoDB tables, RDS instances, EBS volume ids, Aurora clusters, S3 buckets and EFS
                             creation tokens in the DR account's us-west-2
  notes                      keys of the orchestrator's open restore notes and claims in the evidence bucket
  logs                       the function's log lines (CloudWatch Logs, every stream), as JSON
  wire [restores]            the EventBridge side: in log-archive us-east-2 rules for completed copies, ended restores and
                             a daily schedule targeting the function; rules forwarding completed copies (production
                             us-east-2, log-archive us-west-2) and ended restores (DR account us-west-2) to that bus;
                             with "restores", only the rule for ended restores and its forwarding from the DR account
  metrics                    the DR account's metric names in CloudPatterns/DisasterRecovery (us-west-2), as JSON
  function                   the function's configuration (GetFunction), as JSON
  code-keys                  keys of the function packages kept in the evidence bucket, as JSON
  role-policy ACCOUNT        the inline policy of the role cloudpatterns-dr-orchestrator in ACCOUNT, as JSON {name, document}
  put-role-policy ACCOUNT NAME FILE   replaces that role's inline policy NAME with the document in FILE
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import concurrent.futures
import json
import sys

from sandbox_clients import sandbox_client

LOG_ARCHIVE = "222222222222"
PRODUCTION = "333333333333"
DR_ACCOUNT = "555555555555"
PRIMARY = "us-east-2"
DR_REGION = "us-west-2"
EVIDENCE_BUCKET = "org-dr-evidence"
CODE_BUCKET = "cloudpatterns-lambda-code-222222222222"
NAME = "cloudpatterns-dr-orchestrator"

endpoint = sys.argv[1]


def client(service, account=None, region=PRIMARY):
    return sandbox_client(endpoint, service, region, account, "orchestrator-test")


def role(account, trust, policy):
    iam = client("iam", account)
    try:
        iam.create_role(RoleName=NAME, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    iam.put_role_policy(RoleName=NAME, PolicyName="orchestrator", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": policy}))
    return f"arn:aws:iam::{account}:role/{NAME}"


def deploy(zip_path, overrides):
    function_role = role(LOG_ARCHIVE, {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}, [
        {"Effect": "Allow", "Action": ["backup:StartCopyJob", "backup:ListCopyJobs", "iam:PassRole", "s3:GetObject", "s3:PutObject",
                                       "s3:DeleteObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "kms:Sign", "kms:GenerateDataKey", "kms:Decrypt",
                                       "cloudwatch:PutMetricData", "sns:Publish", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{DR_ACCOUNT}:role/{NAME}"}])
    role(DR_ACCOUNT, {"Effect": "Allow", "Principal": {"AWS": function_role}, "Action": "sts:AssumeRole"}, [
        {"Effect": "Allow", "Action": ["backup:ListRecoveryPointsByBackupVault", "backup:GetRecoveryPointRestoreMetadata", "backup:StartRestoreJob",
                                       "backup:DescribeRestoreJob", "iam:PassRole", "dynamodb:DescribeTable", "dynamodb:DeleteTable",
                                       "rds:DescribeDBInstances", "rds:DeleteDBInstance", "ec2:DescribeVolumes", "ec2:DeleteVolume",
                                       # The seed's production also protects a cluster, a bucket, an instance and a file system.
                                       "rds:DescribeDBClusters", "rds:CreateDBInstance", "rds:DeleteDBCluster",
                                       "s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:DeleteObjectVersion", "s3:DeleteBucket",
                                       "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:TerminateInstances",
                                       "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets",
                                       "elasticfilesystem:DeleteMountTarget", "elasticfilesystem:DeleteFileSystem",
                                       "cloudwatch:PutMetricData"], "Resource": "*"}])
    pilot = client("cloudformation", DR_ACCOUNT, DR_REGION).describe_stacks(StackName="cloudpatterns-dr-pilot-light")["Stacks"][0]
    restore_role = next(o["OutputValue"] for o in pilot["Outputs"] if o["OutputKey"] == "RestoreRoleArn")
    s3 = client("s3", LOG_ARCHIVE)
    try:
        s3.create_bucket(Bucket=CODE_BUCKET, CreateBucketConfiguration={"LocationConstraint": PRIMARY})
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    with open(zip_path, "rb") as package:
        s3.put_object(Bucket=CODE_BUCKET, Key="CloudPatterns.Lambda.zip", Body=package.read())
    environment = {
        "DR_PRIMARY_REGION": PRIMARY, "DR_REGION": DR_REGION, "DR_VAULT_NAME": "central", "DR_ACCOUNT_ID": DR_ACCOUNT,
        "DR_ACCOUNT_VAULT_NAME": "dr", "DR_ACCOUNT_ROLE_NAME": NAME, "DR_RESTORE_ROLE_ARN": restore_role,
        "DR_COPY_ROLE_ARN": f"arn:aws:iam::{LOG_ARCHIVE}:role/service-role/AWSBackupDefaultServiceRole",
        "DR_EVIDENCE_BUCKET": EVIDENCE_BUCKET, "DR_RPO_HOURS": "48", "DR_COVERAGE_DAYS": "2", "DR_SCHEDULE_HOURS": "24",
    }
    environment.update(item.split("=", 1) for item in overrides)
    lam = client("lambda", LOG_ARCHIVE)
    lam.create_function(FunctionName=NAME, Runtime="dotnet8", Role=function_role, Timeout=900, MemorySize=512,
                        Handler="CloudPatterns.Lambda::CloudPatterns.Lambda.Functions::DrOrchestrator",
                        Code={"S3Bucket": CODE_BUCKET, "S3Key": "CloudPatterns.Lambda.zip"}, Environment={"Variables": environment})
    print(json.dumps(environment))


def invoke_one(path):
    with open(path, encoding="utf-8") as event:
        payload = event.read()
    answer = client("lambda", LOG_ARCHIVE).invoke(FunctionName=NAME, Payload=payload.encode())
    body = answer["Payload"].read().decode()
    return {"status": answer["StatusCode"], "functionError": answer.get("FunctionError"), "payload": json.loads(body) if body else None}


def invoke(paths):
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(paths)) as pool:
        print(json.dumps(list(pool.map(invoke_one, paths))))


def copy_jobs(account, region):
    print(json.dumps(client("backup", account, region).list_copy_jobs()["CopyJobs"], default=str))


def restore_jobs():
    backup = client("backup", DR_ACCOUNT, DR_REGION)
    jobs = [backup.describe_restore_job(RestoreJobId=j["RestoreJobId"]) for j in backup.list_restore_jobs()["RestoreJobs"]]
    for job in jobs:
        job.pop("ResponseMetadata", None)
    print(json.dumps(jobs, default=str))


def recovery_points(account, region, vault):
    points = client("backup", account, region).list_recovery_points_by_backup_vault(BackupVaultName=vault)["RecoveryPoints"]
    print(json.dumps(points, default=str))


def restored():
    tables = client("dynamodb", DR_ACCOUNT, DR_REGION).list_tables()["TableNames"]
    instances = [i["DBInstanceIdentifier"] for i in client("rds", DR_ACCOUNT, DR_REGION).describe_db_instances()["DBInstances"]]
    volumes = [v["VolumeId"] for v in client("ec2", DR_ACCOUNT, DR_REGION).describe_volumes()["Volumes"]]
    clusters = [c["DBClusterIdentifier"] for c in client("rds", DR_ACCOUNT, DR_REGION).describe_db_clusters()["DBClusters"]]
    buckets = [b["Name"] for b in client("s3", DR_ACCOUNT, DR_REGION).list_buckets()["Buckets"]]
    # A restored file system is named by its creation token (dro-...); AWS gives its id.
    tokens = [f["CreationToken"] for f in client("efs", DR_ACCOUNT, DR_REGION).describe_file_systems()["FileSystems"]]
    print(json.dumps(tables + instances + volumes + clusters + buckets + tokens))


def notes():
    s3 = client("s3", LOG_ARCHIVE)
    keys = []
    for prefix in ("dr-validation-restores/", "dr-validation-claims/"):
        keys += [o["Key"] for o in s3.list_objects_v2(Bucket=EVIDENCE_BUCKET, Prefix=prefix).get("Contents", [])]
    print(json.dumps(keys))


def logs():
    logs_client = client("logs", LOG_ARCHIVE)
    events = logs_client.filter_log_events(logGroupName=f"/aws/lambda/{NAME}")["events"]
    print(json.dumps([e["message"] for e in events]))


COPY_PATTERN = {"source": ["aws.backup"], "detail-type": ["Copy Job State Change"], "detail": {"state": ["COMPLETED"]}}
RESTORE_PATTERN = {"source": ["aws.backup"], "detail-type": ["Restore Job State Change"], "detail": {"status": ["COMPLETED", "FAILED", "ABORTED"]}}


def wire(only_restores=False):
    hub = f"arn:aws:events:{PRIMARY}:{LOG_ARCHIVE}:event-bus/default"
    function_arn = f"arn:aws:lambda:{PRIMARY}:{LOG_ARCHIVE}:function:{NAME}"
    events = client("events", LOG_ARCHIVE)
    lam = client("lambda", LOG_ARCHIVE)
    for account in (PRODUCTION, DR_ACCOUNT):
        events.put_permission(EventBusName="default", Action="events:PutEvents", Principal=account, StatementId=f"from-{account}")
    rules = (("dr-orchestrator-copies", {"EventPattern": json.dumps(COPY_PATTERN)}),
             ("dr-orchestrator-restores", {"EventPattern": json.dumps(RESTORE_PATTERN)}),
             ("dr-orchestrator-schedule", {"ScheduleExpression": "rate(1 day)"}))
    for name, definition in rules:
        if only_restores and name != "dr-orchestrator-restores":
            continue
        rule_arn = events.put_rule(Name=name, **definition)["RuleArn"]
        lam.add_permission(FunctionName=NAME, StatementId=name, Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=rule_arn)
        events.put_targets(Rule=name, Targets=[{"Id": "orchestrator", "Arn": function_arn}])
    for account, region, name, pattern in ((PRODUCTION, PRIMARY, "dr-copies-to-log-archive", COPY_PATTERN),
                                           (LOG_ARCHIVE, DR_REGION, "dr-copies-to-primary", COPY_PATTERN),
                                           (DR_ACCOUNT, DR_REGION, "dr-restores-to-log-archive", RESTORE_PATTERN)):
        if only_restores and pattern is not RESTORE_PATTERN:
            continue
        forwarder = client("events", account, region)
        forwarder.put_rule(Name=name, EventPattern=json.dumps(pattern))
        forwarder.put_targets(Rule=name, Targets=[{"Id": "log-archive", "Arn": hub}])
    print(json.dumps({"bus": hub}))


def metrics():
    listed = client("cloudwatch", DR_ACCOUNT, DR_REGION).list_metrics(Namespace="CloudPatterns/DisasterRecovery")["Metrics"]
    print(json.dumps(sorted({m["MetricName"] for m in listed})))


def function():
    print(json.dumps(client("lambda", LOG_ARCHIVE).get_function(FunctionName=NAME)["Configuration"], default=str))


def code_keys():
    listed = client("s3", LOG_ARCHIVE).list_objects_v2(Bucket=EVIDENCE_BUCKET, Prefix="dr-orchestrator-code/").get("Contents", [])
    print(json.dumps([o["Key"] for o in listed]))


def role_policy(account):
    iam = client("iam", account)
    name = iam.list_role_policies(RoleName=NAME)["PolicyNames"][0]
    document = iam.get_role_policy(RoleName=NAME, PolicyName=name)["PolicyDocument"]
    print(json.dumps({"name": name, "document": document}))


def put_role_policy(account, name, path):
    with open(path, encoding="utf-8") as document:
        client("iam", account).put_role_policy(RoleName=NAME, PolicyName=name, PolicyDocument=document.read())
    print(json.dumps({"put": name}))


command = sys.argv[2]
if command == "deploy":
    deploy(sys.argv[3], sys.argv[4:])
elif command == "invoke":
    invoke(sys.argv[3:])
elif command == "copy-jobs":
    copy_jobs(sys.argv[3], sys.argv[4])
elif command == "restore-jobs":
    restore_jobs()
elif command == "recovery-points":
    recovery_points(sys.argv[3], sys.argv[4], sys.argv[5])
elif command == "restored":
    restored()
elif command == "notes":
    notes()
elif command == "logs":
    logs()
elif command == "wire":
    wire(sys.argv[3:] == ["restores"])
elif command == "metrics":
    metrics()
elif command == "function":
    function()
elif command == "code-keys":
    code_keys()
elif command == "role-policy":
    role_policy(sys.argv[3])
elif command == "put-role-policy":
    put_role_policy(sys.argv[3], sys.argv[4], sys.argv[5])
else:
    raise SystemExit(f"unknown command {command}")
