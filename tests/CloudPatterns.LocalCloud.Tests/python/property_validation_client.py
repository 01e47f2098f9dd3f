"""Per-type property checks through boto3: a value outside the schema's allowed values and a missing required nested
property fail the resource with CloudFormation's message, at create and at update; a read-only property (an attribute)
set in a template is accepted and its value ignored, while a name that is neither stays refused.

Usage: python3 property_validation_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json

from localcloud import client, settle


def bucket(versioning):
    return json.dumps({"Resources": {"Data": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": versioning}}}})


def failure(cfn, stack):
    return next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=stack)["StackEvents"]
                if event["LogicalResourceId"] == "Data" and event["ResourceStatus"].endswith("_FAILED"))


def main():
    cfn = client("cloudformation")
    result = {}
    for name, versioning in (("enum", {"Status": "On"}), ("required", {})):
        stack = cfn.create_stack(StackName=f"validation-{name}", TemplateBody=bucket(versioning))["StackId"]
        result[name] = [settle(cfn, stack)["StackStatus"], failure(cfn, stack)]
    stack = cfn.create_stack(StackName="validation-update", TemplateBody=bucket({"Status": "Enabled"}))["StackId"]
    created = settle(cfn, stack)["StackStatus"]
    cfn.update_stack(StackName=stack, TemplateBody=bucket({"Status": "enabled"}))
    result["update"] = [created, settle(cfn, stack)["StackStatus"], failure(cfn, stack)]
    cfn.delete_stack(StackName=stack)
    result["deleted"] = settle(cfn, stack)["StackStatus"]
    result["readOnly"] = read_only(cfn)
    return result


def read_only(cfn):
    """A queue given its read-only Arn and a Neptune cluster given its read-only Port deploy; the queue's Arn is the
    one SQS made, not the template's; an unknown name beside them is still refused."""
    def template(extra):
        return json.dumps({
            "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Arn": "arn:aws:sqs:us-east-1:111111111111:forged", **extra}},
                "Graph": {"Type": "AWS::Neptune::DBCluster", "Properties": {"Port": "8182"}},
            },
            "Outputs": {"QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}}},
        })
    stack = cfn.create_stack(StackName="validation-readonly", TemplateBody=template({}))["StackId"]
    described = settle(cfn, stack)
    arn = next(output["OutputValue"] for output in described.get("Outputs", []) if output["OutputKey"] == "QueueArn")
    unknown = cfn.create_stack(StackName="validation-unknown", TemplateBody=template({"Arns": "x"}))["StackId"]
    refused = [settle(cfn, unknown)["StackStatus"], next(
        event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=unknown)["StackEvents"]
        if event["LogicalResourceId"] == "Queue" and event["ResourceStatus"] == "CREATE_FAILED")]
    for name in (stack, unknown):
        cfn.delete_stack(StackName=name)
        settle(cfn, name)
    return {"status": described["StackStatus"], "arnIsSqs": arn.startswith("arn:aws:sqs:") and not arn.endswith(":forged"),
            "unknown": refused}


if __name__ == "__main__":
    print(json.dumps(main()))
