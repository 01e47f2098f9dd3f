"""One backup policy attached to the Workloads OU of a sandbox with many accounts: times AttachPolicy (LocalCloud puts the
org-managed plan in every account and region of the effective policy before it answers), UpdatePolicy (one region
dropped) and DescribeEffectivePolicy, and counts the org-managed plans of one account.

Usage: python3 backup-policy.py; LOCALCLOUD_URL and the management account's credentials from the environment.
"""
import json
import os
import time

import boto3

URL = os.environ["LOCALCLOUD_URL"]


def client(service, **credentials):
    return boto3.client(service, endpoint_url=URL, region_name="us-east-2", **credentials)


def main():
    org = client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    units = {unit["Name"]: unit["Id"] for unit in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]}
    org.enable_policy_type(RootId=root, PolicyType="BACKUP_POLICY")
    content = {"plans": {"member": {
        "regions": {"@@assign": ["us-east-2", "us-west-2"]},
        "rules": {"daily": {"schedule_expression": {"@@assign": "cron(0 5 ? * * *)"}, "target_backup_vault_name": {"@@assign": "workload"}}},
        "selections": {"tags": {"tagged": {"iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole"},
                                            "tag_key": {"@@assign": "backup"}, "tag_value": {"@@assign": ["daily"]}}}}}}}
    policy = org.create_policy(Name="bench", Description="bench", Type="BACKUP_POLICY", Content=json.dumps(content))["Policy"]["PolicySummary"]["Id"]
    started = time.perf_counter()
    org.attach_policy(PolicyId=policy, TargetId=units["Workloads"])
    attach = time.perf_counter() - started
    content["plans"]["member"]["regions"]["@@assign"] = ["us-east-2"]
    started = time.perf_counter()
    org.update_policy(PolicyId=policy, Content=json.dumps(content))
    update = time.perf_counter() - started
    started = time.perf_counter()
    org.describe_effective_policy(PolicyType="BACKUP_POLICY", TargetId="333333333333")
    describe = time.perf_counter() - started
    sts = client("sts").assume_role(RoleArn="arn:aws:iam::333333333333:role/OrganizationAccountAccessRole", RoleSessionName="bench")["Credentials"]
    backup = client("backup", aws_access_key_id=sts["AccessKeyId"], aws_secret_access_key=sts["SecretAccessKey"], aws_session_token=sts["SessionToken"])
    plans = [plan for plan in backup.list_backup_plans()["BackupPlansList"] if plan["BackupPlanId"].startswith("orgs/")]
    print(json.dumps({"attach_ms": attach * 1000, "update_ms": update * 1000, "describe_ms": describe * 1000, "plans": len(plans)}))


main()
