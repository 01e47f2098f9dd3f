"""The organization side of a LocalCloud sandbox with boto3, for the StackSets tests.

Usage: python3 org_sandbox.py <endpoint> <command> [args]
  enable-stacksets          turns on StackSets' trusted access (EnableAWSServiceAccess)
  move ACCOUNT FROM TO      moves ACCOUNT between the OUs named FROM and TO, then waits until the stack set
                            cloudpatterns-dr-member-backup has no running operation
  plans ACCOUNT             names of the backup plans in ACCOUNT (us-east-2), as JSON
  org-plans ACCOUNT         "name id" of the organization-managed (orgs/…) backup plans in ACCOUNT (us-east-2)
  enable-backup-policies    enables the BACKUP_POLICY policy type on the root
  backup-policy NAME        the content and targets of the backup policy NAME
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import json
import sys
import time

from sandbox_clients import sandbox_client

endpoint = sys.argv[1]
REGION = "us-east-2"
STACK_SET = "cloudpatterns-dr-member-backup"


def client(service, account=None):
    return sandbox_client(endpoint, service, REGION, account, "stackset-test")


def units():
    org = client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    return {unit["Name"]: unit["Id"] for unit in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]}


def main(command, *args):
    if command == "enable-stacksets":
        client("organizations").enable_aws_service_access(ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")
        return {"enabled": True}
    if command == "move":
        # Moves an account and waits for the auto-deployment operations of a stack set (the member plan's by default).
        account, source, destination, *stack_set = args
        name = stack_set[0] if stack_set else STACK_SET
        ids = units()
        client("organizations").move_account(AccountId=account, SourceParentId=ids[source], DestinationParentId=ids[destination])
        cfn = client("cloudformation")
        for _ in range(600):
            summaries = cfn.list_stack_set_operations(StackSetName=name)["Summaries"]
            if all(summary["Status"] not in ("RUNNING", "QUEUED") for summary in summaries):
                return {"operations": [f'{summary["Action"]}:{summary["Status"]}' for summary in summaries]}
            time.sleep(0.1)
        raise TimeoutError(name)
    if command == "plans":
        return [plan["BackupPlanName"] for plan in client("backup", args[0]).list_backup_plans()["BackupPlansList"]]
    if command == "org-plans":
        return [f'{plan["BackupPlanName"]} {plan["BackupPlanId"]}' for plan in client("backup", args[0]).list_backup_plans()["BackupPlansList"]
                if plan["BackupPlanId"].startswith("orgs/")]
    if command == "enable-backup-policies":
        org = client("organizations")
        org.enable_policy_type(RootId=org.list_roots()["Roots"][0]["Id"], PolicyType="BACKUP_POLICY")
        return {"enabled": True}
    if command == "backup-policy":
        org = client("organizations")
        policy = next(summary for summary in org.list_policies(Filter="BACKUP_POLICY")["Policies"] if summary["Name"] == args[0])
        return {"content": json.loads(org.describe_policy(PolicyId=policy["Id"])["Policy"]["Content"]),
                "targets": sorted(target["TargetId"] for target in org.list_targets_for_policy(PolicyId=policy["Id"])["Targets"])}
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[2:])))
