"""The fleet through boto3: an Auto Scaling group behind an Application Load Balancer, made by CloudFormation, with
its instances, target health on the sandbox clock, capacity changes, requests through the load balancer and an
Availability Zone outage. Usage: fleet_client.py SCENARIO STACK; prints JSON."""
import json
import sys
import urllib.request

from localcloud import URL, client, error, settle

TEMPLATE = """
Parameters:
  Zones: {Type: Number, Default: 2, AllowedValues: [1, 2]}
  MinSize: {Type: Number, Default: 2}
  MaxSize: {Type: Number, Default: 6}
Conditions:
  TwoZones: !Equals [!Ref Zones, 2]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        InstanceType: t3.small
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            dnf install -y nginx && systemctl enable --now nginx
            /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Group --region ${AWS::Region}
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Protocol: HTTP, Port: 80, HealthCheckPath: /health, HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3}
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: !If [TwoZones, [!Ref SubnetA, !Ref SubnetB], [!Ref SubnetA]]}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Balancer, Port: 80, Protocol: HTTP, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    CreationPolicy: {ResourceSignal: {Count: !Ref MinSize, Timeout: PT10M}}
    Properties:
      MinSize: !Ref MinSize
      MaxSize: !Ref MaxSize
      HealthCheckType: ELB
      HealthCheckGracePeriod: 300
      VPCZoneIdentifier: !If [TwoZones, [!Ref SubnetA, !Ref SubnetB], [!Ref SubnetA]]
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
      TargetGroupARNs: [!Ref Targets]
      Tags: [{Key: Name, Value: web, PropagateAtLaunch: true}]
Outputs:
  Group: {Value: !Ref Group}
  Targets: {Value: !Ref Targets}
  Balancer: {Value: !Ref Balancer}
  DnsName: {Value: !GetAtt Balancer.DNSName}
"""


def admin(method, path, body):
    request = urllib.request.Request(f"{URL}/_localcloud/{path}", data=json.dumps(body).encode(), method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def advance(duration):
    admin("POST", "clock", {"advance": duration})


def probe(dns_name, count):
    return admin("POST", "elbv2/requests", {"loadBalancer": dns_name, "port": 80, "path": "/", "count": count})["responses"]


def create(stack, zones="2"):
    cfn = client("cloudformation")
    stack_id = cfn.create_stack(StackName=stack, TemplateBody=TEMPLATE, Parameters=[{"ParameterKey": "Zones", "ParameterValue": zones}])["StackId"]
    status = settle(cfn, stack_id)
    outputs = {output["OutputKey"]: output["OutputValue"] for output in status.get("Outputs", [])}
    return cfn, stack_id, status["StackStatus"], outputs


def health(elbv2, target_group):
    return sorted((item["Target"]["AvailabilityZone"], item["TargetHealth"]["State"], item["TargetHealth"].get("Reason", ""))
                  for item in elbv2.describe_target_health(TargetGroupArn=target_group)["TargetHealthDescriptions"])


def zones_of(ec2, group, state="running"):
    reservations = ec2.describe_instances(Filters=[{"Name": "tag:aws:autoscaling:groupName", "Values": [group]},
                                                   {"Name": "instance-state-name", "Values": [state]}])["Reservations"]
    return sorted(instance["Placement"]["AvailabilityZone"] for reservation in reservations for instance in reservation["Instances"])


def core(stack):
    """Created by CloudFormation: instances per zone, target health after threshold x interval, capacity changes."""
    cfn, stack_id, status, outputs = create(stack)
    autoscaling, ec2, elbv2 = client("autoscaling"), client("ec2"), client("elbv2")
    group_name, target_group = outputs["Group"], outputs["Targets"]
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]
    result = {"status": status, "group": [group["MinSize"], group["MaxSize"], group["DesiredCapacity"], group["HealthCheckType"],
                                          sorted(group["AvailabilityZones"]), [i["LifecycleState"] for i in group["Instances"]]]}
    result["pending"] = zones_of(ec2, group_name, "pending")
    result["initial"] = health(elbv2, target_group)
    advance("PT45S")
    status_checks = ec2.describe_instance_status()["InstanceStatuses"]
    result["statusChecks"] = sorted(item["InstanceStatus"]["Status"] for item in status_checks)
    result["registering"] = health(elbv2, target_group)
    advance("PT60S")
    result["healthy"] = health(elbv2, target_group)
    result["statusChecksLater"] = sorted(item["InstanceStatus"]["Status"] for item in ec2.describe_instance_status()["InstanceStatuses"])
    result["inService"] = [i["LifecycleState"] for i in autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]["Instances"]]
    result["routed"] = sorted({(response["statusCode"], response["availabilityZone"]) for response in probe(outputs["DnsName"], 4)})
    result["refused"] = error(autoscaling.set_desired_capacity, AutoScalingGroupName=group_name, DesiredCapacity=7)
    autoscaling.set_desired_capacity(AutoScalingGroupName=group_name, DesiredCapacity=4)
    result["scaledOut"] = zones_of(ec2, group_name, "pending") + zones_of(ec2, group_name)
    cfn.update_stack(StackName=stack_id, UsePreviousTemplate=True, Parameters=[{"ParameterKey": "Zones", "UsePreviousValue": True},
                     {"ParameterKey": "MinSize", "ParameterValue": "1"}, {"ParameterKey": "MaxSize", "ParameterValue": "3"}])
    result["updated"] = settle(cfn, stack_id)["StackStatus"]
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]
    result["afterUpdate"] = [group["MinSize"], group["MaxSize"], group["DesiredCapacity"], len(group["Instances"])]
    result["terminated"] = len(zones_of(ec2, group_name, "terminated"))
    cfn.delete_stack(StackName=stack_id)
    result["deleted"] = [settle(cfn, stack_id)["StackStatus"], zones_of(ec2, group_name, "running"),
                         error(elbv2.describe_target_groups, TargetGroupArns=[target_group])]
    return result


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](*sys.argv[2:]), separators=(",", ":")))
