"""A service-managed stack set of the member backup plan across the Workloads OU, auto-deployment on MoveAccount,
and the refusals and failure tolerance of StackSets, through boto3.

Usage: python3 stacksets_client.py <member-backup-plan.yaml>; LOCALCLOUD_URL, the management account's
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time

from localcloud import client, error

PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"


def wait(cfn, name, operation_id):
    for _ in range(600):
        operation = cfn.describe_stack_set_operation(StackSetName=name, OperationId=operation_id)["StackSetOperation"]
        if operation["Status"] not in ("RUNNING", "QUEUED"):
            return operation
        time.sleep(0.1)
    raise TimeoutError(operation_id)


def wait_all(cfn, name):
    for _ in range(600):
        summaries = cfn.list_stack_set_operations(StackSetName=name)["Summaries"]
        if all(summary["Status"] not in ("RUNNING", "QUEUED") for summary in summaries):
            return summaries
        time.sleep(0.1)
    raise TimeoutError(name)


def instances(cfn, name):
    return [summary for page in cfn.get_paginator("list_stack_instances").paginate(StackSetName=name) for summary in page["Summaries"]]


def member_client(service, account):
    """A client of a member account, through OrganizationAccountAccessRole."""
    credentials = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="check")["Credentials"]
    return client(service, aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


def live_stacks(account, prefix):
    """StackSet-<name>-… stacks alive in a member account."""
    member = member_client("cloudformation", account)
    return [stack for stack in member.describe_stacks()["Stacks"] if stack["StackName"].startswith(prefix) and stack["StackStatus"] == "CREATE_COMPLETE"]


def main():
    template = open(sys.argv[1], encoding="utf-8").read()
    cfn, org = client("cloudformation"), client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    units = {unit["Name"]: unit["Id"] for unit in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]}
    result = {"accessBefore": cfn.describe_organizations_access()["Status"]}
    create = dict(StackSetName="member-backup", TemplateBody=template, PermissionModel="SERVICE_MANAGED", Capabilities=["CAPABILITY_NAMED_IAM"],
                  Parameters=[{"ParameterKey": "VaultAccountId", "ParameterValue": "222222222222"}],
                  AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False})
    result["withoutAccess"] = error(cfn.create_stack_set, **create)
    org.enable_aws_service_access(ServicePrincipal=PRINCIPAL)
    result["accessAfter"] = cfn.describe_organizations_access()["Status"]
    result["principals"] = [entry["ServicePrincipal"] for entry in org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
    result["stackSetId"] = cfn.create_stack_set(**create)["StackSetId"]
    result["again"] = error(cfn.create_stack_set, **create)

    operation_id = cfn.create_stack_instances(
        StackSetName="member-backup", DeploymentTargets={"OrganizationalUnitIds": [units["Workloads"]]}, Regions=["us-east-2"],
        OperationPreferences={"MaxConcurrentPercentage": 100, "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE"})["OperationId"]
    result["create"] = wait(cfn, "member-backup", operation_id)["Status"]
    deployed = instances(cfn, "member-backup")
    result["instances"] = len(deployed)
    result["instanceStates"] = sorted({f'{item["Status"]}/{item["StackInstanceStatus"]["DetailedStatus"]}' for item in deployed})
    result["accounts"] = sorted(item["Account"] for item in deployed)
    result["results"] = len([summary for page in cfn.get_paginator("list_stack_set_operation_results").paginate(
        StackSetName="member-backup", OperationId=operation_id) for summary in page["Summaries"]])
    result["memberStacks"] = len(live_stacks("900000000150", "StackSet-member-backup-"))

    org.move_account(AccountId="900000000200", SourceParentId=units["Workloads"], DestinationParentId=units["Recovery"])
    org.move_account(AccountId="555555555555", SourceParentId=units["Recovery"], DestinationParentId=units["Workloads"])
    result["moveAgain"] = error(org.move_account, AccountId="555555555555", SourceParentId=units["Recovery"], DestinationParentId=units["Workloads"])
    operations = wait_all(cfn, "member-backup")
    result["operations"] = [f'{summary["Action"]}:{summary["Status"]}' for summary in operations]
    after = {item["Account"] for item in instances(cfn, "member-backup")}
    result["movedOutListed"] = "900000000200" in after
    result["movedInListed"] = "555555555555" in after
    result["movedOutStacks"] = len(live_stacks("900000000200", "StackSet-member-backup-"))
    result["movedInStacks"] = len(live_stacks("555555555555", "StackSet-member-backup-"))
    result["notEmpty"] = error(cfn.delete_stack_set, StackSetName="member-backup")

    # A delegated administrator operates service-managed sets with CallAs=DELEGATED_ADMIN, and only so.
    result["registerManagement"] = error(org.register_delegated_administrator, AccountId="111111111111", ServicePrincipal=PRINCIPAL)
    org.register_delegated_administrator(AccountId="222222222222", ServicePrincipal=PRINCIPAL)
    result["delegated"] = [admin["Id"] for admin in org.list_delegated_administrators(ServicePrincipal=PRINCIPAL)["DelegatedAdministrators"]]
    delegated = member_client("cloudformation", "222222222222")
    small = dict(StackSetName="delegated", PermissionModel="SERVICE_MANAGED", AutoDeployment={"Enabled": False},
                 TemplateBody=json.dumps({"Resources": {"Flag": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "on"}}}}))
    result["delegatedAsSelf"] = error(delegated.create_stack_set, **small)
    delegated.create_stack_set(CallAs="DELEGATED_ADMIN", **small)
    staging_only = delegated.create_stack_instances(
        StackSetName="delegated", CallAs="DELEGATED_ADMIN", Regions=["us-east-2"],
        DeploymentTargets={"OrganizationalUnitIds": [units["Workloads"]], "Accounts": ["444444444444"], "AccountFilterType": "INTERSECTION"})["OperationId"]
    result["intersection"] = wait(delegated, "delegated", staging_only)["Status"]
    result["intersectionAccounts"] = [item["Account"] for item in instances(delegated, "delegated")]
    drift = delegated.detect_stack_set_drift(StackSetName="delegated", CallAs="DELEGATED_ADMIN")["OperationId"]
    result["driftOperation"] = wait(delegated, "delegated", drift)["Status"]
    result["driftStatus"] = delegated.describe_stack_set(StackSetName="delegated")["StackSet"]["StackSetDriftDetectionDetails"]["DriftStatus"]
    wait(delegated, "delegated", delegated.delete_stack_instances(
        StackSetName="delegated", CallAs="DELEGATED_ADMIN", Regions=["us-east-2"], RetainStacks=False,
        DeploymentTargets={"OrganizationalUnitIds": [units["Workloads"]]})["OperationId"])
    delegated.delete_stack_set(StackSetName="delegated", CallAs="DELEGATED_ADMIN")
    result["afterDelete"] = [f'{summary["StackSetName"]}:{summary["Status"]}' for summary in delegated.list_stack_sets()["Summaries"]]
    result["activeAfterDelete"] = len(delegated.list_stack_sets(Status="ACTIVE")["Summaries"])
    result["describeDeleted"] = error(delegated.describe_stack_set, StackSetName="delegated")
    result["unknown"] = error(cfn.describe_stack_set, StackSetName="no-such-set")
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
