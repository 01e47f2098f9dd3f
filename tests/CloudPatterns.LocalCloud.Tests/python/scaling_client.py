"""Auto Scaling policies through boto3: a target tracking policy made by CloudFormation that scales a group out and in
on the CPU the sandbox's load gives it, and simple and step policies, their refusals, cooldown and instance
protection through the API. Usage: scaling_client.py SCENARIO STACK; prints JSON."""
import datetime
import json
import sys

from fleet_client import admin, advance
from localcloud import client, error, settle

TEMPLATE = """
Parameters:
  PolicyType: {Type: String, Default: TargetTrackingScaling}
Conditions:
  Tracking: !Equals [!Ref PolicyType, TargetTrackingScaling]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.small}}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: 2
      MaxSize: 6
      Cooldown: '300'
      DefaultInstanceWarmup: 300
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
  Policy:
    Type: AWS::AutoScaling::ScalingPolicy
    Properties:
      AutoScalingGroupName: !Ref Group
      PolicyType: !Ref PolicyType
      EstimatedInstanceWarmup: 300
      AdjustmentType: !If [Tracking, !Ref AWS::NoValue, ChangeInCapacity]
      TargetTrackingConfiguration:
        PredefinedMetricSpecification: {PredefinedMetricType: ASGAverageCPUUtilization}
        TargetValue: 50
Outputs:
  Group: {Value: !Ref Group}
  Policy: {Value: !Ref Policy}
  PolicyName: {Value: !GetAtt Policy.PolicyName}
"""


def create(stack, policy_type="TargetTrackingScaling"):
    cfn = client("cloudformation")
    stack_id = cfn.create_stack(StackName=stack, TemplateBody=TEMPLATE, Parameters=[{"ParameterKey": "PolicyType", "ParameterValue": policy_type}])["StackId"]
    status = settle(cfn, stack_id)
    return cfn, stack_id, status, {output["OutputKey"]: output["OutputValue"] for output in status.get("Outputs", [])}


def desired(autoscaling, group):
    return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["DesiredCapacity"]


def minute_of_clock():
    """The sandbox clock's now, in whole minutes (the periods alarms and Auto Scaling's minute steps use)."""
    now = datetime.datetime.strptime(admin("GET", "clock", None)["now"][:19], "%Y-%m-%dT%H:%M:%S")
    return int(now.replace(tzinfo=datetime.timezone.utc).timestamp()) // 60


def load_and_watch(autoscaling, group, demand, minutes):
    """Sets the group's CPU demand, then [minutes since the period the load changed in, desired capacity] after each of
    that many one-minute clock moves (the start is read before the change, so a minute turning meanwhile only makes
    the count one more)."""
    account = client("sts").get_caller_identity()["Account"]
    start = minute_of_clock()
    admin("PUT", "autoscaling/cpu-demand", {"accountId": account, "region": "us-east-2", "autoScalingGroupName": group, "cpuDemand": demand})
    samples = []
    for _ in range(minutes):
        advance("PT1M")
        samples.append([minute_of_clock() - start, desired(autoscaling, group)])
    return samples


