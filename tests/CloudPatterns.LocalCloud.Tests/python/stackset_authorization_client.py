"""Service-managed stack instances are provisioned as the stacksets-exec role in the member account, so an SCP above
the account limits them, through boto3.

Usage: python3 stackset_authorization_client.py <suffix>; LOCALCLOUD_URL, the management account's credentials and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time

from localcloud import client

SUFFIX = sys.argv[1]
ACCOUNT = "333333333333"


def wait(cfn, name, operation_id):
    for _ in range(600):
        operation = cfn.describe_stack_set_operation(StackSetName=name, OperationId=operation_id)["StackSetOperation"]
        if operation["Status"] not in ("RUNNING", "QUEUED"):
            return operation["Status"]
        time.sleep(0.1)
    raise TimeoutError(operation_id)


def member_client(service):
    credentials = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole", RoleSessionName="check")["Credentials"]
    return client(service, aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


cfn, org = client("cloudformation"), client("organizations")
org.enable_aws_service_access(ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")
unit = org.list_parents(ChildId=ACCOUNT)["Parents"][0]["Id"]
deny = {"Version": "2012-10-17", "Statement": [{"Sid": "NoLogGroups", "Effect": "Deny", "Action": "logs:CreateLogGroup", "Resource": "*"}]}
policy = org.create_policy(Name=f"no-logs-{SUFFIX}", Description="test", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(deny))["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=policy, TargetId=unit)

name = f"authz-{SUFFIX}"
template = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": f"stackset-{SUFFIX}"}}}}
cfn.create_stack_set(StackSetName=name, TemplateBody=json.dumps(template), PermissionModel="SERVICE_MANAGED", AutoDeployment={"Enabled": False})
targets = {"OrganizationalUnitIds": [unit], "Accounts": [ACCOUNT], "AccountFilterType": "INTERSECTION"}
operation = cfn.create_stack_instances(StackSetName=name, DeploymentTargets=targets, Regions=["us-east-2"])["OperationId"]
result = {"denied": wait(cfn, name, operation)}
instance = cfn.list_stack_instances(StackSetName=name)["Summaries"][0]
result["deniedInstance"] = [instance["Account"], instance["StackInstanceStatus"]["DetailedStatus"], instance.get("StatusReason", "")]

org.detach_policy(PolicyId=policy, TargetId=unit)
# Without the SCP the same template deploys (a second stack set: the first one's stack rolled back).
cfn.create_stack_set(StackSetName=name + "-again", TemplateBody=json.dumps(template), PermissionModel="SERVICE_MANAGED", AutoDeployment={"Enabled": False})
operation = cfn.create_stack_instances(StackSetName=name + "-again", DeploymentTargets=targets, Regions=["us-east-2"])["OperationId"]
result["allowed"] = wait(cfn, name + "-again", operation)
instance = cfn.list_stack_instances(StackSetName=name + "-again")["Summaries"][0]
result["allowedInstance"] = instance["StackInstanceStatus"]["DetailedStatus"]
result["logGroups"] = [group["logGroupName"] for group in member_client("logs").describe_log_groups(logGroupNamePrefix=f"stackset-{SUFFIX}")["logGroups"]]

iam = member_client("iam")
roles = [role for role in iam.list_roles()["Roles"] if role["RoleName"].startswith("stacksets-exec-")]
result["execRoles"] = [role["RoleName"] for role in roles]
result["execPolicies"] = [attached["PolicyName"] for role in roles for attached in iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]]
result["execTrust"] = [statement["Principal"]["AWS"] for role in roles for statement in role["AssumeRolePolicyDocument"]["Statement"]]
print(json.dumps(result))
