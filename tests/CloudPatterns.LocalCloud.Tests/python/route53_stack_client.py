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


def main():
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
