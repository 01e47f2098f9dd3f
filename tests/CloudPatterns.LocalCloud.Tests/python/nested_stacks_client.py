"""Nested stacks (AWS::CloudFormation::Stack) through boto3: created from templates in LocalCloud's S3, listed with
ParentId/RootId, outputs through Outputs.X, updates and deletes cascading, failures rolling the parent back.

Usage: python3 nested_stacks_client.py BUCKET; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import os
import sys

import botocore.exceptions

from localcloud import client, settle

LEAF = {
    "Parameters": {"Env": {"Type": "String"}},
    "Resources": {"Data": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "env", "Value": {"Ref": "Env"}}]}}},
    "Outputs": {"BucketName": {"Value": {"Ref": "Data"}}, "Env": {"Value": {"Ref": "Env"}}},
}
MIDDLE = {
    "Parameters": {"Env": {"Type": "String"}, "LeafUrl": {"Type": "String"}},
    "Resources": {"Leaf": {"Type": "AWS::CloudFormation::Stack",
                           "Properties": {"TemplateURL": {"Ref": "LeafUrl"}, "Parameters": {"Env": {"Ref": "Env"}}}}},
    "Outputs": {"LeafBucket": {"Value": {"Fn::GetAtt": ["Leaf", "Outputs.BucketName"]}}},
}
BROKEN = {"Resources": {"Bad": {"Type": "AWS::SNS::Topic", "Properties": {"NoSuchProperty": "x"}}}}


def parent(middle_url, leaf_url):
    return json.dumps({
        "Parameters": {"Env": {"Type": "String"}},
        "Resources": {"Middle": {"Type": "AWS::CloudFormation::Stack", "Properties": {
            "TemplateURL": middle_url, "Parameters": {"Env": {"Ref": "Env"}, "LeafUrl": leaf_url}}}},
        "Outputs": {"LeafBucket": {"Value": {"Fn::GetAtt": ["Middle", "Outputs.LeafBucket"]}}},
    })


def only_parent(url):
    return json.dumps({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}}}})


def summary(cfn, stack_id):
    return next(item for page in cfn.get_paginator("list_stacks").paginate() for item in page["StackSummaries"] if item["StackId"] == stack_id)


def reason_of(cfn, stack, logical_id):
    return next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=stack)["StackEvents"]
                if event["LogicalResourceId"] == logical_id and event["ResourceStatus"] == "CREATE_FAILED")


def bucket_exists(s3, name):
    try:
        s3.head_bucket(Bucket=name)
        return True
    except botocore.exceptions.ClientError:
        return False


def main(bucket):
    region = os.environ["AWS_DEFAULT_REGION"]
    cfn, s3 = client("cloudformation"), client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=bucket, Key="nested/middle.json", Body=json.dumps(MIDDLE).encode())
    s3.put_object(Bucket=bucket, Key="nested/leaf.json", Body=json.dumps(LEAF).encode())
    s3.put_object(Bucket=bucket, Key="nested/broken.json", Body=json.dumps(BROKEN).encode())
    # Virtual-hosted style for the middle template, path style with a region for the leaf.
    middle_url = f"https://{bucket}.s3.amazonaws.com/nested/middle.json"
    leaf_url = f"https://s3.{region}.amazonaws.com/{bucket}/nested/leaf.json"

    root_id = cfn.create_stack(StackName="nested", TemplateBody=parent(middle_url, leaf_url),
                               Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}])["StackId"]
    root = settle(cfn, root_id)
    middle_id = cfn.describe_stack_resource(StackName=root_id, LogicalResourceId="Middle")["StackResourceDetail"]["PhysicalResourceId"]
    leaf_id = cfn.describe_stack_resource(StackName=middle_id, LogicalResourceId="Leaf")["StackResourceDetail"]["PhysicalResourceId"]
    middle, leaf = (cfn.describe_stacks(StackName=stack)["Stacks"][0] for stack in (middle_id, leaf_id))
    leaf_bucket = root["Outputs"][0]["OutputValue"]
    result = {
        "created": [root["StackStatus"], middle["StackStatus"], leaf["StackStatus"]],
        "names": [middle["StackName"], leaf["StackName"]],
        "middle": [middle.get("ParentId") == root_id, middle.get("RootId") == root_id, "ParentId" in root, "RootId" in root],
        "leaf": [leaf.get("ParentId") == middle_id, leaf.get("RootId") == root_id],
        "listed": [summary(cfn, middle_id).get("ParentId") == root_id, summary(cfn, leaf_id).get("RootId") == root_id],
        "described": sorted(stack["StackId"] for stack in cfn.describe_stacks()["Stacks"]) == sorted([root_id, middle_id, leaf_id]),
        "leafEvents": [event["ResourceStatus"] for event in reversed(cfn.describe_stack_events(StackName=leaf_id)["StackEvents"])
                       if event["LogicalResourceId"] == "Data"],
        "leafParameters": leaf["Parameters"],
        "output": [leaf_bucket == leaf["Outputs"][0]["OutputValue"] if leaf["Outputs"][0]["OutputKey"] == "BucketName" else None,
                   bucket_exists(s3, leaf_bucket)],
    }

    # A new leaf template under the same URL and a new parameter value: both reach the leaf.
    changed = dict(LEAF, Outputs=dict(LEAF["Outputs"], Region={"Value": {"Ref": "AWS::Region"}}))
    s3.put_object(Bucket=bucket, Key="nested/leaf.json", Body=json.dumps(changed).encode())
    cfn.update_stack(StackName="nested", TemplateBody=parent(middle_url, leaf_url), Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}])
    updated = settle(cfn, root_id)
    leaf = cfn.describe_stacks(StackName=leaf_id)["Stacks"][0]
    result["updated"] = [updated["StackStatus"], cfn.describe_stacks(StackName=middle_id)["Stacks"][0]["StackStatus"], leaf["StackStatus"],
                         {output["OutputKey"]: output["OutputValue"] for output in leaf["Outputs"] if output["OutputKey"] != "BucketName"},
                         s3.get_bucket_tagging(Bucket=leaf_bucket)["TagSet"]]

    missing_id = cfn.create_stack(StackName="nested-missing", TemplateBody=only_parent(f"https://{bucket}.s3.amazonaws.com/nested/none.json"))["StackId"]
    failed_id = cfn.create_stack(StackName="nested-failed", TemplateBody=only_parent(f"https://{bucket}.s3.{region}.amazonaws.com/nested/broken.json"))["StackId"]
    result["missing"] = [settle(cfn, missing_id)["StackStatus"], reason_of(cfn, missing_id, "Child")]
    failed_reason = reason_of(cfn, failed_id, "Child")
    failed_child = failed_reason.split(" ")[2]
    result["failed"] = [settle(cfn, failed_id)["StackStatus"], failed_reason.replace(failed_child, "CHILD"),
                        summary(cfn, failed_child)["StackStatus"], summary(cfn, failed_child).get("ParentId") == failed_id,
                        reason_of(cfn, failed_child, "Bad")]

    cfn.delete_stack(StackName="nested")
    result["deleted"] = [settle(cfn, root_id)["StackStatus"], summary(cfn, middle_id)["StackStatus"], summary(cfn, leaf_id)["StackStatus"],
                         bucket_exists(s3, leaf_bucket)]
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
