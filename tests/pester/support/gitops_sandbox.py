"""Deploys and drives the GitOps reconciler (templates/gitops-reconciler.yaml) in a LocalCloud sandbox with boto3.

Usage: python3 gitops_sandbox.py <endpoint> <command> [args]
  deploy ZIP TEMPLATES EXTERNAL_ID TARGET   in the caller's (management) account, us-east-2: a code bucket with ZIP, a
                             versioned bundle bucket, the stack of gitops-reconciler.yaml (from the TEMPLATES folder,
                             schedule rate(1 hour)); in TARGET us-east-2 the stack of gitops-event-forwarder.yaml;
                             prints {"account", "bucket", "function", "role"} as JSON
  invoke FILE                invokes the function synchronously with the event in FILE; prints {"functionError", "payload"}
  in-flight                  {"started", "ended"}: the function's START and REPORT log lines so far
  retention-of ACCOUNT GROUP     the group's retention in days
  tamper BUCKET KEY          uploads a new version of the bundle with one template changed and the digest kept
  policy-without ACTION      the function's role policy with ACTION removed ("" puts the template's policy back)
  put-role-policy ROLE NAME FILE  puts the identity policy in the JSON file FILE as ROLE's inline policy NAME (a job
                             role of the management account itself)
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import json
import os
import sys
import tempfile

from sandbox_clients import sandbox_client

REGION = "us-east-2"
STACK = "cloudpatterns-gitops-reconciler"
FUNCTION = "cloudpatterns-gitops-reconciler"
STATE = os.path.join(tempfile.gettempdir(), f"gitops-sandbox-{os.getppid()}.json")

endpoint = sys.argv[1]


def client(service, account=None):
    return sandbox_client(endpoint, service, REGION, account, "gitops-test")


def wait_for(cloudformation, name):
    try:
        cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 300})
    except Exception as error:
        events = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
        reasons = [f'{e["LogicalResourceId"]}: {e.get("ResourceStatusReason")}' for e in events if e["ResourceStatus"].endswith("FAILED")]
        raise SystemExit(f"{name} was not created: {'; '.join(reasons)}") from error
    return cloudformation.describe_stacks(StackName=name)["Stacks"][0]


def deploy(zip_path, templates, external_id, target):
    account = client("sts").get_caller_identity()["Account"]
    organization = client("organizations").describe_organization()["Organization"]["Id"]
    s3 = client("s3")
    code_bucket, bundle_bucket = f"cloudpatterns-lambda-code-{account}", f"cloudpatterns-gitops-{account}"
    for bucket in (code_bucket, bundle_bucket):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=bundle_bucket, VersioningConfiguration={"Status": "Enabled"})
    with open(zip_path, "rb") as package:
        s3.put_object(Bucket=code_bucket, Key="CloudPatterns.Lambda.zip", Body=package.read())
    cloudformation = client("cloudformation")
    with open(os.path.join(templates, "gitops-reconciler.yaml"), encoding="utf-8") as template:
        body = template.read()
    cloudformation.create_stack(StackName=STACK, TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"], Parameters=[
        {"ParameterKey": "CodeBucket", "ParameterValue": code_bucket},
        {"ParameterKey": "BundleBucket", "ParameterValue": bundle_bucket},
        {"ParameterKey": "TargetExternalId", "ParameterValue": external_id},
        {"ParameterKey": "OrganizationId", "ParameterValue": organization},
        {"ParameterKey": "ScheduleExpression", "ParameterValue": "rate(1 hour)"}])
    stack = wait_for(cloudformation, STACK)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    forwarder = client("cloudformation", target)
    with open(os.path.join(templates, "gitops-event-forwarder.yaml"), encoding="utf-8") as template:
        forwarder.create_stack(StackName="cloudpatterns-gitops-forwarder", TemplateBody=template.read(), Capabilities=["CAPABILITY_IAM"],
                               Parameters=[{"ParameterKey": "ReconcilerAccountId", "ParameterValue": account}])
    wait_for(forwarder, "cloudpatterns-gitops-forwarder")
    policy = client("iam").get_role_policy(RoleName=FUNCTION, PolicyName="gitops-reconciler")["PolicyDocument"]
    with open(STATE, "w", encoding="utf-8") as state:
        json.dump({"policy": policy}, state)
    print(json.dumps({"account": account, "bucket": bundle_bucket, "function": outputs["FunctionArn"], "role": outputs["ExecutionRoleArn"]}))


def invoke(path):
    with open(path, encoding="utf-8") as event:
        payload = event.read()
    answer = client("lambda").invoke(FunctionName=FUNCTION, Payload=payload.encode())
    body = answer["Payload"].read().decode()
    print(json.dumps({"functionError": answer.get("FunctionError"), "payload": json.loads(body) if body else None}))


def in_flight():
    messages = []
    logs = client("logs")
    try:
        for page in logs.get_paginator("filter_log_events").paginate(logGroupName=f"/aws/lambda/{FUNCTION}"):
            messages += [e["message"] for e in page["events"]]
    except logs.exceptions.ResourceNotFoundException:
        pass
    print(json.dumps({"started": sum(m.startswith("START RequestId") for m in messages),
                      "ended": sum(m.startswith("REPORT RequestId") for m in messages)}))


def retention_of(account, group):
    groups = client("logs", account).describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    print(json.dumps(next((g.get("retentionInDays") for g in groups if g["logGroupName"] == group), None)))


def tamper(bucket, key):
    s3 = client("s3")
    bundle = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    name = sorted(bundle["templates"])[0]
    bundle["templates"][name] = bundle["templates"][name].replace("RetentionInDays", "RetentionInDays: 1\n      # ", 1)
    version = s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(bundle).encode())["VersionId"]
    print(json.dumps({"versionId": version, "template": name}))


def policy_without(action):
    with open(STATE, encoding="utf-8") as state:
        policy = json.load(state)["policy"]
    if action:
        statements = []
        for statement in policy["Statement"]:
            actions = [a for a in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]) if a != action]
            if actions:
                statements.append({**statement, "Action": actions})
        policy = {**policy, "Statement": statements}
    client("iam").put_role_policy(RoleName=FUNCTION, PolicyName="gitops-reconciler", PolicyDocument=json.dumps(policy))
    print(json.dumps([a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]))


def put_role_policy(role, name, policy_file):
    with open(policy_file, encoding="utf-8") as policy:
        client("iam").put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=policy.read())
    print(json.dumps({"role": role, "policy": name}))


command = sys.argv[2]
if command == "deploy":
    deploy(*sys.argv[3:7])
elif command == "invoke":
    invoke(sys.argv[3])
elif command == "in-flight":
    in_flight()
elif command == "retention-of":
    retention_of(*sys.argv[3:5])
elif command == "tamper":
    tamper(*sys.argv[3:5])
elif command == "policy-without":
    policy_without(sys.argv[3] if len(sys.argv) > 3 else "")
elif command == "put-role-policy":
    put_role_policy(*sys.argv[3:6])
else:
    sys.exit(f"unknown command {command}")
