"""Drives LocalCloud's CloudFormation with this machine's boto3 and prints what came back as one JSON object.

Usage: python3 cloudformation_client.py <scenario> [arguments]; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Errors are reported as "Code: Message".
"""
import json
import os
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

CFN = boto3.client("cloudformation", endpoint_url=os.environ["LOCALCLOUD_URL"], region_name=os.environ["AWS_DEFAULT_REGION"],
                   config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))


def error(function, **kwargs):
    try:
        function(**kwargs)
        return None
    except botocore.exceptions.ClientError as failure:
        return f'{failure.response["Error"]["Code"]}: {failure.response["Error"]["Message"]}'


def settle(stack_name):
    """Polls DescribeStacks until the stack's operation ends (provisioning is asynchronous)."""
    for _ in range(300):
        stack = CFN.describe_stacks(StackName=stack_name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        time.sleep(0.1)
    raise TimeoutError(stack_name)


def stack_reads(stack_name):
    """The read-only calls on a created stack."""
    return {
        "subnet": CFN.describe_stack_resource(StackName=stack_name, LogicalResourceId="PublicSubnetA")["StackResourceDetail"]["PhysicalResourceId"],
        "vpc": [r["ResourceType"] for r in CFN.describe_stack_resources(StackName=stack_name, LogicalResourceId="Vpc")["StackResources"]],
        "template": CFN.get_template(StackName=stack_name)["TemplateBody"],
        "types": CFN.get_template_summary(StackName=stack_name)["ResourceTypes"],
        "exports": sorted(e["Name"] for e in CFN.list_exports()["Exports"]),
    }


def stack_checks(stack_name, detection_id):
    """Drift status, a no-op update, termination protection."""
    detection = CFN.describe_stack_drift_detection_status(StackDriftDetectionId=detection_id)
    no_change = error(CFN.update_stack, StackName=stack_name, UsePreviousTemplate=True, Capabilities=["CAPABILITY_IAM"],
                      Parameters=[{"ParameterKey": "InstanceType", "UsePreviousValue": True},
                                  {"ParameterKey": "DesiredCapacity", "UsePreviousValue": True}])
    CFN.update_termination_protection(StackName=stack_name, EnableTerminationProtection=True)
    protected = error(CFN.delete_stack, StackName=stack_name)
    CFN.update_termination_protection(StackName=stack_name, EnableTerminationProtection=False)
    return {
        "detection": [detection["DetectionStatus"], detection["StackDriftStatus"], detection["DriftedStackResourceCount"]],
        "changeSets": len(CFN.list_change_sets(StackName=stack_name)["Summaries"]),
        "noChange": no_change,
        "protected": protected,
    }


def create_change_set(stack_name, template_path):
    """A CREATE change set for a new stack, executed."""
    created = CFN.create_change_set(StackName=stack_name, ChangeSetName="initial", ChangeSetType="CREATE",
                                    TemplateBody=open(template_path).read(),
                                    Parameters=[{"ParameterKey": "RetentionDays", "ParameterValue": "90"}])
    review = CFN.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
    changes = CFN.describe_change_set(ChangeSetName=created["Id"])["Changes"]
    CFN.execute_change_set(ChangeSetName="initial", StackName=stack_name)
    stack = settle(stack_name)
    resources = CFN.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {
        "review": review,
        "changes": sorted(c["ResourceChange"]["Action"] + ":" + c["ResourceChange"]["LogicalResourceId"] for c in changes),
        "status": stack["StackStatus"],
        "created": stack["CreationTime"].year,
        "resources": sorted(r["LogicalResourceId"] + ":" + r["ResourceStatus"] for r in resources),
        "retention": [p["ParameterValue"] for p in stack["Parameters"]],
        "missing": error(CFN.describe_stacks, StackName="nothing"),
    }


def revert_drift(stack_name):
    """A drift-aware change set (DeploymentMode REVERT_DRIFT) for a drifted stack, executed with a client request token."""
    CFN.create_change_set(StackName=stack_name, ChangeSetName="revert", UsePreviousTemplate=True, Capabilities=["CAPABILITY_IAM"],
                          DeploymentMode="REVERT_DRIFT",
                          Parameters=[{"ParameterKey": "InstanceType", "UsePreviousValue": True},
                                      {"ParameterKey": "DesiredCapacity", "UsePreviousValue": True}])
    changes = CFN.describe_change_set(StackName=stack_name, ChangeSetName="revert")["Changes"]
    CFN.execute_change_set(StackName=stack_name, ChangeSetName="revert", ClientRequestToken="revert-drift-1")
    stack = settle(stack_name)
    detection_id = CFN.detect_stack_drift(StackName=stack_name)["StackDriftDetectionId"]
    for _ in range(300):
        detection = CFN.describe_stack_drift_detection_status(StackDriftDetectionId=detection_id)
        if detection["DetectionStatus"] != "DETECTION_IN_PROGRESS":
            break
        time.sleep(0.1)
    events = CFN.describe_stack_events(StackName=stack_name)["StackEvents"]
    return {
        "changes": sorted(c["ResourceChange"]["Action"] + ":" + c["ResourceChange"]["LogicalResourceId"] for c in changes),
        "status": stack["StackStatus"],
        "drift": detection["StackDriftStatus"],
        "tokens": sorted({e.get("ClientRequestToken", "") for e in events if e["ResourceStatus"].startswith("UPDATE_")}),
        "latest": next(e.get("ClientRequestToken") for e in events if e["ResourceType"] == "AWS::CloudFormation::Stack" and e["ResourceStatus"] == "UPDATE_COMPLETE"),
        "invalid": error(CFN.create_change_set, StackName=stack_name, ChangeSetName="bad", UsePreviousTemplate=True, DeploymentMode="REVERT"),
    }


# What CloudFormation reads and YamlDotNet alone refuses (docs/localcloud-cloudformation-validation.md, "YAML"): a
# repeated key (the last value counts: Default is large) and a double-quoted scalar whose last line is indented no
# deeper than its sequence (its value is: one two "quoted" three). cfn-lint calls the repeated key an error (E0000).
YAML_AS_CLOUDFORMATION_READS_IT = """Parameters:
  Size:
    Type: String
    Default: small
    Default: large
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Text:
    Value: !Join
      - ' '
      - - "one
          two \\"quoted\\"
        three"
        - !Ref Size
  Block:
    Value: !Sub |
       
        {"size": "${Size}"}
"""


def yaml_as_cloudformation_reads_it(stack_name):
    """ValidateTemplate and CreateStack on the template above: both read it, with the same values."""
    validation = CFN.validate_template(TemplateBody=YAML_AS_CLOUDFORMATION_READS_IT)
    CFN.create_stack(StackName=stack_name, TemplateBody=YAML_AS_CLOUDFORMATION_READS_IT)
    stack = settle(stack_name)
    CFN.delete_stack(StackName=stack_name)
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
    return {
        "default": validation["Parameters"][0]["DefaultValue"],
        "status": stack["StackStatus"],
        "parameter": stack["Parameters"][0]["ParameterValue"],
        "output": outputs["Text"],
        "block": outputs["Block"],
        "broken": error(CFN.validate_template, TemplateBody="Resources:\n  Topic:\n    Type: \"AWS::SNS::Topic\n"),
    }


# Unquoted yes/no/on/off are YAML 1.1 booleans, which CloudFormation reads as true/false: AllowedValues [Yes, No]
# allows "true" and "false", the default No is "false", a condition comparing with Yes compares with "true", and an
# unquoted On is "true" (quoted, 'Off' stays the text).
YAML_11_BOOLEANS = """
Parameters:
  CreateTopic:
    Type: String
    AllowedValues: [Yes, No]
    Default: No
Conditions:
  Creating: !Equals [!Ref CreateTopic, Yes]
Resources:
  Handle:
    Type: AWS::CloudFormation::WaitConditionHandle
    Condition: Creating
Outputs:
  Switch:
    Value: !If [Creating, On, Off]
  Quoted:
    Value: 'Off'
"""


def yaml_11_booleans(stack_name):
    """GetTemplateSummary's allowed values and default, then stacks with CreateTopic "true" and "Yes"."""
    declared = CFN.get_template_summary(TemplateBody=YAML_11_BOOLEANS)["Parameters"][0]
    CFN.create_stack(StackName=stack_name, TemplateBody=YAML_11_BOOLEANS, Parameters=[{"ParameterKey": "CreateTopic", "ParameterValue": "true"}])
    stack = settle(stack_name)
    created = [resource["LogicalResourceId"] for resource in CFN.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]]
    CFN.delete_stack(StackName=stack_name)
    return {
        "allowed": declared["ParameterConstraints"]["AllowedValues"],
        "default": declared["DefaultValue"],
        "status": stack["StackStatus"],
        "created": created,
        "outputs": {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])},
        "refused": error(CFN.create_stack, StackName=stack_name + "-yes", TemplateBody=YAML_11_BOOLEANS,
                         Parameters=[{"ParameterKey": "CreateTopic", "ParameterValue": "Yes"}]),
    }


SCENARIOS = {"stack-reads": stack_reads, "stack-checks": stack_checks, "create-change-set": create_change_set, "revert-drift": revert_drift,
             "yaml-as-cloudformation-reads-it": yaml_as_cloudformation_reads_it, "yaml-11-booleans": yaml_11_booleans}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:])))