def tracking(stack):
    """CPU demand of 240 % of one instance on two instances, then 40 %: desired capacity minute by minute."""
    cfn, stack_id, status, outputs = create(stack)
    autoscaling, cloudwatch = client("autoscaling"), client("cloudwatch")
    group = outputs["Group"]
    policy = autoscaling.describe_policies(AutoScalingGroupName=group)["ScalingPolicies"][0]
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix=f"TargetTracking-{group}-")["MetricAlarms"]
    result = {
        "status": status["StackStatus"],
        "ref": outputs["Policy"] == policy["PolicyARN"] and outputs["PolicyName"] == policy["PolicyName"],
        "policy": [policy["PolicyType"], policy["EstimatedInstanceWarmup"], policy["TargetTrackingConfiguration"]["TargetValue"],
                   sorted(alarm["AlarmName"].split("-")[-6] for alarm in policy["Alarms"])],
        "alarms": sorted([alarm["AlarmName"].split("-")[-6], alarm["MetricName"], alarm["Namespace"], alarm["Statistic"], alarm["Period"],
                          alarm["EvaluationPeriods"], alarm["ComparisonOperator"], alarm["Threshold"], alarm["AlarmActions"] == [policy["PolicyARN"]]]
                         for alarm in alarms),
    }
    advance("PT1M")
    result["out"] = load_and_watch(autoscaling, group, 240, 12)
    high = cloudwatch.describe_alarms(AlarmNames=[alarm["AlarmName"] for alarm in alarms if "-AlarmHigh-" in alarm["AlarmName"]])["MetricAlarms"][0]
    result["highState"] = high["StateValue"]
    result["in"] = load_and_watch(autoscaling, group, 40, 17)
    activities = autoscaling.describe_scaling_activities(AutoScalingGroupName=group)["Activities"]
    result["causes"] = sorted({activity["Cause"].split(" triggered policy ")[1].split(".")[0] for activity in activities if " triggered policy " in activity["Cause"]})
    result["alarmCauses"] = sorted({activity["Cause"].split(" a monitor alarm ")[1].split(" ")[0].split("-")[-6] + " " + activity["Cause"].split(" in state ")[1].split(" ")[0]
                                    for activity in activities if " a monitor alarm " in activity["Cause"]})
    cfn.delete_stack(StackName=stack_id)
    result["deleted"] = [settle(cfn, stack_id)["StackStatus"], len(cloudwatch.describe_alarms(AlarmNamePrefix=f"TargetTracking-{group}-")["MetricAlarms"])]
    return result


