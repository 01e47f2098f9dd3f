"""The fleet through boto3: an Auto Scaling group behind an Application Load Balancer, made by CloudFormation, with
its instances, target health on the sandbox clock, capacity changes, requests through the load balancer and an
Availability Zone outage. Usage: fleet_client.py SCENARIO STACK; prints JSON."""
import datetime
import json
import sys
import urllib.error
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
    request = urllib.request.Request(f"{URL}/_localcloud/{path}", data=None if body is None else json.dumps(body).encode(), method=method)
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


def outage(stack, zones):
    """Zone us-east-2a goes down two minutes after the stack is healthy; a probe sends two requests every 5 simulated
    seconds for 10 minutes, and the healthy targets outside the zone are counted at each step."""
    cfn, stack_id, status, outputs = create(stack, zones)
    autoscaling, elbv2 = client("autoscaling"), client("elbv2")
    account = client("sts").get_caller_identity()["Account"]
    advance("PT2M")
    result = {"status": status, "before": health(elbv2, outputs["Targets"])}
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": "us-east-2a"})
    answered, failures, last_failure, recovered = 0, set(), None, None
    for step in range(1, 121):
        advance("PT5S")
        for response in probe(outputs["DnsName"], 2):
            if response["statusCode"] == 200:
                answered += 1
            else:
                failures.add((response["statusCode"], response["availabilityZone"]))
                last_failure = step * 5
        if step == 1:
            result["statusChecks"] = sorted({item["AvailabilityZone"] + " " + item["InstanceStatus"]["Status"] for item in client("ec2").describe_instance_status()["InstanceStatuses"]})
        healthy = [zone for zone, state, _ in health(elbv2, outputs["Targets"]) if state == "healthy" and zone != "us-east-2a"]
        if recovered is None and len(healthy) >= 2:
            recovered = step * 5
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": "us-east-2a", "failed": False})
    result["availability"] = answered / 240
    result["failures"] = sorted(failures)
    result["lastFailure"] = last_failure
    result["recovered"] = recovered
    result["after"] = health(elbv2, outputs["Targets"])
    activities = autoscaling.describe_scaling_activities(AutoScalingGroupName=outputs["Group"])["Activities"]
    result["causes"] = sorted({activity["Cause"].split(" an instance was ")[1] + " " + activity["StatusCode"] for activity in activities if " an instance was " in activity["Cause"]})
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    return result


