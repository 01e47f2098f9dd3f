"""AWS Fault Injection Service through boto3: the repository's experiment template (templates/multi-az/
az-failure-experiment.yaml) deployed next to a two-zone fleet stack and a Multi-AZ database, then run on the sandbox
clock: the zone's subnets are cut off for the duration, the database fails over, the stop condition alarm stops it.
Usage: fis_client.py SCENARIO STACK [TEMPLATE_PATH]; prints JSON."""
import json
import sys

from fleet_client import DATABASES, admin, advance, create, probe
from localcloud import client, error, settle


def prepare(stack):
    """The fleet stack (subnets in us-east-2a/b, two healthy targets) and the database stack; the template's parameters."""
    cfn, fleet_id, status, outputs = create(stack)
    database_id = cfn.create_stack(StackName=stack + "-db", TemplateBody=DATABASES)["StackId"]
    settle(cfn, database_id)
    advance("PT2M")
    instance = client("rds").describe_db_instances(DBInstanceIdentifier=f"{stack}-db-multi")["DBInstances"][0]
    balancer = client("elbv2").describe_load_balancers(LoadBalancerArns=[outputs["Balancer"]])["LoadBalancers"][0]
    full_name = balancer["LoadBalancerArn"].split(":loadbalancer/")[1]
    return {"fleet": fleet_id, "database": database_id, "dnsName": outputs["DnsName"], "targets": outputs["Targets"],
            "parameters": {"StackName": stack, "AvailabilityZone": "us-east-2a", "DatabaseArn": instance["DBInstanceArn"],
                           "LoadBalancerFullName": full_name, "Duration": "PT5M", "MaxErrorsPerMinute": "100"},
            "databaseZone": instance["AvailabilityZone"], "status": status}


def deploy_template(cfn, name, path, parameters):
    with open(path, encoding="utf-8") as template:
        stack_id = cfn.create_stack(StackName=name, TemplateBody=template.read(), Capabilities=["CAPABILITY_IAM"],
                                    Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()])["StackId"]
    status = settle(cfn, stack_id)
    return stack_id, status["StackStatus"], {output["OutputKey"]: output["OutputValue"] for output in status.get("Outputs", [])}


def delete_stacks(cfn, *stacks):
    for name in stacks:
        cfn.delete_stack(StackName=name)
        settle(cfn, name)


def zones_down():
    return admin("GET", "fleet/zone-outages", None)["failedZones"]


def experiment(stack, path):
    """The experiment runs its course: zone cut for 5 minutes, the database fails over, the zone comes back by itself."""
    setup = prepare(stack)
    cfn, fis, rds = client("cloudformation"), client("fis"), client("rds")
    experiment_stack, status, outputs = deploy_template(cfn, stack + "-drill", path, setup["parameters"])
    template_id = outputs["ExperimentTemplateId"]
    result = {"stack": status, "databaseZone": setup["databaseZone"]}
    template = fis.get_experiment_template(id=template_id)["experimentTemplate"]
    result["template"] = [sorted(template["actions"]), template["targets"]["ZoneSubnets"]["filters"], template["stopConditions"][0]["source"]]
    result["listed"] = template_id in [item["id"] for item in fis.list_experiment_templates()["experimentTemplates"]]
    started = fis.start_experiment(experimentTemplateId=template_id, clientToken="drill-1")["experiment"]
    result["started"] = started["state"]["status"]
    result["idempotent"] = fis.start_experiment(experimentTemplateId=template_id, clientToken="drill-1")["experiment"]["id"] == started["id"]
    result["downDuring"] = zones_down()
    result["requestsDuring"] = sorted({(answer["statusCode"], answer["availabilityZone"]) for answer in probe(setup["dnsName"], 4)})
    result["databaseDuring"] = rds.describe_db_instances(DBInstanceIdentifier=f"{stack}-db-multi")["DBInstances"][0]["DBInstanceStatus"]
    advance("PT2M")
    running = fis.get_experiment(id=started["id"])["experiment"]
    result["running"] = [running["state"]["status"], {name: action["state"]["status"] for name, action in running["actions"].items()}]
    advance("PT3M1S")
    result["downAfter"] = zones_down()
    done = fis.get_experiment(id=started["id"])["experiment"]
    result["completed"] = [done["state"]["status"], {name: action["state"]["status"] for name, action in done["actions"].items()},
                           (done["endTime"] - done["startTime"]).total_seconds()]
    result["listedExperiments"] = [item["state"]["status"] for item in fis.list_experiments()["experiments"] if item["id"] == started["id"]]
    result["databaseAfter"] = rds.describe_db_instances(DBInstanceIdentifier=f"{stack}-db-multi")["DBInstances"][0]["AvailabilityZone"]
    result["events"] = [event["Message"] for event in rds.describe_events(SourceIdentifier=f"{stack}-db-multi", SourceType="db-instance")["Events"]]
    result["stopEnded"] = fis.stop_experiment(id=started["id"])["experiment"]["state"]["status"]
    delete_stacks(cfn, experiment_stack, setup["database"], setup["fleet"])
    result["templateGone"] = error(fis.get_experiment_template, id=template_id)
    return result


