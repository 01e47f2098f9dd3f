"""The waits before Lambda's retries of a failing Event invocation, on the sandbox clock (docs/localcloud-lambda.md,
"Invoke"): one attempt, no retry 50 simulated seconds later, the first retry once a minute has passed; no second retry
110 seconds after that, the second once two more minutes have passed; then the invocation record on the OnFailure
queue. The clock is moved by hand (POST /_localcloud/clock), which turns auto-advance off. With the argument
"invoke-only" the script stops after the invocation (the test watches the clock's auto-advance reach the retries).

Usage: python3 lambda_retry_waits_client.py [invoke-only]; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time

from events_client import advance_clock
from lambda_runtimes_client import PYTHON, TRUST, deliveries_busy, package
from localcloud import client


def attempts(logs):
    """How many times retry-wait has started (its START lines)."""
    try:
        events = logs.filter_log_events(logGroupName="/aws/lambda/retry-wait", filterPattern='"START RequestId"')["events"]
    except logs.exceptions.ResourceNotFoundException:
        return 0
    return len(events)


def settled(logs, count, seconds=60):
    """The attempts once there are COUNT and no delivery is running (the next retry waits on the clock), or after SECONDS."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = attempts(logs)
        if found >= count and not deliveries_busy():
            return found
        time.sleep(0.1)
    return attempts(logs)


def held(logs, seconds=1.5):
    """The attempts after SECONDS of real time in which the clock was not moved (a retry due would have run)."""
    time.sleep(seconds)
    return attempts(logs)


def main():
    iam, fn, logs = client("iam"), client("lambda"), client("logs")
    account = client("sts").get_caller_identity()["Account"]
    role = iam.create_role(RoleName="retry-wait-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    fn.create_function(FunctionName="retry-wait", Handler="app.fail", Code={"ZipFile": package({"app.py": PYTHON})},
                       Runtime="python3.13", Role=role, Timeout=10)
    failures = f"arn:aws:sqs:{fn.meta.region_name}:{account}:retry-wait-failures"
    iam.put_role_policy(RoleName="retry-wait-role", PolicyName="failures", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": failures}]}))
    fn.put_function_event_invoke_config(FunctionName="retry-wait", DestinationConfig={"OnFailure": {"Destination": failures}})
    fn.invoke(FunctionName="retry-wait", InvocationType="Event", Payload=json.dumps({"word": "again"}).encode())

    if sys.argv[1:] == ["invoke-only"]:
        print(json.dumps({"failures": failures}))
        return

    results = {"failures": failures, "first": settled(logs, 1)}
    advance_clock("PT50S")
    results["after50s"] = held(logs)
    advance_clock("PT10S")
    results["after60s"] = settled(logs, 2)
    advance_clock("PT110S")
    results["after110sMore"] = held(logs)
    advance_clock("PT10S")
    results["after120sMore"] = settled(logs, 3)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
