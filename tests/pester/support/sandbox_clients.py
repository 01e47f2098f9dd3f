"""boto3 clients for a LocalCloud sandbox, shared by the support scripts: the management account's (credentials from the
environment, as Start-CloudSandbox sets them), or another account's through its OrganizationAccountAccessRole."""
import boto3


def sandbox_client(endpoint, service, region, account=None, session_name="pester"):
    if account is None:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)
    credentials = boto3.client("sts", region_name=region, endpoint_url=endpoint).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName=session_name)["Credentials"]
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])
