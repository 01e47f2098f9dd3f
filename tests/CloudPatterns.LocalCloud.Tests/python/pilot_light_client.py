"""The pilot-light DR template (templates/disaster-recovery/pilot-light-dr-account.yaml) through boto3: at rest its
Auto Scaling groups run nothing and no NAT gateway exists; a parameter change scales the tiers to production's size
and the load balancer's targets become healthy on the sandbox clock; back to 0 they go; a drill copy has no vault and
its deletion leaves nothing. Usage: pilot_light_client.py TEMPLATE ORGANIZATION_ID; prints JSON."""
import json
import sys

import fleet_client
from localcloud import client, error, settle

REGION = "us-west-2"
KEPT = ["OrganizationId", "VaultAccountId", "Purpose"]


def parameters(values, previous=()):
    return [{"ParameterKey": key, "UsePreviousValue": True} for key in previous] + \
        [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def state(cfn, autoscaling, elbv2, stack):
    status = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in status.get("Outputs", [])}
    groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[outputs["FrontendAutoScalingGroupName"], outputs["BackendAutoScalingGroupName"]])["AutoScalingGroups"]
    types = sorted({resource["ResourceType"] for resource in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]})
    return outputs, {
        "status": status["StackStatus"],
        "groups": sorted([group["MinSize"], group["DesiredCapacity"], len(group["Instances"])] for group in groups),
        "natGateways": "AWS::EC2::NatGateway" in types,
        "vault": "AWS::Backup::BackupVault" in types,
        "targets": [state for _, state, _ in fleet_client.health(elbv2, outputs["FrontendTargetGroupArn"])],
    }


def main():
    template, organization = open(sys.argv[1]).read(), sys.argv[2]
    cfn, autoscaling, elbv2 = client("cloudformation", REGION), client("autoscaling", REGION), client("elbv2", REGION)
    account = client("sts").get_caller_identity()["Account"]
    base = {"OrganizationId": organization, "VaultAccountId": account}
    standby = cfn.create_stack(StackName="pilot-light", TemplateBody=template, Capabilities=["CAPABILITY_NAMED_IAM"], Parameters=parameters(base))["StackId"]
    settle(cfn, standby)
    outputs, result = state(cfn, autoscaling, elbv2, standby)
    result = {"atRest": result}
    cfn.update_stack(StackName=standby, UsePreviousTemplate=True, Capabilities=["CAPABILITY_NAMED_IAM"], Parameters=parameters(
        {"FrontendMinSize": "2", "FrontendDesiredCapacity": "2", "BackendMinSize": "2", "BackendDesiredCapacity": "2"}, KEPT))
    settle(cfn, standby)
    result["scaled"] = state(cfn, autoscaling, elbv2, standby)[1]
    fleet_client.advance("PT2M")
    result["healthy"] = state(cfn, autoscaling, elbv2, standby)[1]["targets"]
    balancer = elbv2.describe_load_balancers(LoadBalancerArns=[outputs["LoadBalancerArn"]])["LoadBalancers"][0]
    result["dnsName"] = balancer["DNSName"] == outputs["LoadBalancerDnsName"]
    result["served"] = sorted({response["statusCode"] for response in fleet_client.probe(outputs["LoadBalancerDnsName"], 4)})
    cfn.update_stack(StackName=standby, UsePreviousTemplate=True, Capabilities=["CAPABILITY_NAMED_IAM"], Parameters=parameters(
        {"FrontendMinSize": "0", "FrontendDesiredCapacity": "0", "BackendMinSize": "0", "BackendDesiredCapacity": "0"}, KEPT))
    settle(cfn, standby)
    result["backAtRest"] = state(cfn, autoscaling, elbv2, standby)[1]

    drill = cfn.create_stack(StackName="pilot-light-drill", TemplateBody=template, Capabilities=["CAPABILITY_NAMED_IAM"],
                             Parameters=parameters({**base, "Purpose": "drill", "FrontendDesiredCapacity": "2", "FrontendMinSize": "2"}))["StackId"]
    settle(cfn, drill)
    drill_outputs, result["drill"] = state(cfn, autoscaling, elbv2, drill)
    cfn.delete_stack(StackName=drill)
    result["drillDeleted"] = [settle(cfn, drill)["StackStatus"],
                              autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[drill_outputs["FrontendAutoScalingGroupName"]])["AutoScalingGroups"],
                              error(elbv2.describe_load_balancers, LoadBalancerArns=[drill_outputs["LoadBalancerArn"]]) is not None]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