def routing(stack):
    """Round robin over healthy targets, a redirect-free listener only, 503 without targets, fail-open when all are unhealthy."""
    cfn, stack_id, status, outputs = create(stack)
    autoscaling, elbv2 = client("autoscaling"), client("elbv2")
    advance("PT2M")
    result = {"roundRobin": [response["availabilityZone"] for response in probe(outputs["DnsName"], 4)]}
    result["targets"] = len({response["targetId"] for response in probe(outputs["DnsName"], 4)})
    result["health"] = admin("POST", "elbv2/requests", {"loadBalancer": outputs["Balancer"], "port": 80, "path": "/health"})["responses"][0]["body"]
    # Nine requests reached the target group's two healthy targets: RequestCountPerTarget sums to 4.5.
    now = datetime.datetime.strptime(admin("GET", "clock", None)["now"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    per_target = client("cloudwatch").get_metric_statistics(
        Namespace="AWS/ApplicationELB", MetricName="RequestCountPerTarget", Statistics=["Sum"], Period=60,
        Dimensions=[{"Name": "TargetGroup", "Value": outputs["Targets"][outputs["Targets"].index(":targetgroup/") + 1:]}],
        StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(hours=1))["Datapoints"]
    result["requestCountPerTarget"] = sum(point["Sum"] for point in per_target)
    result["noListener"] = admin("POST", "elbv2/requests", {"loadBalancer": outputs["Balancer"], "port": 8080})["responses"][0]["statusCode"]
    try:
        admin("POST", "elbv2/requests", {"loadBalancer": "nowhere.example.com", "port": 80})
    except urllib.error.HTTPError as refusal:
        result["unknown"] = refusal.code
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=outputs["Group"], MinSize=0, DesiredCapacity=0)
    result["empty"] = sorted({response["statusCode"] for response in probe(outputs["DnsName"], 3)})
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    return result


DATABASES = """
Resources:
  Primary:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceIdentifier: !Sub '${AWS::StackName}-multi', Engine: postgres, DBInstanceClass: db.t3.small, AllocatedStorage: '20', MultiAZ: true, MasterUsername: app, ManageMasterUserPassword: true}
  Single:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceIdentifier: !Sub '${AWS::StackName}-single', Engine: postgres, DBInstanceClass: db.t3.small, AllocatedStorage: '20', MasterUsername: app, ManageMasterUserPassword: true}
"""


def failover(stack):
    """RebootDBInstance with ForceFailover on a Multi-AZ instance, on the sandbox clock; then an outage of its new zone."""
    cfn, rds = client("cloudformation"), client("rds")
    stack_id = cfn.create_stack(StackName=stack, TemplateBody=DATABASES)["StackId"]
    result = {"status": settle(cfn, stack_id)["StackStatus"]}

    def describe(name):
        instance = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
        return [instance["DBInstanceStatus"], instance["AvailabilityZone"], instance.get("SecondaryAvailabilityZone"), instance["Endpoint"]["Address"]]

    multi, single = f"{stack}-multi", f"{stack}-single"
    result["before"] = describe(multi)
    result["single"] = describe(single)
    result["singleRefused"] = error(rds.reboot_db_instance, DBInstanceIdentifier=single, ForceFailover=True)
    result["rebooting"] = rds.reboot_db_instance(DBInstanceIdentifier=multi, ForceFailover=True)["DBInstance"]["DBInstanceStatus"]
    result["again"] = error(rds.reboot_db_instance, DBInstanceIdentifier=multi, ForceFailover=True)
    advance("PT30S")
    result["during"] = describe(multi)
    advance("PT91S")
    result["after"] = describe(multi)
    events = rds.describe_events(SourceIdentifier=multi, SourceType="db-instance", EventCategories=["failover"])["Events"]
    result["events"] = [event["Message"] for event in events]
    result["seconds"] = (events[-1]["Date"] - events[0]["Date"]).total_seconds()
    account = client("sts").get_caller_identity()["Account"]
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": result["after"][1]})
    advance("PT2M")
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": result["after"][1], "failed": False})
    result["afterOutage"] = describe(multi)
    result["outageEvents"] = len(rds.describe_events(SourceIdentifier=multi, SourceType="db-instance")["Events"])
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    return result


def rebalance(stack):
    """Four instances over two zones (maximum 4); us-east-2a goes down and its capacity moves to us-east-2b; the zone
    comes back while AZRebalance is suspended (nothing moves), then resumed: the group rebalances, sampled every 15
    simulated seconds."""
    cfn, stack_id, status, outputs = create(stack)
    autoscaling, ec2 = client("autoscaling"), client("ec2")
    account = client("sts").get_caller_identity()["Account"]
    group = outputs["Group"]
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group, MaxSize=4, DesiredCapacity=4)
    advance("PT2M")
    result = {"status": status, "before": zones_of(ec2, group)}
    outage_zone = {"accountId": account, "region": "us-east-2", "availabilityZone": "us-east-2a"}
    admin("PUT", "fleet/zone-outages", outage_zone)
    for _ in range(20):
        advance("PT30S")
        if zones_of(ec2, group) == ["us-east-2b"] * 4:
            break
    result["outage"] = zones_of(ec2, group)
    result["refused"] = [error(autoscaling.suspend_processes, AutoScalingGroupName=group, ScalingProcesses=["Launch"]),
                         error(autoscaling.suspend_processes, AutoScalingGroupName=group, ScalingProcesses=["AZRebalance", "Rebalance"])]
    autoscaling.suspend_processes(AutoScalingGroupName=group, ScalingProcesses=["AZRebalance"])
    described = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]
    result["suspended"] = [[process["ProcessName"], process["SuspensionReason"].startswith("User suspended at ")] for process in described["SuspendedProcesses"]]
    admin("PUT", "fleet/zone-outages", {**outage_zone, "failed": False})
    advance("PT5M")
    result["whileSuspended"] = zones_of(ec2, group, "pending") + zones_of(ec2, group)
    autoscaling.resume_processes(AutoScalingGroupName=group, ScalingProcesses=["AZRebalance"])
    result["resumed"] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["SuspendedProcesses"]
    most, fewest_running, seconds = 0, 4, None
    for step in range(1, 41):
        pending, running = zones_of(ec2, group, "pending"), zones_of(ec2, group)
        most, fewest_running = max(most, len(pending) + len(running)), min(fewest_running, len(running))
        if not pending and running == ["us-east-2a", "us-east-2a", "us-east-2b", "us-east-2b"]:
            seconds = (step - 1) * 15
            break
        advance("PT15S")
    result["after"] = zones_of(ec2, group)
    result["most"], result["fewestRunning"], result["seconds"] = most, fewest_running, seconds
    result["desired"] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["DesiredCapacity"]
    activities = autoscaling.describe_scaling_activities(AutoScalingGroupName=group)["Activities"]
    result["causes"] = [activity["Description"].split(":")[0] + ": " + activity["Cause"].split("Z ", 1)[1]
                        for activity in sorted(activities, key=lambda activity: activity["StartTime"]) if "balancing" in activity["Cause"]]
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    return result


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](*sys.argv[2:]), separators=(",", ":")))
