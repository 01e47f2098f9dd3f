"""CloudFormation authorizes a load balancer's creation on the ARN its type makes: loadbalancer/net/ for a Network Load
Balancer, loadbalancer/gwy/ for a Gateway Load Balancer, loadbalancer/app/ for an Application Load Balancer. A deployer
allowed elasticloadbalancing:* only on loadbalancer/net/* creates a network load balancer and is refused an application one.

Usage: python3 load_balancer_authorization_client.py SUFFIX; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID (the management
account's admin), AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, settle

SUFFIX = sys.argv[1]
iam = client("iam")
account = client("sts").get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName=f"nlb-deployer-{SUFFIX}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
iam.put_role_policy(RoleName=f"nlb-deployer-{SUFFIX}", PolicyName="inline", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["cloudformation:*", "ec2:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "elasticloadbalancing:*", "Resource": "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*"},
]}))
credentials = client("sts").assume_role(RoleArn=role, RoleSessionName="deploy")["Credentials"]
cfn = client("cloudformation", aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
             aws_session_token=credentials["SessionToken"])


def balancer(kind):
    return json.dumps({"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.60.0.0/16"}},
        "SubnetA": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.60.1.0/24", "AvailabilityZone": "us-east-2a"}},
        "SubnetB": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.60.2.0/24", "AvailabilityZone": "us-east-2b"}},
        "Balancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
            "Type": kind, "Scheme": "internal", "Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}]}},
    }})


outcomes = {}
for kind in ["network", "application"]:
    name = f"lb-{kind}-{SUFFIX}"
    cfn.create_stack(StackName=name, TemplateBody=balancer(kind))
    stack = settle(cfn, name)
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    failure = next((event["ResourceStatusReason"] for event in events if event["LogicalResourceId"] == "Balancer" and event["ResourceStatus"] == "CREATE_FAILED"), None)
    outcomes[kind] = [stack["StackStatus"], failure]

print(json.dumps(outcomes))
