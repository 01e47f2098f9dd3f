"""Lambda versions, aliases and function URLs through boto3: the API (PublishVersion, aliases, qualified permissions,
Invoke and DeleteFunction) and CloudFormation's AWS::Lambda::Version, ::Alias, ::Url and a permission on an alias,
also as SAM's AutoPublishAlias and FunctionUrlConfig generate them.

Usage: python3 lambda_versions_client.py ZIP HANDLER; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error, settle

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

TEMPLATE = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
  Function:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: dotnet10
      Handler: HANDLER
      Role: !GetAtt Role.Arn
      Code: { S3Bucket: versions-code, S3Key: fn.zip }
  Version:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Function
      Description: first
  Alias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Function
      FunctionVersion: !GetAtt Version.Version
      Name: live
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Alias
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !Ref Alias
      AuthType: NONE
Outputs:
  VersionArn: { Value: !Ref Version }
  VersionNumber: { Value: !GetAtt Version.Version }
  AliasArn: { Value: !GetAtt Alias.AliasArn }
  Url: { Value: !GetAtt Url.FunctionUrl }
  UrlHost: { Value: !Select [2, !Split ["/", !GetAtt Url.FunctionUrl]] }
"""

SAM = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context):\\n    return event\\n"
      AutoPublishAlias: live
      FunctionUrlConfig: { AuthType: NONE }
Outputs:
  Alias: { Value: !Ref Fn.Alias }
  Version: { Value: !Ref Fn.Version }
  Url: { Value: !GetAtt FnUrl.FunctionUrl }
