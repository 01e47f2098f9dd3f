"""Lambda through boto3: functions from a zip (inline and in S3), configuration, concurrency, policy, Invoke.

Usage: python3 lambda_client.py ZIP OTHER_KEY_ID OTHER_SECRET OTHER_ACCOUNT; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import base64
import json
import sys
import time

from localcloud import client, error

PREFIX = "CloudPatterns.LocalCloud.TestFunction::CloudPatterns.LocalCloud.TestFunction.Handlers::"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EC2_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def invoke(fn, name, payload=b"", **kwargs):
    response = fn.invoke(FunctionName=name, Payload=payload, **kwargs)
    body = response["Payload"].read()
    return {
        "status": response["StatusCode"],
        "functionError": response.get("FunctionError"),
        "payload": json.loads(body) if body else None,
        "log": base64.b64decode(response["LogResult"]).decode() if "LogResult" in response else None,
    }


def main(zip_path, other_key, other_secret, other_account):
    code = open(zip_path, "rb").read()
    iam, fn, s3, sns, logs = client("iam"), client("lambda"), client("s3"), client("sns"), client("logs")
    other = client("lambda", aws_access_key_id=other_key, aws_secret_access_key=other_secret)
    role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    ec2_role = iam.create_role(RoleName="not-for-lambda", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))["Role"]["Arn"]
    topic = sns.create_topic(Name="fn-dlq")["TopicArn"]
    common = {"Runtime": "dotnet10", "Role": role, "Timeout": 20}

    created = fn.create_function(FunctionName="fn-echo", Handler=PREFIX + "Echo", Code={"ZipFile": code},
                                 Environment={"Variables": {"STAGE": "test"}}, Tags={"team": "dr"}, **common)
    result = {
        "created": {k: created.get(k) for k in ("FunctionArn", "Runtime", "Handler", "Timeout", "MemorySize", "State", "CodeSize", "CodeSha256", "Version")},
        "duplicate": error(fn.create_function, FunctionName="fn-echo", Handler=PREFIX + "Echo", Code={"ZipFile": code}, **common),
        "untrustedRole": error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": code}, Runtime="dotnet10", Role=ec2_role),
        "missingRole": error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": code}, Runtime="dotnet10", Role="arn:aws:iam::111111111111:role/none"),
        "reservedVariable": error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": code},
                                  Environment={"Variables": {"AWS_REGION": "x"}}, **common),
        "notAZip": error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": b"not a zip"}, **common),
        "badTimeout": error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": code}, Runtime="dotnet10", Role=role, Timeout=901),
        "imagePackage": error(fn.create_function, FunctionName="fn-x", PackageType="Image", Role=role,
                              Code={"ImageUri": "111111111111.dkr.ecr.us-east-2.amazonaws.com/app:latest"}),
    }

    # A deployer that may use Lambda but not pass roles: CreateFunction needs iam:PassRole on the execution role.
    deployer_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="lambda-deployer", AssumeRolePolicyDocument=json.dumps(deployer_trust))
    iam.put_role_policy(RoleName="lambda-deployer", PolicyName="lambda-only", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}]}))
    assumed = client("sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/lambda-deployer", RoleSessionName="deployer")["Credentials"]
    deployer = client("lambda", aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"], aws_session_token=assumed["SessionToken"])
    result["noPassRole"] = error(deployer.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"ZipFile": code}, **common)

    s3.create_bucket(Bucket="fn-code-bucket", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    s3.put_object(Bucket="fn-code-bucket", Key="fn.zip", Body=code)
    fn.create_function(FunctionName="fn-fail", Handler=PREFIX + "Fail", Code={"S3Bucket": "fn-code-bucket", "S3Key": "fn.zip"},
                       DeadLetterConfig={"TargetArn": topic}, **common)
    result["missingS3Key"] = error(fn.create_function, FunctionName="fn-x", Handler="a::b::c", Code={"S3Bucket": "fn-code-bucket", "S3Key": "none.zip"}, **common)
    fn.create_function(FunctionName="fn-sleep", Handler=PREFIX + "Sleep", Code={"ZipFile": code}, **common)
    fn.create_function(FunctionName="fn-who", Handler=PREFIX + "WhoAmI", Code={"ZipFile": code}, **common)
    fn.create_function(FunctionName="fn-python", Handler="app.handler", Code={"ZipFile": code}, Runtime="python3.13", Role=role)
    fn.create_function(FunctionName="fn-java", Handler="a.b::c", Code={"ZipFile": code}, Runtime="java21", Role=role)
    result["deprecated"] = error(fn.create_function, FunctionName="fn-x", Handler="index.handler", Code={"ZipFile": code}, Runtime="python3.7", Role=role)

    got = fn.get_function(FunctionName="fn-echo")
    result["get"] = [got["Configuration"]["FunctionName"], got["Configuration"]["Environment"]["Variables"], got["Tags"], got["Code"]["RepositoryType"]]
    result["getByArn"] = fn.get_function_configuration(FunctionName=created["FunctionArn"])["FunctionName"]
    result["getMissing"] = error(fn.get_function, FunctionName="fn-none")
    result["list"] = sorted(f["FunctionName"] for f in fn.list_functions()["Functions"])
    paged = fn.list_functions(MaxItems=2)
    result["listPaged"] = [len(paged["Functions"]), "NextMarker" in paged]

    result["echo"] = invoke(fn, "fn-echo", b'{"hello": "world"}', LogType="Tail")
    result["fail"] = invoke(fn, "fn-fail", b"{}")
    started = time.monotonic()
    fn.update_function_configuration(FunctionName="fn-sleep", Timeout=1)
    result["sleep"] = invoke(fn, "fn-sleep", b"{}")
    result["sleepSeconds"] = time.monotonic() - started
    result["who"] = invoke(fn, "fn-who", b"{}")
    result["python"] = invoke(fn, "fn-python", b"{}")
    result["java"] = error(fn.invoke, FunctionName="fn-java", Payload=b"{}")
    result["notJson"] = error(fn.invoke, FunctionName="fn-echo", Payload=b"hello")
    result["dryRun"] = fn.invoke(FunctionName="fn-echo", InvocationType="DryRun")["StatusCode"]
    result["event"] = fn.invoke(FunctionName="fn-fail", InvocationType="Event", Payload=b'{"job": "j-1"}')["StatusCode"]

    fn.put_function_concurrency(FunctionName="fn-echo", ReservedConcurrentExecutions=0)
    result["concurrency"] = fn.get_function(FunctionName="fn-echo").get("Concurrency")
    result["throttled"] = error(fn.invoke, FunctionName="fn-echo", Payload=b"{}")
    fn.delete_function_concurrency(FunctionName="fn-echo")
    result["afterThrottle"] = invoke(fn, "fn-echo", b"1")["payload"]["event"]

    result["crossAccountDenied"] = error(other.invoke, FunctionName=created["FunctionArn"], Payload=b"{}")
    statement = fn.add_permission(FunctionName="fn-echo", StatementId="other-account", Action="lambda:InvokeFunction", Principal=other_account)
    result["statement"] = json.loads(statement["Statement"])
    result["crossAccountAllowed"] = invoke(other, created["FunctionArn"], b'"from-other"')["payload"]["event"]
    fn.add_permission(FunctionName="fn-echo", StatementId="events", Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                      SourceArn="arn:aws:events:us-east-2:111111111111:rule/nightly")
    result["duplicateSid"] = error(fn.add_permission, FunctionName="fn-echo", StatementId="events", Action="lambda:InvokeFunction", Principal="events.amazonaws.com")
    result["policy"] = json.loads(fn.get_policy(FunctionName="fn-echo")["Policy"])
    fn.remove_permission(FunctionName="fn-echo", StatementId="other-account")
    fn.remove_permission(FunctionName="fn-echo", StatementId="events")
    result["removeMissing"] = error(fn.remove_permission, FunctionName="fn-echo", StatementId="events")
    result["policyGone"] = error(fn.get_policy, FunctionName="fn-echo")
    result["crossAccountDeniedAgain"] = error(other.invoke, FunctionName=created["FunctionArn"], Payload=b"{}")

    before = fn.get_function_configuration(FunctionName="fn-echo")["RevisionId"]
    updated = fn.update_function_code(FunctionName="fn-echo", ZipFile=code)
    result["codeUpdated"] = [updated["RevisionId"] != before, updated["CodeSha256"] == created["CodeSha256"]]

    streams = logs.describe_log_streams(logGroupName="/aws/lambda/fn-echo")["logStreams"]
    events = logs.filter_log_events(logGroupName="/aws/lambda/fn-echo", filterPattern="REPORT")["events"]
    result["logStreams"] = len(streams)
    result["reportLines"] = len(events)
    result["failLog"] = [e["message"] for e in logs.filter_log_events(logGroupName="/aws/lambda/fn-fail", filterPattern="\"about to fail\"")["events"]]

    fn.delete_function(FunctionName="fn-sleep")
    result["deleted"] = error(fn.get_function, FunctionName="fn-sleep")
    result["dlqTopic"] = topic
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
