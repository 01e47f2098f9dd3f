"""Lambda's asynchronous invocation settings through boto3: Put/Update/Get/List/DeleteFunctionEventInvokeConfig, the
model's limits, the destinations Lambda takes and the execution role's permission to send to them, then one Event invocation of a failing function (one retry, record
to an SQS queue on failure) and one of a succeeding function (record to a queue on success). The test reads the queues
LocalCloud keeps (it has no SQS API).

Usage: python3 lambda_event_invoke_config_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json

from lambda_runtimes_client import PYTHON, TRUST, package
from localcloud import client, error


def shape(response):
    """The answer as the model gives it, without boto3's ResponseMetadata."""
    response.pop("ResponseMetadata", None)
    return response


def main():
    iam, fn = client("iam"), client("lambda")
    account = client("sts").get_caller_identity()["Account"]
    region = fn.meta.region_name
    role = iam.create_role(RoleName="eic-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    code = {"ZipFile": package({"app.py": PYTHON})}
    for name, handler in (("eic-fail", "app.fail"), ("eic-echo", "app.echo")):
        fn.create_function(FunctionName=name, Handler=handler, Code=code, Runtime="python3.13", Role=role, Timeout=10)
    failures = f"arn:aws:sqs:{region}:{account}:eic-failures"
    successes = f"arn:aws:sqs:{region}:{account}:eic-successes"

    results = {"failures": failures, "successes": successes, "errors": {}}
    # Lambda checks that the execution role may send to each destination: refused before the role may, taken after.
    results["roleMayNot"] = error(fn.put_function_event_invoke_config, FunctionName="eic-fail",
                                  DestinationConfig={"OnFailure": {"Destination": failures}})
    results["roleMayNotTopic"] = error(fn.put_function_event_invoke_config, FunctionName="eic-echo",
                                       DestinationConfig={"OnSuccess": {"Destination": f"arn:aws:sns:{region}:{account}:eic-topic"}})
    iam.put_role_policy(RoleName="eic-role", PolicyName="records", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:{region}:{account}:eic-*"},
        {"Effect": "Deny", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:{region}:{account}:eic-denied"}]}))
    results["roleDenied"] = error(fn.put_function_event_invoke_config, FunctionName="eic-echo",
                                  DestinationConfig={"OnFailure": {"Destination": f"arn:aws:sqs:{region}:{account}:eic-denied"}})
    results["noneYet"] = error(fn.get_function_event_invoke_config, FunctionName="eic-fail")
    results["updateNone"] = error(fn.update_function_event_invoke_config, FunctionName="eic-fail", MaximumRetryAttempts=1)
    results["put"] = shape(fn.put_function_event_invoke_config(
        FunctionName="eic-fail", MaximumRetryAttempts=0, MaximumEventAgeInSeconds=120,
        DestinationConfig={"OnFailure": {"Destination": failures}}))
    results["update"] = shape(fn.update_function_event_invoke_config(FunctionName="eic-fail", MaximumRetryAttempts=1))
    results["get"] = shape(fn.get_function_event_invoke_config(FunctionName="eic-fail"))
    results["list"] = fn.list_function_event_invoke_configs(FunctionName="eic-fail")["FunctionEventInvokeConfigs"]
    fn.put_function_event_invoke_config(FunctionName="eic-echo", DestinationConfig={"OnSuccess": {"Destination": successes}})
    results["echo"] = shape(fn.get_function_event_invoke_config(FunctionName="eic-echo"))
    for label, kwargs in {
        "retries": {"MaximumRetryAttempts": 3},
        "age": {"MaximumEventAgeInSeconds": 21601},
        "bucketOnSuccess": {"DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:s3:::records"}}},
        "table": {"DestinationConfig": {"OnFailure": {"Destination": f"arn:aws:dynamodb:{region}:{account}:table/records"}}},
    }.items():
        results["errors"][label] = error(fn.put_function_event_invoke_config, FunctionName="eic-echo", **kwargs)
    results["unchanged"] = shape(fn.get_function_event_invoke_config(FunctionName="eic-echo"))

    for name in ("eic-fail", "eic-echo"):
        fn.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"word": name}).encode())

    fn.delete_function_event_invoke_config(FunctionName="eic-echo")
    results["afterDelete"] = error(fn.get_function_event_invoke_config, FunctionName="eic-echo")
    results["listAfterDelete"] = fn.list_function_event_invoke_configs(FunctionName="eic-echo")["FunctionEventInvokeConfigs"]
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
