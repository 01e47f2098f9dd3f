"""VPCs, subnets and route tables that CloudFormation created, read back with boto3's DescribeVpcs, DescribeSubnets
and DescribeRouteTables; prints one JSON object.

Usage: python3 vpcs_client.py <account id>; environment as for boto3_client.py.
"""
import json
import sys

from boto3_client import call, client
from localcloud import settle

NETWORK = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.20.0.0/16, Tags: [{Key: Name, Value: checked}]}
  Secondary: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.21.0.0/16}}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.20.1.0/24, MapPublicIpOnLaunch: true, AvailabilityZone: !Select [1, !GetAZs ''], Tags: [{Key: tier, Value: public}]}
  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.20.2.0/28}}
  Gateway: {Type: AWS::EC2::InternetGateway}
  Attachment: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}}
  PublicRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc, Tags: [{Key: Name, Value: public-routes}]}}
  Default: {Type: AWS::EC2::Route, DependsOn: Attachment, Properties: {RouteTableId: !Ref PublicRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}}
  PublicAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {RouteTableId: !Ref PublicRoutes, SubnetId: !Ref Public}}
Outputs:
  Vpc: {Value: !Ref Vpc}
  Public: {Value: !Ref Public}
  Private: {Value: !Ref Private}
  Gateway: {Value: !Ref Gateway}
  PublicRoutes: {Value: !Ref PublicRoutes}
  PublicAssociation: {Value: !Ref PublicAssociation}
"""


def network(account_id):
    ec2, cfn = client("ec2"), client("cloudformation")
    stack = settle(cfn, cfn.create_stack(StackName="described-network", TemplateBody=NETWORK)["StackId"])
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    vpc, public, private = outputs.get("Vpc"), outputs.get("Public"), outputs.get("Private")
    result = {
        "Stack": stack["StackStatus"],
        "Outputs": outputs,
        "Vpc": call(ec2.describe_vpcs, VpcIds=[vpc]),
        "VpcByTag": call(ec2.describe_vpcs, Filters=[{"Name": "tag:Name", "Values": ["checked"]}]),
        "VpcBySecondaryCidr": call(ec2.describe_vpcs, Filters=[{"Name": "cidr-block-association.cidr-block", "Values": ["10.21.0.0/16"]}]),
        "UnknownVpc": call(ec2.describe_vpcs, VpcIds=[vpc, "vpc-0000000000000000f"]),
        "Subnets": call(ec2.describe_subnets, SubnetIds=[public, private]),
        "SubnetsOfVpc": call(ec2.describe_subnets, Filters=[{"Name": "vpc-id", "Values": [vpc]}]),
        "PublicByTag": call(ec2.describe_subnets, Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "tag:tier", "Values": ["public"]}]),
        "UnknownSubnet": call(ec2.describe_subnets, SubnetIds=[public, "subnet-0000000000000000f"]),
        "PublicRouteTables": call(ec2.describe_route_tables, Filters=[{"Name": "association.subnet-id", "Values": [public]}]),
        "PrivateRouteTables": call(ec2.describe_route_tables, Filters=[{"Name": "association.subnet-id", "Values": [private]}]),
        "MainRouteTable": call(ec2.describe_route_tables, Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]),
        "ToGateway": call(ec2.describe_route_tables, Filters=[{"Name": "route.gateway-id", "Values": [outputs.get("Gateway")]}]),
        "UnknownRouteTable": call(ec2.describe_route_tables, RouteTableIds=["rtb-0000000000000000f"]),
        "BadFilter": call(ec2.describe_subnets, Filters=[{"Name": "no-such-filter", "Values": ["x"]}]),
    }
    cfn.delete_stack(StackName=stack["StackId"])
    settle(cfn, stack["StackId"])
    result["SubnetAfterDelete"] = call(ec2.describe_subnets, SubnetIds=[public])
    result["VpcsOfAccountAfterDelete"] = call(ec2.describe_vpcs, Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    return result


if __name__ == "__main__":
    print(json.dumps(network(*sys.argv[1:]), default=str))