def api(stack):
    """Simple and step policies by API on a group, their refusals, cooldown, step sizes and instance protection."""
    cfn, stack_id, status, outputs = create(stack)
    autoscaling, cloudwatch = client("autoscaling"), client("cloudwatch")
    group = outputs["Group"]
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group, MaxSize=10)
    advance("PT1M")
    put = autoscaling.put_scaling_policy
    result = {"refusals": [
        error(put, AutoScalingGroupName=group, PolicyName="bad-type", PolicyType="Predictive", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1),
        error(put, AutoScalingGroupName=group, PolicyName="tracking-with-adjustment", PolicyType="TargetTrackingScaling", AdjustmentType="ChangeInCapacity",
              TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50}),
        error(put, AutoScalingGroupName=group, PolicyName="no-label", PolicyType="TargetTrackingScaling",
              TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"}, "TargetValue": 100}),
        error(put, AutoScalingGroupName=group, PolicyName="no-steps", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity"),
        error(put, AutoScalingGroupName=group, PolicyName="overlap", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity",
              StepAdjustments=[{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}]),
        error(put, AutoScalingGroupName="no-such-group", PolicyName="p", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1),
        error(autoscaling.execute_policy, AutoScalingGroupName=group, PolicyName=outputs["PolicyName"]),
        error(autoscaling.delete_policy, AutoScalingGroupName=group, PolicyName="never-made"),
    ]}
    simple = put(AutoScalingGroupName=group, PolicyName="add-one", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1, Cooldown=120)["PolicyARN"]
    autoscaling.execute_policy(PolicyName=simple, HonorCooldown=True)
    result["cooldown"] = [desired(autoscaling, group), error(autoscaling.execute_policy, AutoScalingGroupName=group, PolicyName="add-one", HonorCooldown=True)]
    autoscaling.execute_policy(AutoScalingGroupName=group, PolicyName="add-one")
    result["cooldown"].append(desired(autoscaling, group))
    advance("PT2M")
    autoscaling.execute_policy(AutoScalingGroupName=group, PolicyName="add-one", HonorCooldown=True)
    result["cooldown"].append(desired(autoscaling, group))
    # Step scaling on a queue depth alarm (custom metric): +1 from 0 to 50 over the threshold, +3 from 50; once the
    # instances launched so far are warm (the group's 300 s DefaultInstanceWarmup).
    advance("PT5M")
    step = put(AutoScalingGroupName=group, PolicyName="queue-steps", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity",
               StepAdjustments=[{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 50, "ScalingAdjustment": 1},
                                {"MetricIntervalLowerBound": 50, "ScalingAdjustment": 3}])["PolicyARN"]
    cloudwatch.put_metric_alarm(AlarmName=f"{stack}-queue", Namespace="Custom/Queue", MetricName="Depth", Statistic="Maximum", Period=60, EvaluationPeriods=1,
                                Threshold=100, ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[step])
    result["stepAlarms"] = [alarm["AlarmName"] for alarm in autoscaling.describe_policies(AutoScalingGroupName=group, PolicyNames=["queue-steps"])["ScalingPolicies"][0]["Alarms"]]
    cloudwatch.put_metric_data(Namespace="Custom/Queue", MetricData=[{"MetricName": "Depth", "Value": 120}])
    advance("PT1M")
    result["steps"] = [desired(autoscaling, group)]
    advance("PT1M")
    result["steps"].append(desired(autoscaling, group))
    cloudwatch.put_metric_data(Namespace="Custom/Queue", MetricData=[{"MetricName": "Depth", "Value": 400}])
    advance("PT1M")
    result["steps"].append(desired(autoscaling, group))
    cloudwatch.delete_alarms(AlarmNames=[f"{stack}-queue"])
    # Protection: protect every instance, then an exact capacity of 2 leaves them all.
    instances = [instance["InstanceId"] for instance in autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["Instances"]]
    autoscaling.set_instance_protection(AutoScalingGroupName=group, InstanceIds=instances, ProtectedFromScaleIn=True)
    result["protectionRefused"] = error(autoscaling.set_instance_protection, AutoScalingGroupName=group, InstanceIds=["i-0000000000000dead"], ProtectedFromScaleIn=True)
    put(AutoScalingGroupName=group, PolicyName="exactly-two", AdjustmentType="ExactCapacity", ScalingAdjustment=2)
    autoscaling.execute_policy(AutoScalingGroupName=group, PolicyName="exactly-two")
    described = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]
    result["protected"] = [described["DesiredCapacity"], len(described["Instances"]), all(instance["ProtectedFromScaleIn"] for instance in described["Instances"])]
    # DisableScaleIn: only the high alarm is made.
    no_scale_in = put(AutoScalingGroupName=group, PolicyName="no-scale-in", PolicyType="TargetTrackingScaling",
                      TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageNetworkOut"}, "TargetValue": 1e6, "DisableScaleIn": True})
    result["disableScaleIn"] = [alarm["AlarmName"].split("-")[-6] for alarm in no_scale_in["Alarms"]]
    autoscaling.delete_policy(AutoScalingGroupName=group, PolicyName="no-scale-in")
    result["types"] = sorted(policy["PolicyType"] for policy in autoscaling.describe_policies(AutoScalingGroupName=group)["ScalingPolicies"])
    autoscaling.delete_policy(AutoScalingGroupName=group, PolicyName=outputs["PolicyName"])
    result["afterDelete"] = [len(cloudwatch.describe_alarms(AlarmNamePrefix=f"TargetTracking-{group}-")["MetricAlarms"]),
                             len(autoscaling.describe_policies(AutoScalingGroupName=group, PolicyTypes=["TargetTrackingScaling"])["ScalingPolicies"])]
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    # A simple policy without its adjustment fails the stack with Auto Scaling's refusal.
    cfn, stack_id, status, _ = create(stack + "-bad", "SimpleScaling")
    events = cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
    result["badStack"] = [status["StackStatus"], next(event["ResourceStatusReason"] for event in events if event["LogicalResourceId"] == "Policy" and event["ResourceStatus"] == "CREATE_FAILED")]
    cfn.delete_stack(StackName=stack_id)
    settle(cfn, stack_id)
    return result


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](*sys.argv[2:]), separators=(",", ":")))
