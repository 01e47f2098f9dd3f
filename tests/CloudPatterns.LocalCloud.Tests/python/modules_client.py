"""CloudFormation modules through boto3: a package as `cfn submit` builds it (schema.json and the fragment under
fragments/) put in S3, RegisterType with Type MODULE, DescribeTypeRegistration, DescribeType, a stack whose template
uses the module, DeregisterType; refusals.

Usage: python3 modules_client.py <fragment file>. LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import io
import json
import os
import sys
import time
import zipfile

from localcloud import client, error, settle

CFN = client("cloudformation")
S3 = client("s3")
TYPE_NAME = "Wire::Storage::Bucket::MODULE"
TEMPLATE = """
Resources:
  Alarms:
    Type: AWS::SNS::Topic
  Logs:
    Type: Wire::Storage::Bucket::MODULE
    Properties:
      Prefix: wire-logs
      NotifyArn: !Ref Alarms
  Reader:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${Logs.Bucket}-reader'
Outputs:
  BucketName:
    Value: !Ref Logs.Bucket
"""


def registration(token):
    for _ in range(100):
        status = CFN.describe_type_registration(RegistrationToken=token)
        if status["ProgressStatus"] != "IN_PROGRESS":
            return {key: status.get(key) for key in ("ProgressStatus", "Description", "TypeArn", "TypeVersionArn")}
        time.sleep(0.1)
    raise TimeoutError(token)


def main(fragment_file):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("schema.json", json.dumps({"typeName": TYPE_NAME}))
        package.write(fragment_file, "fragments/" + os.path.basename(fragment_file))
    bucket = "wire-module-packages"
    region = os.environ["AWS_DEFAULT_REGION"]
    S3.create_bucket(Bucket=bucket, **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    S3.put_object(Bucket=bucket, Key="bucket.zip", Body=buffer.getvalue())
    S3.put_object(Bucket=bucket, Key="not-a-zip.zip", Body=b"plain text")
    result = {
        "resourceType": error(CFN.register_type, Type="RESOURCE", TypeName="Wire::Storage::Thing", SchemaHandlerPackage=f"s3://{bucket}/bucket.zip"),
        "badName": error(CFN.register_type, Type="MODULE", TypeName="Wire::Bucket", SchemaHandlerPackage=f"s3://{bucket}/bucket.zip"),
        "registration": registration(CFN.register_type(Type="MODULE", TypeName=TYPE_NAME, SchemaHandlerPackage=f"s3://{bucket}/bucket.zip")["RegistrationToken"]),
        "badPackage": registration(CFN.register_type(Type="MODULE", TypeName="Wire::Storage::Other::MODULE", SchemaHandlerPackage=f"s3://{bucket}/not-a-zip.zip")["RegistrationToken"]),
    }
    result["type"] = {key: CFN.describe_type(Type="MODULE", TypeName=TYPE_NAME).get(key) for key in ("Type", "DefaultVersionId", "Schema", "Arn")}
    stack_id = CFN.create_stack(StackName="wire-modules", TemplateBody=TEMPLATE)["StackId"]
    stack = settle(CFN, stack_id)
    result["status"] = stack["StackStatus"]
    result["outputs"] = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    summaries = CFN.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
    result["resources"] = [resource["LogicalResourceId"] for resource in summaries]
    result["moduleInfo"] = {resource["LogicalResourceId"]: resource.get("ModuleInfo") for resource in summaries}
    result["detailModuleInfo"] = CFN.describe_stack_resource(StackName=stack_id, LogicalResourceId="LogsBucket")["StackResourceDetail"].get("ModuleInfo")
    CFN.delete_stack(StackName=stack_id)
    settle(CFN, stack_id)
    CFN.deregister_type(Type="MODULE", TypeName=TYPE_NAME)
    result["afterDeregister"] = error(CFN.describe_type, Type="MODULE", TypeName=TYPE_NAME)
    result["unregistered"] = error(CFN.create_stack, StackName="wire-modules-again", TemplateBody=TEMPLATE)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
