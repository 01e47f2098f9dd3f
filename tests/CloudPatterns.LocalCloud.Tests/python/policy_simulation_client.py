"""IAM's policy simulator through boto3: SimulatePrincipalPolicy weighs a role's policies (allowed, implicitDeny,
explicitDeny with the statement that decided), context keys and a resource policy; SimulateCustomPolicy weighs only
the input policies; a missing role is NoSuchEntity.

Usage: python3 policy_simulation_client.py SUFFIX; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID (the management account's
admin), AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error

SUFFIX = sys.argv[1]
iam = client("iam")
account = client("sts").get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName=f"sim-{SUFFIX}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
iam.put_role_policy(RoleName=f"sim-{SUFFIX}", PolicyName="validation", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"},
    {"Sid": "NeverDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    {"Sid": "PassRestoreRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{account}:role/service-role/*",
     "Condition": {"StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}}},
]}))


def decisions(response):
    return [[result["EvalActionName"], result["EvalResourceName"], result["EvalDecision"],
             [[statement["SourcePolicyId"], statement["SourcePolicyType"]] for statement in result.get("MatchedStatements", [])],
             result["OrganizationsDecisionDetail"]["AllowedByOrganizations"]] for result in response["EvaluationResults"]]


def passed_to(service):
    return [{"ContextKeyName": "iam:PassedToService", "ContextKeyValues": [service], "ContextKeyType": "string"}]


restore_role = f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole"
key_policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": role}, "Action": "kms:Decrypt", "Resource": "*"}]})
print(json.dumps({
    "role": role,
    "objects": decisions(iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                                                       ResourceArns=["arn:aws:s3:::data/run.json"])),
    "passRole": decisions(iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["iam:PassRole"], ResourceArns=[restore_role],
                                                        ContextEntries=passed_to("backup.amazonaws.com")))
    + decisions(iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["iam:PassRole"], ResourceArns=[restore_role],
                                              ContextEntries=passed_to("lambda.amazonaws.com"))),
    "keyPolicy": decisions(iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["kms:Decrypt", "kms:GenerateDataKey"], ResourcePolicy=key_policy)),
    "custom": decisions(iam.simulate_custom_policy(ActionNames=["kms:Decrypt"], PolicyInputList=[
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}),
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]})])),
    "missing": error(iam.simulate_principal_policy, PolicySourceArn=f"arn:aws:iam::{account}:role/none-{SUFFIX}", ActionNames=["s3:GetObject"]),
}))
