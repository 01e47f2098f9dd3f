"""Drives LocalCloud with this machine's boto3/botocore and prints what came back as one JSON object.

Usage: python3 boto3_client.py <scenario>; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Errors are reported as {"error": code, "message": ..., "status": ...}.
"""
import datetime
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.exceptions

URL = os.environ["LOCALCLOUD_URL"]
REGION = os.environ["AWS_DEFAULT_REGION"]
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, **credentials):
    return boto3.client(service, endpoint_url=URL, region_name=REGION, config=CONFIG, **credentials)


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


def conformance():
    sts, org, backup, cfn = client("sts"), client("organizations"), client("backup"), client("cloudformation")
    root_id = org.list_roots()["Roots"][0]["Id"]
    workloads = next(u for u in org.list_organizational_units_for_parent(ParentId=root_id)["OrganizationalUnits"] if u["Name"] == "Workloads")
    assumed = sts.assume_role(RoleArn="arn:aws:iam::333333333333:role/CloudPatternsExecution", RoleSessionName="boto3", ExternalId="cloudpatterns-sandbox")
    temporary = assumed["Credentials"]
    as_role = client("sts", aws_access_key_id=temporary["AccessKeyId"], aws_secret_access_key=temporary["SecretAccessKey"], aws_session_token=temporary["SessionToken"])
    return {
        "GetCallerIdentity": call(sts.get_caller_identity),
        "AssumeRole": {"AssumedRoleUser": assumed["AssumedRoleUser"], "AccessKeyId": temporary["AccessKeyId"], "Expiration": temporary["Expiration"]},
        "AssumedCallerIdentity": call(as_role.get_caller_identity),
        "AssumeRoleWrongExternalId": call(sts.assume_role, RoleArn="arn:aws:iam::333333333333:role/CloudPatternsExecution", RoleSessionName="boto3", ExternalId="wrong-id"),
        "DescribeOrganization": call(org.describe_organization),
        "ListRoots": call(org.list_roots),
        "ListOrganizationalUnitsForParent": call(org.list_organizational_units_for_parent, ParentId=root_id),
        "ListAccounts": call(org.list_accounts),
        "ListAccountsForParent": call(org.list_accounts_for_parent, ParentId=workloads["Id"]),
        "DescribeAccount": call(org.describe_account, AccountId="333333333333"),
        "DescribeAccountUnknown": call(org.describe_account, AccountId="999999999999"),
        "ListParents": call(org.list_parents, ChildId="333333333333"),
        "ListChildren": call(org.list_children, ParentId=root_id, ChildType="ORGANIZATIONAL_UNIT"),
        "ListTagsForResource": call(org.list_tags_for_resource, ResourceId="333333333333"),
        "ListAccountsBadToken": call(org.list_accounts, NextToken="bm90LWEtdG9rZW4="),
        "DescribeGlobalSettings": call(backup.describe_global_settings),
        "UpdateGlobalSettings": call(backup.update_global_settings, GlobalSettings={"isCrossAccountBackupEnabled": "true"}),
        "DescribeGlobalSettingsAfterUpdate": call(backup.describe_global_settings),
        "CreateBackupVault": call(backup.create_backup_vault, BackupVaultName="boto3-vault"),
        "CreateBackupVaultAgain": call(backup.create_backup_vault, BackupVaultName="boto3-vault"),
        "ListBackupVaults": call(backup.list_backup_vaults),
        "DescribeBackupVault": call(backup.describe_backup_vault, BackupVaultName="boto3-vault"),
        "DescribeBackupVaultUnknown": call(backup.describe_backup_vault, BackupVaultName="no-such-vault"),
        "DescribeStacks": call(cfn.describe_stacks),
        "DescribeStacksUnknown": call(cfn.describe_stacks, StackName="no-such-stack"),
        "ListStacks": call(cfn.list_stacks),
    }


def all_accounts():
    """Every account through the ListAccounts paginator with MaxResults 2, and how many pages it took."""
    pages = list(client("organizations").get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2}))
    return {"Ids": [a["Id"] for page in pages for a in page["Accounts"]], "Pages": len(pages)}


def sign_and_send(signer, body=b"Action=GetCallerIdentity&Version=2011-06-15"):
    credentials = boto3.session.Session().get_credentials()
    request = botocore.awsrequest.AWSRequest(method="POST", url=URL + "/", data=body, headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    signer(credentials, "sts", REGION).add_auth(request)
    prepared = request.prepare()
    try:
        with urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST")) as response:
            return {"status": response.status, "body": response.read().decode()}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read().decode()}


def declaring(payload_hash):
    """A signer that sends x-amz-content-sha256 as S3 clients do, with the given value as the payload hash."""
    class Declaring(botocore.auth.S3SigV4Auth):
        def payload(self, request):
            return payload_hash
    return Declaring


def auth_variants():
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    # botocore presigns with the operation's HTTP method (POST for STS), so the URL is sent with POST and no body.
    presigned_url = client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300)
    with urllib.request.urlopen(urllib.request.Request(presigned_url, data=b"", method="POST")) as response:
        presigned = {"status": response.status, "body": response.read().decode()}
    real_now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *args, **kwargs: real_now(*args, **kwargs) - datetime.timedelta(minutes=20)
    skewed = call(client("sts").get_caller_identity)
    botocore.auth.get_current_datetime = real_now
    temporary = client("sts").assume_role(RoleArn="arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName="s3")["Credentials"]
    wrong_secret = client("s3", aws_access_key_id=temporary["AccessKeyId"], aws_secret_access_key="wrong", aws_session_token=temporary["SessionToken"])
    try:
        wrong_secret.list_buckets()
        refusal = {"error": None}
    except botocore.exceptions.ClientError as error:
        canonical = error.response["Error"].get("CanonicalRequest", "")
        token = temporary["SessionToken"]
        refusal = {
            "error": error.response["Error"]["Code"],
            "canonicalRequestLength": len(canonical),
            "canonicalRequestHasToken": token in canonical or urllib.parse.quote(token, safe="") in canonical,
        }
    return {
        "S3WrongSecretWithSessionToken": refusal,
        "Presigned": presigned,
        "UnsignedPayload": sign_and_send(declaring("UNSIGNED-PAYLOAD"), body),
        "StreamingPayload": sign_and_send(declaring("STREAMING-UNSIGNED-PAYLOAD-TRAILER"), body),
        "HexPayload": sign_and_send(declaring(hashlib.sha256(body).hexdigest()), body),
        "WrongHexPayload": sign_and_send(declaring(hashlib.sha256(b"something else").hexdigest()), body),
        "Skewed": skewed,
    }


def server_errors():
    """One call per service while the test's fault rules answer every call with a server error."""
    return {
        "GetCallerIdentity": call(client("sts").get_caller_identity),
        "ListBuckets": call(client("s3").list_buckets),
        "ListBackupVaults": call(client("backup").list_backup_vaults),
        "ListAccounts": call(client("organizations").list_accounts),
        "ListAliases": call(client("kms").list_aliases),
    }


SCENARIOS = {"conformance": conformance, "all-accounts": all_accounts, "auth-variants": auth_variants, "server-errors": server_errors}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](), default=str))
