"""AWS-managed policies through IAM and CloudFormation, with boto3.

Usage: python3 managed_policies_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json


from localcloud import client, settle

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def stack(cfn, name, policies):
    template = {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": TRUST, "ManagedPolicyArns": policies}}}}
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"])
    described = settle(cfn, name)
    failure = next((e.get("ResourceStatusReason") for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
                    if e["LogicalResourceId"] == "Role" and e["ResourceStatus"] == "CREATE_FAILED"), None)
    return [described["StackStatus"], failure]


def main():
    iam, cfn = client("iam"), client("cloudformation")
    real = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"]
    paginator = iam.get_paginator("list_policies")
    aws_policies = [p for page in paginator.paginate(Scope="AWS") for p in page["Policies"]]
    job_functions = [p["PolicyName"] for p in iam.list_policies(Scope="AWS", PathPrefix="/job-function/")["Policies"]]
    result = {
        "count": len(aws_policies),
        "jobFunctions": len(job_functions),
        "viewOnly": "ViewOnlyAccess" in job_functions,
        "lambdaBasic": iam.get_policy(PolicyArn=real[0])["Policy"]["Path"],
        "devOpsAgent": iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AIDevOpsAgentAccessPolicy")["Policy"]["PolicyId"],
        "adminDocument": iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess", VersionId="v1")["PolicyVersion"]["Document"],
        "real": stack(cfn, "managed-real", real),
        "madeUp": stack(cfn, "managed-made-up", ["arn:aws:iam::aws:policy/NoSuchManagedPolicyAtAll"]),
    }
    roles = cfn.describe_stack_resources(StackName="managed-real")["StackResources"]
    attached = iam.list_attached_role_policies(RoleName=roles[0]["PhysicalResourceId"])["AttachedPolicies"]
    result["attached"] = sorted(p["PolicyArn"] for p in attached) == sorted(real)
    return result


if __name__ == "__main__":
    print(json.dumps(main(), default=str))
