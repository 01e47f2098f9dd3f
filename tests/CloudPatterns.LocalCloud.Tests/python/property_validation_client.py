"""Per-type property checks through boto3: a value outside the schema's allowed values and a missing required nested
property fail the resource with CloudFormation's message, at create and at update.

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
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
