"""Organizations backup policies through boto3: the policy type, the grammar's refusals, inheritance and child control
operators in the effective policy, the org-managed plans AWS Backup keeps in each account (and refuses to let the
account change), jobs run from them, and plans following accounts moved into and out of the Workloads OU.

Usage: python3 backup_policies_client.py; LOCALCLOUD_URL, the management account's AWS_ACCESS_KEY_ID/
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import os
import urllib.request

from localcloud import client, error

ROOT_POLICY = {"plans": {"Workload_Backup": {
    "regions": {"@@assign": ["us-east-2"]},
    "rules": {"Hourly": {
        "schedule_expression": {"@@assign": "cron(0 * * * ? *)"},
        "start_backup_window_minutes": {"@@assign": "60"},
        "target_backup_vault_name": {"@@assign": "org-vault", "@@operators_allowed_for_child_policies": ["@@none"]},
        "lifecycle": {"delete_after_days": {"@@assign": "35"}},
        "copy_actions": {"arn:aws:backup:us-east-2:222222222222:backup-vault:central": {
            "target_backup_vault_arn": {"@@assign": "arn:aws:backup:us-east-2:222222222222:backup-vault:central"},
            "lifecycle": {"delete_after_days": {"@@assign": "35"}}}}}},
    "selections": {"tags": {"Daily": {
        "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole"},
        "tag_key": {"@@assign": "backup"},
        "tag_value": {"@@assign": ["daily", "hourly"]}}}}}}}

# The Workloads OU adds a region and tries to change the vault, which the root locked.
WORKLOADS_POLICY = {"plans": {"workload_backup": {
    "regions": {"@@append": ["us-west-2"]},
    "rules": {"hourly": {"target_backup_vault_name": {"@@assign": "other-vault"}}},
    "selections": {"tags": {"daily": {"tag_value": {"@@remove": ["hourly"]}}}}}}}


def member(service, account, region=None):
    credentials = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="check")["Credentials"]
    return client(service, region, aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


def org_plans(account, region):
    return sorted(plan["BackupPlanId"] for plan in member("backup", account, region).list_backup_plans()["BackupPlansList"]
                  if plan["BackupPlanId"].startswith("orgs/"))


def advance(duration):
    request = urllib.request.Request(os.environ["LOCALCLOUD_URL"] + "/_localcloud/clock", data=json.dumps({"advance": duration}).encode(), method="POST")
    urllib.request.urlopen(request).read()


def main():
    org = client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    units = {unit["Name"]: unit["Id"] for unit in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]}
    result = {}
    created = org.create_policy(Name="root-backup", Description="every account", Type="BACKUP_POLICY", Content=json.dumps(ROOT_POLICY))["Policy"]
    root_policy = created["PolicySummary"]["Id"]
    result["arn"] = created["PolicySummary"]["Arn"]
    result["attachDisabled"] = error(org.attach_policy, PolicyId=root_policy, TargetId=root)
    result["effectiveDisabled"] = error(org.describe_effective_policy, PolicyType="BACKUP_POLICY", TargetId="333333333333")
    result["malformed"] = error(org.create_policy, Name="bad", Description="", Type="BACKUP_POLICY",
                                Content=json.dumps({"plans": {"p": {"regions": {"@@replace": ["us-east-2"]}, "rulez": {}}}}))
    result["notJson"] = error(org.create_policy, Name="bad", Description="", Type="BACKUP_POLICY", Content="{plans")
    result["tooLarge"] = error(org.create_policy, Name="big", Description="", Type="BACKUP_POLICY",
                               Content=json.dumps({"plans": {"p": {"regions": {"@@assign": ["us-east-2"] * 1200}}}}))
    result["unsupportedType"] = error(org.describe_effective_policy, PolicyType="SERVICE_CONTROL_POLICY", TargetId="333333333333")

    org.enable_policy_type(RootId=root, PolicyType="BACKUP_POLICY")
    result["rootTypes"] = sorted(policy_type["Type"] for policy_type in org.list_roots()["Roots"][0]["PolicyTypes"])
    result["enableAgain"] = error(org.enable_policy_type, RootId=root, PolicyType="BACKUP_POLICY")
    result["noneAttached"] = error(org.describe_effective_policy, PolicyType="BACKUP_POLICY", TargetId="333333333333")
    workloads_policy = org.create_policy(Name="workloads-backup", Description="workloads", Type="BACKUP_POLICY", Content=json.dumps(WORKLOADS_POLICY))["Policy"]["PolicySummary"]["Id"]
    member("backup", "333333333333").create_backup_vault(BackupVaultName="org-vault")
    org.attach_policy(PolicyId=root_policy, TargetId=root)
    org.attach_policy(PolicyId=workloads_policy, TargetId=units["Workloads"])
    result["listed"] = sorted(policy["Name"] for policy in org.list_policies(Filter="BACKUP_POLICY")["Policies"])
    result["scpsUntouched"] = [policy["Name"] for policy in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]]

    effective = org.describe_effective_policy(PolicyType="BACKUP_POLICY", TargetId="333333333333")["EffectivePolicy"]
    result["effective"] = json.loads(effective["PolicyContent"])
    result["effectiveSecurity"] = json.loads(org.describe_effective_policy(PolicyType="BACKUP_POLICY", TargetId="222222222222")["EffectivePolicy"]["PolicyContent"])
    result["effectiveOu"] = error(org.describe_effective_policy, PolicyType="BACKUP_POLICY", TargetId=units["Workloads"])
    own = member("organizations", "333333333333")
    result["memberOwn"] = own.describe_effective_policy(PolicyType="BACKUP_POLICY")["EffectivePolicy"]["TargetId"]
    result["memberOther"] = error(own.describe_effective_policy, PolicyType="BACKUP_POLICY", TargetId="444444444444")

    result["productionEast"] = org_plans("333333333333", "us-east-2")
    result["productionWest"] = org_plans("333333333333", "us-west-2")
    result["securityWest"] = org_plans("222222222222", "us-west-2")
    result["generatedWest"] = len(org_plans("900000000001", "us-west-2"))
    backup = member("backup", "333333333333")
    plan_id = result["productionEast"][0]
    plan = backup.get_backup_plan(BackupPlanId=plan_id)
    result["planArn"] = plan["BackupPlanArn"]
    result["planRules"] = [(rule["RuleName"], rule["TargetBackupVaultName"], rule["Lifecycle"]["DeleteAfterDays"], rule["CopyActions"][0]["DestinationBackupVaultArn"])
                           for rule in plan["BackupPlan"]["Rules"]]
    selection = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"][0]
    result["selectionRole"] = selection["IamRoleArn"]
    result["memberUpdate"] = error(backup.update_backup_plan, BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "mine", "Rules": []})
    result["memberDelete"] = error(backup.delete_backup_plan, BackupPlanId=plan_id)
    result["memberSelection"] = error(backup.delete_backup_selection, BackupPlanId=plan_id, SelectionId=selection["SelectionId"])

    advance("PT2H")
    jobs = member("backup", "333333333333").list_backup_jobs(ByBackupVaultName="org-vault")["BackupJobs"]
    result["jobsFromPlan"] = sorted({job["CreatedBy"]["BackupPlanId"] for job in jobs})
    result["jobResources"] = len({job["ResourceArn"] for job in jobs})

    # An account moved out of Workloads loses the OU's region; one moved in gains it.
    org.move_account(AccountId="900000000001", SourceParentId=units["Workloads"], DestinationParentId=units["Recovery"])
    org.move_account(AccountId="555555555555", SourceParentId=units["Recovery"], DestinationParentId=units["Workloads"])
    result["movedOutWest"] = len(org_plans("900000000001", "us-west-2"))
    result["movedOutEast"] = len(org_plans("900000000001", "us-east-2"))
    result["movedInWest"] = len(org_plans("555555555555", "us-west-2"))

    org.update_policy(PolicyId=root_policy, Content=json.dumps({"plans": {"Workload_Backup": {"regions": {"@@assign": ["us-east-2"]}}}}))
    result["incompleteEast"] = org_plans("333333333333", "us-east-2")
    result["detachLast"] = error(org.detach_policy, PolicyId=workloads_policy, TargetId=units["Workloads"])
    result["deleteAttached"] = error(org.delete_policy, PolicyId=root_policy)
    org.disable_policy_type(RootId=root, PolicyType="BACKUP_POLICY")
    result["afterDisable"] = org.list_targets_for_policy(PolicyId=root_policy)["Targets"]
    result["deleteDetached"] = error(org.delete_policy, PolicyId=root_policy)
    print(json.dumps(result))


main()
