"""A stack of Route 53 resources (zone, health check, failover pair, CNAME) created through CloudFormation, read back
through the Route 53 API with boto3, refused as Route 53 refuses a bad record, and deleted with the stack.

Prints one JSON object; Route53StackTests asserts on it.
"""
import json
import sys

from localcloud import client, settle

TEMPLATE = """
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: shop.example.com
      HostedZoneConfig: {Comment: failover zone}
  PrimaryCheck:
    Type: AWS::Route53::HealthCheck
    Properties:
      HealthCheckConfig: {Type: HTTPS, IPAddress: 198.51.100.7, ResourcePath: /health, RequestInterval: 10, FailureThreshold: 2}
  Primary:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref Zone
      Name: www.shop.example.com
      Type: A
      SetIdentifier: primary
      Failover: PRIMARY
      TTL: '60'
      ResourceRecords: [198.51.100.7]
      HealthCheckId: !Ref PrimaryCheck
  Secondary:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneName: shop.example.com.
      Name: www.shop.example.com.
      Type: A
      SetIdentifier: dr
      Failover: SECONDARY
      AliasTarget: {HostedZoneId: Z1H1FL5HABSF5, DNSName: dr-shop.us-west-2.elb.amazonaws.com, EvaluateTargetHealth: true}
    DependsOn: Zone
Outputs:
  ZoneId: {Value: !Ref Zone}
  NameServers: {Value: !Join [',', !GetAtt Zone.NameServers]}
  CheckId: {Value: !GetAtt PrimaryCheck.HealthCheckId}
"""

BAD_RECORD = TEMPLATE.replace("ResourceRecords: [198.51.100.7]", "ResourceRecords: [not-an-ip]")


PRIVATE = """
Parameters:
  VpcId: {Type: String, Default: ""}
Conditions:
  OwnVpc: !Equals [!Ref VpcId, ""]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Condition: OwnVpc
    Properties: {CidrBlock: 10.1.0.0/16}
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: internal.example.com
      VPCs: [{VPCId: !If [OwnVpc, !Ref Vpc, !Ref VpcId], VPCRegion: !Ref "AWS::Region"}]
Outputs:
  ZoneId: {Value: !Ref Zone}
  VpcId: {Value: !If [OwnVpc, !Ref Vpc, !Ref VpcId]}
"""


def private():
    """A private zone (VPCs) from a template and from the API; a VPC that does not exist is refused by both."""
    cfn, route53 = client("cloudformation"), client("route53", region="us-east-1")
    cfn.create_stack(StackName="private", TemplateBody=PRIVATE)
    stack = settle(cfn, "private")
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    zone = route53.get_hosted_zone(Id=outputs["ZoneId"])
    region = cfn.meta.region_name
    made = route53.create_hosted_zone(Name="api.internal.example.com", CallerReference="private-1",
                                      VPC={"VPCRegion": region, "VPCId": outputs["VpcId"]})
    cfn.create_stack(StackName="private-missing", TemplateBody=PRIVATE, Parameters=[{"ParameterKey": "VpcId", "ParameterValue": "vpc-0123456789abcdef0"}])
    missing = settle(cfn, "private-missing")
    try:
        route53.create_hosted_zone(Name="nowhere.example.com", CallerReference="private-2", VPC={"VPCRegion": region, "VPCId": "vpc-0123456789abcdef0"})
        refused = "created"
    except route53.exceptions.ClientError as error:
        refused = f'{error.response["Error"]["Code"]}: {error.response["Error"]["Message"]}'
    listed = sorted([z["Name"], z["Config"]["PrivateZone"]] for z in route53.list_hosted_zones()["HostedZones"])
    # The other scenario of the class lists the account's zones: leave none.
    route53.delete_hosted_zone(Id=made["HostedZone"]["Id"])
    cfn.delete_stack(StackName="private")
    settle(cfn, stack["StackId"])
    return {
        "status": stack["StackStatus"],
        "zone": [zone["HostedZone"]["Config"]["PrivateZone"], zone["VPCs"] == [{"VPCRegion": region, "VPCId": outputs["VpcId"]}], "DelegationSet" in zone],
        "api": [made["HostedZone"]["Config"]["PrivateZone"], "DelegationSet" in made, made.get("VPC") == {"VPCRegion": region, "VPCId": outputs["VpcId"]}],
        "listed": listed,
        "missing": [missing["StackStatus"], next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName="private-missing")["StackEvents"]
                                                 if event["LogicalResourceId"] == "Zone" and event["ResourceStatus"] == "CREATE_FAILED")],
        "refused": refused,
    }


def main():
    if sys.argv[1] == "private":
        print(json.dumps(private()))
        return
    name = sys.argv[1]
    cfn, route53 = client("cloudformation"), client("route53", region="us-east-1")
    cfn.create_stack(StackName=name, TemplateBody=TEMPLATE)
    stack = settle(cfn, name)
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    zone_id = outputs.get("ZoneId", "")
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"] if zone_id else []
    failed_name = name + "-bad"
    cfn.create_stack(StackName=failed_name, TemplateBody=BAD_RECORD)
    failed = settle(cfn, failed_name)
    reasons = [event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=failed_name)["StackEvents"]
               if event["LogicalResourceId"] == "Primary" and event["ResourceStatus"] == "CREATE_FAILED"]
    zones_after_rollback = [zone["Name"] for zone in route53.list_hosted_zones()["HostedZones"]]
    cfn.delete_stack(StackName=name)
    deleted = settle(cfn, stack["StackId"])["StackStatus"]
    checks_after = [check["Id"] for check in route53.list_health_checks()["HealthChecks"]]
    print(json.dumps({
        "status": stack["StackStatus"],
        "outputs": outputs,
        "records": [[r["Name"], r["Type"], r.get("SetIdentifier"), r.get("Failover"), r.get("HealthCheckId"),
                     r.get("AliasTarget", {}).get("DNSName"), [v["Value"] for v in r.get("ResourceRecords", [])]] for r in records],
        "failedStatus": failed["StackStatus"],
        "failedReasons": reasons,
        "zonesAfterRollback": zones_after_rollback,
        "deleted": deleted,
        "zonesAfterDelete": [zone["Name"] for zone in route53.list_hosted_zones()["HostedZones"]],
        "checkLeft": outputs.get("CheckId") in checks_after,
    }))


if __name__ == "__main__":
    main()
