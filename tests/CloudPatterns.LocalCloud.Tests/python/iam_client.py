"""Drives LocalCloud's IAM with this machine's boto3/botocore (which URL-decodes policy documents and pages with
Marker/IsTruncated) and prints what came back as one JSON object.

Usage: python3 iam_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come
from the environment (the caller's account is where the roles are made).
"""
import json
import os
import sys

import boto3
import botocore.config
import botocore.exceptions

CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
IAM = boto3.client("iam", endpoint_url=os.environ["LOCALCLOUD_URL"], region_name=os.environ["AWS_DEFAULT_REGION"], config=CONFIG)
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
PERMISSIONS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def call(function, **kwargs):
    try:
        response = function(**kwargs)
        response.pop("ResponseMetadata", None)
        return response
    except botocore.exceptions.ClientError as error:
        return {
            "error": error.response["Error"]["Code"],
            "message": error.response["Error"].get("Message"),
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }


def main():
    results = {}
    for name in ("boto-a", "boto-b", "boto-c"):
        IAM.create_role(RoleName=name, Path="/boto/", AssumeRolePolicyDocument=json.dumps(TRUST), MaxSessionDuration=7200)
    pages = IAM.get_paginator("list_roles").paginate(PathPrefix="/boto/", PaginationConfig={"PageSize": 2})
    results["RolePages"] = [[role["RoleName"] for role in page["Roles"]] for page in pages]
    results["GetRole"] = call(IAM.get_role, RoleName="boto-a")
    IAM.put_role_policy(RoleName="boto-a", PolicyName="read", PolicyDocument=json.dumps(PERMISSIONS))
    results["GetRolePolicy"] = call(IAM.get_role_policy, RoleName="boto-a", PolicyName="read")
    results["ListRolePolicies"] = call(IAM.list_role_policies, RoleName="boto-a")
    policy_arn = IAM.create_policy(PolicyName="boto-managed", Path="/boto/", PolicyDocument=json.dumps(PERMISSIONS), Description="made by boto3")["Policy"]["Arn"]
    IAM.attach_role_policy(RoleName="boto-b", PolicyArn=policy_arn)
    IAM.attach_role_policy(RoleName="boto-b", PolicyArn="arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup")
    results["ListAttachedRolePolicies"] = call(IAM.list_attached_role_policies, RoleName="boto-b")
    results["GetPolicy"] = call(IAM.get_policy, PolicyArn=policy_arn)
    results["GetPolicyVersion"] = call(IAM.get_policy_version, PolicyArn=policy_arn, VersionId="v1")
    results["ListLocalPolicies"] = call(IAM.list_policies, Scope="Local", OnlyAttached=True)
    results["DeleteAttachedPolicy"] = call(IAM.delete_policy, PolicyArn=policy_arn)
    results["DeleteRoleWithAttachedPolicies"] = call(IAM.delete_role, RoleName="boto-b")
    results["DeleteRoleWithInlinePolicy"] = call(IAM.delete_role, RoleName="boto-a")
    IAM.tag_role(RoleName="boto-c", Tags=[{"Key": "team", "Value": "dr"}, {"Key": "tier", "Value": "1"}])
    IAM.untag_role(RoleName="boto-c", TagKeys=["tier"])
    results["ListRoleTags"] = call(IAM.list_role_tags, RoleName="boto-c")
    results["TrustPolicyWithResource"] = call(
        IAM.update_assume_role_policy, RoleName="boto-c",
        PolicyDocument=json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}]}))
    results["PermissionPolicyWithoutResource"] = call(
        IAM.put_role_policy, RoleName="boto-c", PolicyName="bad", PolicyDocument=json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}))
    results["SessionTooLong"] = call(IAM.create_role, RoleName="boto-long", AssumeRolePolicyDocument=json.dumps(TRUST), MaxSessionDuration=50000)
    results["DeleteRole"] = call(IAM.delete_role, RoleName="boto-c")
    results["GetDeletedRole"] = call(IAM.get_role, RoleName="boto-c")
    # The account password policy: none at first, set (omitted settings take their defaults), refused out of range, deleted.
    results["NoPasswordPolicy"] = call(IAM.get_account_password_policy)
    IAM.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, MaxPasswordAge=90, PasswordReusePrevention=24)
    results["PasswordPolicy"] = call(IAM.get_account_password_policy)
    unchecked = boto3.client("iam", endpoint_url=os.environ["LOCALCLOUD_URL"], region_name=os.environ["AWS_DEFAULT_REGION"],
                             config=CONFIG.merge(botocore.config.Config(parameter_validation=False)))
    results["PasswordPolicyOutOfRange"] = call(unchecked.update_account_password_policy, MinimumPasswordLength=5, MaxPasswordAge=2000)
    IAM.update_account_password_policy()
    results["DefaultPasswordPolicy"] = call(IAM.get_account_password_policy)
    results["DeletePasswordPolicy"] = call(IAM.delete_account_password_policy)
    results["DeleteMissingPasswordPolicy"] = call(IAM.delete_account_password_policy)
    return results


if __name__ == "__main__":
    print(json.dumps(main(), default=str))
    sys.exit(0)
