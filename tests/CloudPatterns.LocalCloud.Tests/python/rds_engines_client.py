"""A stack with RDS instances of several engines (Aurora among them), then DescribeDBInstances through boto3.

Usage: python3 rds_engines_client.py <stack>; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object; the stack is left in place.
"""
import json
import os
import sys
import time

import boto3
import botocore.config

URL = os.environ["LOCALCLOUD_URL"]
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
TEMPLATE = """
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      MasterUsername: admin
      ManageMasterUserPassword: true
  AuroraWriter:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-postgresql
      DBClusterIdentifier: !Ref Cluster
      DBInstanceClass: db.r6g.large
  Classic:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "30"
      MasterUsername: admin
      ManageMasterUserPassword: true
"""


def main(stack):
    cfn = boto3.client("cloudformation", endpoint_url=URL, region_name=os.environ["AWS_DEFAULT_REGION"], config=CONFIG)
    rds = boto3.client("rds", endpoint_url=URL, region_name=os.environ["AWS_DEFAULT_REGION"], config=CONFIG)
    cfn.create_stack(StackName=stack, TemplateBody=TEMPLATE)
    for _ in range(300):
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            break
        time.sleep(0.1)
    instances = rds.describe_db_instances()["DBInstances"]
    return {"status": status, "instances": sorted([i["Engine"], i["AllocatedStorage"], i.get("DBClusterIdentifier") is not None] for i in instances)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
