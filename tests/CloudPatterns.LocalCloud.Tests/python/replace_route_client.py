"""EC2 ReplaceRoute through boto3 over a network a stack created: a template route pointed at a network interface (the
stack's AWS::EC2::Route drifts), a VPC's local route pointed at an endpoint and reset with LocalTarget, and the
refusals (docs/localcloud-fleet.md, "ReplaceRoute"). Prints one JSON object.

Usage: python3 replace_route_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION
come from the environment.
"""
import json
import time

from localcloud import client, error, settle

NETWORK = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.30.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.30.1.0/24}}
  Gateway: {Type: AWS::EC2::InternetGateway}
  Attachment: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}}
  Appliance: {Type: AWS::EC2::NetworkInterface, Properties: {SubnetId: !Ref Subnet}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Default: {Type: AWS::EC2::Route, DependsOn: Attachment, Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}}
Outputs:
  Routes: {Value: !Ref Routes}
  Appliance: {Value: !Ref Appliance}
"""
ENDPOINT = "vpce-0a1b2c3d4e5f60718"


def routes(ec2, table):
    found = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    return {route["DestinationCidrBlock"]: {key: value for key, value in route.items() if key not in ("DestinationCidrBlock", "State")} for route in found}


def stack_drift(cfn, stack, logical_id):
    """The drift of one resource, after DetectStackDrift of the whole stack."""
    detection = cfn.detect_stack_drift(StackName=stack)["StackDriftDetectionId"]
    for _ in range(300):
        if cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)["DetectionStatus"] != "DETECTION_IN_PROGRESS":
            break
        time.sleep(0.1)
    drifts = cfn.describe_stack_resource_drifts(StackName=stack)["StackResourceDrifts"]
    return next(drift for drift in drifts if drift["LogicalResourceId"] == logical_id)


def main():
    ec2, cfn = client("ec2"), client("cloudformation")
    stack = settle(cfn, cfn.create_stack(StackName="replaced-routes", TemplateBody=NETWORK)["StackId"])
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
    table, appliance = outputs["Routes"], outputs["Appliance"]

    ec2.replace_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=appliance)
    ec2.replace_route(RouteTableId=table, DestinationCidrBlock="10.30.0.0/16", VpcEndpointId=ENDPOINT)
    replaced = routes(ec2, table)
    drift = stack_drift(cfn, "replaced-routes", "Default")
    ec2.replace_route(RouteTableId=table, DestinationCidrBlock="10.30.0.0/16", LocalTarget=True)
    reset = routes(ec2, table)

    refusals = {
        "no_route": error(ec2.replace_route, RouteTableId=table, DestinationCidrBlock="10.99.0.0/16", NetworkInterfaceId=appliance),
        "unknown_table": error(ec2.replace_route, RouteTableId="rtb-0000000000000000f", DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=appliance),
        "two_targets": error(ec2.replace_route, RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=appliance, VpcEndpointId=ENDPOINT),
        "no_target": error(ec2.replace_route, RouteTableId=table, DestinationCidrBlock="0.0.0.0/0"),
        "local_target_elsewhere": error(ec2.replace_route, RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", LocalTarget=True),
    }
    after_refusals = routes(ec2, table)
    cfn.delete_stack(StackName=stack["StackId"])
    settle(cfn, stack["StackId"])

    print(json.dumps({
        "stack": stack["StackStatus"],
        "appliance": appliance,
        "replaced": replaced,
        "drift": {"status": drift["StackResourceDriftStatus"], "differences": [d["PropertyPath"] for d in drift.get("PropertyDifferences", [])]},
        "reset": reset,
        "refusals": refusals,
        "afterRefusals": after_refusals,
    }))


if __name__ == "__main__":
    main()
