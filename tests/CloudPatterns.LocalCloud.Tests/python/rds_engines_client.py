"""A stack with RDS instances of several engines (Aurora among them), then DescribeDBInstances through boto3.

Usage: python3 rds_engines_client.py <stack>; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object; the stack is left in place.
"""
import json
import sys

from localcloud import client, settle

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
    cfn, rds = client("cloudformation"), client("rds")
    cfn.create_stack(StackName=stack, TemplateBody=TEMPLATE)
    status = settle(cfn, stack)["StackStatus"]
    instances = rds.describe_db_instances()["DBInstances"]
    return {"status": status, "instances": sorted([i["Engine"], i["AllocatedStorage"], i.get("DBClusterIdentifier") is not None] for i in instances)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
