"""CloudFormation creating AWS::Logs::LogGroup, AWS::Lambda::Function, AWS::Lambda::Permission and
AWS::Lambda::EventInvokeConfig for real, through boto3.

Usage: python3 lambda_stack_client.py ZIP HANDLER; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error, settle

TEMPLATE = """
Parameters:
  Trusted:
    Type: String
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /cfn/orchestrator
      RetentionInDays: 30
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: !Ref Trusted }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: failures
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: arn:aws:sqs:us-east-2:111111111111:cfn-failures
  Function:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: dotnet10
      Handler: HANDLER
      Role: !GetAtt Role.Arn
      Code: { S3Bucket: cfn-code-bucket, S3Key: fn.zip }
      Timeout: 15
      Environment: { Variables: { STAGE: cfn } }
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Function
      Action: lambda:InvokeFunction
      Principal: events.amazonaws.com
      SourceArn: arn:aws:events:us-east-2:111111111111:rule/nightly
  AsyncSettings:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Function
      Qualifier: $LATEST
      MaximumRetryAttempts: 1
      DestinationConfig:
        OnFailure:
          Destination: arn:aws:sqs:us-east-2:111111111111:cfn-failures
Outputs:
  FunctionArn: { Value: !GetAtt Function.Arn }
  LogGroupArn: { Value: !GetAtt Logs.Arn }
"""


def main(zip_path, handler):
    s3, cfn, fn, logs = client("s3"), client("cloudformation"), client("lambda"), client("logs")
    s3.create_bucket(Bucket="cfn-code-bucket", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    s3.put_object(Bucket="cfn-code-bucket", Key="fn.zip", Body=open(zip_path, "rb").read())
    body = TEMPLATE.replace("HANDLER", handler)
    cfn.create_stack(StackName="orchestrator", TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "Trusted", "ParameterValue": "lambda.amazonaws.com"}])
    stack = settle(cfn, "orchestrator")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    response = fn.invoke(FunctionName=outputs.get("FunctionArn", "none"), Payload=b'"cfn"')
    result = {
        "status": stack["StackStatus"],
        "outputs": outputs,
        "invoked": json.loads(response["Payload"].read()),
        "policy": json.loads(fn.get_policy(FunctionName=outputs["FunctionArn"])["Policy"])["Statement"],
        "retention": logs.describe_log_groups(logGroupNamePrefix="/cfn/orchestrator")["logGroups"][0].get("retentionInDays"),
        "asyncSettings": fn.get_function_event_invoke_config(FunctionName=outputs["FunctionArn"]),
    }
    cfn.delete_stack(StackName="orchestrator")
    result["deletedStatus"] = settle(cfn, stack["StackId"])["StackStatus"]
    result["functionAfterDelete"] = error(fn.get_function, FunctionName=outputs["FunctionArn"])
    result["logGroupsAfterDelete"] = len(logs.describe_log_groups(logGroupNamePrefix="/cfn/orchestrator")["logGroups"])

    cfn.create_stack(StackName="untrusted", TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "Trusted", "ParameterValue": "ec2.amazonaws.com"}])
    failed = settle(cfn, "untrusted")
    events = cfn.describe_stack_events(StackName="untrusted")["StackEvents"]
    result["untrusted"] = [failed["StackStatus"], [e.get("ResourceStatusReason") for e in events if e["LogicalResourceId"] == "Function" and e["ResourceStatus"] == "CREATE_FAILED"]]

    # A container-image function (PackageType Image) is a LocalCloud limit, refused by name.
    image = {"Resources": {"Function": {"Type": "AWS::Lambda::Function", "Properties": {
        "PackageType": "Image", "Role": "arn:aws:iam::111111111111:role/none",
        "Code": {"ImageUri": "111111111111.dkr.ecr.us-east-2.amazonaws.com/app:latest"}}}}}
    cfn.create_stack(StackName="image-function", TemplateBody=json.dumps(image))
    failed = settle(cfn, "image-function")
    events = cfn.describe_stack_events(StackName="image-function")["StackEvents"]
    result["image"] = [failed["StackStatus"], [e.get("ResourceStatusReason") for e in events if e["LogicalResourceId"] == "Function" and e["ResourceStatus"] == "CREATE_FAILED"]]
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:])