"""


def main(zip_path, handler):
    s3, cfn, fn, iam = client("s3"), client("cloudformation"), client("lambda"), client("iam")
    zip_bytes = open(zip_path, "rb").read()
    role = iam.create_role(RoleName="versions-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    fn.create_function(FunctionName="fn-versions", Runtime="dotnet10", Role=role, Handler=handler, Code={"ZipFile": zip_bytes},
                       Environment={"Variables": {"STAGE": "one"}})
    result = {}
    first = fn.publish_version(FunctionName="fn-versions", Description="first")
    result["published"] = [first["Version"], first["FunctionArn"], first["Description"]]
    result["unchanged"] = fn.publish_version(FunctionName="fn-versions")["Version"]
    result["wrongSha"] = error(fn.publish_version, FunctionName="fn-versions", CodeSha256="AAAA")
    fn.update_function_configuration(FunctionName="fn-versions", Environment={"Variables": {"STAGE": "two"}})
    result["second"] = fn.publish_version(FunctionName="fn-versions")["Version"]
    result["versions"] = [v["Version"] for v in fn.list_versions_by_function(FunctionName="fn-versions")["Versions"]]
    result["versionOneStage"] = fn.get_function_configuration(FunctionName="fn-versions", Qualifier="1")["Environment"]["Variables"]["STAGE"]
    alias = fn.create_alias(FunctionName="fn-versions", Name="live", FunctionVersion="1", Description="production")
    result["alias"] = [alias["AliasArn"], alias["FunctionVersion"]]
    result["duplicateAlias"] = error(fn.create_alias, FunctionName="fn-versions", Name="live", FunctionVersion="1")
    result["aliasOfMissingVersion"] = error(fn.create_alias, FunctionName="fn-versions", Name="next", FunctionVersion="7")
    result["numericAlias"] = error(fn.create_alias, FunctionName="fn-versions", Name="12", FunctionVersion="1")
    result["aliasAsyncSettings"] = error(fn.put_function_event_invoke_config, FunctionName="fn-versions", Qualifier="live", MaximumRetryAttempts=1)
    result["updated"] = fn.update_alias(FunctionName="fn-versions", Name="live", FunctionVersion="2")["FunctionVersion"]
    result["aliases"] = [(a["Name"], a["FunctionVersion"]) for a in fn.list_aliases(FunctionName="fn-versions")["Aliases"]]
    result["aliasStage"] = fn.get_function_configuration(FunctionName="fn-versions:live")["Environment"]["Variables"]["STAGE"]
    fn.add_permission(FunctionName="fn-versions", Qualifier="live", StatementId="api", Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
    result["aliasPolicy"] = json.loads(fn.get_policy(FunctionName="fn-versions", Qualifier="live")["Policy"])["Statement"][0]["Resource"]
    result["functionPolicy"] = error(fn.get_policy, FunctionName="fn-versions")
    invoked = fn.invoke(FunctionName="fn-versions", Qualifier="live", Payload=b'"hello"')
    result["executedVersion"] = invoked["ExecutedVersion"]
    result["missingVersion"] = error(fn.get_function, FunctionName="fn-versions", Qualifier="9")
    url = fn.create_function_url_config(FunctionName="fn-versions", Qualifier="live", AuthType="AWS_IAM", Cors={"AllowOrigins": ["*"]})
    result["url"] = [url["FunctionUrl"], url["FunctionArn"], url["InvokeMode"]]
    result["urlTwice"] = error(fn.create_function_url_config, FunctionName="fn-versions", Qualifier="live", AuthType="NONE")
    result["urlOnVersion"] = error(fn.create_function_url_config, FunctionName="fn-versions", Qualifier="1", AuthType="NONE")
    result["urlBadAuth"] = error(fn.create_function_url_config, FunctionName="fn-versions", AuthType="OPEN")
    updated = fn.update_function_url_config(FunctionName="fn-versions", Qualifier="live", AuthType="NONE")
    result["urlUpdated"] = [updated["FunctionUrl"], updated["AuthType"], updated.get("Cors", {}).get("AllowOrigins")]
    result["urls"] = [u["FunctionArn"] for u in fn.list_function_url_configs(FunctionName="fn-versions")["FunctionUrlConfigs"]]
    fn.delete_function_url_config(FunctionName="fn-versions", Qualifier="live")
    result["urlAfterDelete"] = error(fn.get_function_url_config, FunctionName="fn-versions", Qualifier="live")
    result["deleteAliased"] = error(fn.delete_function, FunctionName="fn-versions", Qualifier="2")
    fn.delete_alias(FunctionName="fn-versions", Name="live")
    result["aliasAfterDelete"] = error(fn.get_alias, FunctionName="fn-versions", Name="live")
    fn.delete_function(FunctionName="fn-versions", Qualifier="2")
    result["versionsAfterDelete"] = [v["Version"] for v in fn.list_versions_by_function(FunctionName="fn-versions")["Versions"]]
    result["third"] = fn.publish_version(FunctionName="fn-versions")["Version"]

    s3.create_bucket(Bucket="versions-code", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    s3.put_object(Bucket="versions-code", Key="fn.zip", Body=zip_bytes)
    cfn.create_stack(StackName="versions", TemplateBody=TEMPLATE.replace("HANDLER", handler), Capabilities=["CAPABILITY_IAM"])
    stack = settle(cfn, "versions")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    result["stack"] = {"status": stack["StackStatus"], "reason": stack.get("StackStatusReason"), "outputs": outputs}
    if stack["StackStatus"] == "CREATE_COMPLETE":
        alias_arn = outputs["AliasArn"]
        result["stack"]["aliasVersion"] = fn.get_alias(FunctionName=alias_arn.rsplit(":", 1)[0], Name="live")["FunctionVersion"]
        result["stack"]["aliasPolicy"] = json.loads(fn.get_policy(FunctionName=alias_arn)["Policy"])["Statement"][0]["Resource"]
        cfn.delete_stack(StackName="versions")
        result["stack"]["deleted"] = settle(cfn, stack["StackId"])["StackStatus"]
        result["stack"]["functionAfterDelete"] = error(fn.get_function, FunctionName=alias_arn.rsplit(":", 1)[0])

    cfn.create_stack(StackName="sam-versions", TemplateBody=SAM, Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    sam = settle(cfn, "sam-versions")
    result["sam"] = {"status": sam["StackStatus"], "reason": sam.get("StackStatusReason"),
                     "outputs": {o["OutputKey"]: o["OutputValue"] for o in sam.get("Outputs", [])}}
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:])