def stopped(stack, path):
    """The stop condition: the load balancer's 5xx alarm goes to ALARM (more than 100 errors in a minute), the experiment
    stops and the zone comes back at once."""
    setup = prepare(stack)
    cfn, fis, cloudwatch = client("cloudformation"), client("fis"), client("cloudwatch")
    experiment_stack, _, outputs = deploy_template(cfn, stack + "-drill", path, setup["parameters"])
    started = fis.start_experiment(experimentTemplateId=outputs["ExperimentTemplateId"], clientToken="drill-2")["experiment"]
    result = {"downDuring": zones_down()}
    active = admin("GET", "faults/active", None)
    result["active"] = [[experiment["templateId"] == outputs["ExperimentTemplateId"] for experiment in active["experiments"]],
                        sorted(active["zoneOutages"]["restores"].values())]
    advance("PT30S")
    result["refusedNamespace"] = error(cloudwatch.put_metric_data, Namespace="AWS/ApplicationELB", MetricData=[{"MetricName": "HTTPCode_ELB_5XX_Count", "Value": 1}])
    # The load balancer publishes its own metrics: 300 requests, half of them to the cut zone, answered 504 by the load balancer.
    result["errors"] = sum(1 for answer in probe(setup["dnsName"], 300) if answer["statusCode"] == 504)
    result["elb5xx"] = cloudwatch.get_metric_statistics(Namespace="AWS/ApplicationELB", MetricName="HTTPCode_ELB_5XX_Count", Period=60, Statistics=["Sum"],
        Dimensions=[{"Name": "LoadBalancer", "Value": setup["parameters"]["LoadBalancerFullName"]}], StartTime="2000-01-01T00:00:00Z", EndTime="2100-01-01T00:00:00Z")["Datapoints"][0]["Sum"]
    result["alarm"] = cloudwatch.describe_alarms(AlarmNames=[outputs["StopAlarmArn"].split(":alarm:")[1]])["MetricAlarms"][0]["StateValue"]
    state = fis.get_experiment(id=started["id"])["experiment"]
    result["experiment"] = [state["state"]["status"], state["state"]["reason"], {name: action["state"]["status"] for name, action in state["actions"].items()}]
    result["downAfter"] = zones_down()
    result["activeAfter"] = admin("GET", "faults/active", None)["experiments"]
    delete_stacks(cfn, experiment_stack, setup["database"], setup["fleet"])
    return result


ROLE = """
Resources:
  Weak:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: fis.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: describe-only
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['ec2:DescribeSubnets', 'tag:GetResources'], Resource: '*'}]}
  Untrusted:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
Outputs:
  Weak: {Value: !GetAtt Weak.Arn}
  Untrusted: {Value: !GetAtt Untrusted.Arn}
"""


def refusals(stack):
    """What FIS refuses when a template is created or started, and the experiments that fail on the role's permissions."""
    cfn, fis = client("cloudformation"), client("fis")
    roles_id = cfn.create_stack(StackName=stack, TemplateBody=ROLE, Capabilities=["CAPABILITY_IAM"])["StackId"]
    roles = {output["OutputKey"]: output["OutputValue"] for output in settle(cfn, roles_id)["Outputs"]}
    fleet_id = create(stack + "-fleet")[1]

    def template(role, **changes):
        body = {"clientToken": "t", "description": "cut", "roleArn": role, "stopConditions": [{"source": "none"}],
                "targets": {"Subnets": {"resourceType": "aws:ec2:subnet", "selectionMode": "ALL",
                                        "resourceTags": {"aws:cloudformation:stack-name": stack + "-fleet"},
                                        "filters": [{"path": "AvailabilityZone", "values": ["us-east-2a"]}]}},
                "actions": {"Cut": {"actionId": "aws:network:disrupt-connectivity", "parameters": {"duration": "PT2M"}, "targets": {"Subnets": "Subnets"}}}}
        body.update(changes)
        return body

    result = {"unknownAction": error(fis.create_experiment_template, **template(roles["Weak"], actions={"X": {"actionId": "aws:ec2:explode"}}))}
    result["noDuration"] = error(fis.create_experiment_template, **template(roles["Weak"], actions={"Cut": {"actionId": "aws:network:disrupt-connectivity", "targets": {"Subnets": "Subnets"}}}))
    result["wrongTarget"] = error(fis.create_experiment_template, **template(roles["Weak"], actions={"Cut": {"actionId": "aws:rds:reboot-db-instances", "targets": {"DBInstances": "Subnets"}}}))
    result["badAlarm"] = error(fis.create_experiment_template, **template(roles["Weak"], stopConditions=[{"source": "aws:cloudwatch:alarm", "value": "arn:aws:cloudwatch:us-east-2:000000000000:alarm:none"}]))
    result["unknownTemplate"] = error(fis.start_experiment, experimentTemplateId="EXTnothere", clientToken="x")
    result["unknownExperiment"] = error(fis.get_experiment, id="EXPnothere")
    weak = fis.create_experiment_template(**template(roles["Weak"]))["experimentTemplate"]["id"]
    failed = fis.start_experiment(experimentTemplateId=weak, clientToken="weak")["experiment"]
    result["weak"] = [failed["state"]["status"], failed["state"]["reason"], zones_down()]
    untrusted = fis.create_experiment_template(**template(roles["Untrusted"], clientToken="u"))["experimentTemplate"]["id"]
    failed = fis.start_experiment(experimentTemplateId=untrusted, clientToken="untrusted")["experiment"]
    result["untrusted"] = [failed["state"]["status"], failed["state"]["reason"]]
    empty = fis.create_experiment_template(**template(roles["Weak"], clientToken="e", targets={"Subnets": {
        "resourceType": "aws:ec2:subnet", "selectionMode": "ALL", "resourceTags": {"aws:cloudformation:stack-name": "no-such-stack"}}}))["experimentTemplate"]["id"]
    failed = fis.start_experiment(experimentTemplateId=empty, clientToken="empty")["experiment"]
    result["empty"] = [failed["state"]["status"], failed["state"]["reason"]]
    delete_stacks(cfn, fleet_id, roles_id)
    return result


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](*sys.argv[2:]), separators=(",", ":"), default=str))
