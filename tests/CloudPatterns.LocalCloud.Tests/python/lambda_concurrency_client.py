"""Lambda concurrency through boto3: Event invocations of a function with reserved concurrency 2 wait in the queue and
run at most two at a time, in order; a RequestResponse invocation while both are busy is throttled (429).

The handler appends "start ID TIME" and "end ID TIME" lines to a file the event names, and holds each event until a
gate file exists, so the test knows that two events are running when it makes the synchronous call.

Usage: python3 lambda_concurrency_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import os
import shutil
import tempfile
import time

from botocore.exceptions import ClientError

from lambda_runtimes_client import TRUST, package
from localcloud import client

PYTHON = '''
import os
import time

def handler(event, context):
    with open(event["log"], "a") as out:
        out.write("start %d %.6f\\n" % (event["id"], time.time()))
    deadline = time.time() + 20
    while not os.path.exists(event["gate"]) and time.time() < deadline:
        time.sleep(0.05)
    with open(event["log"], "a") as out:
        out.write("end %d %.6f\\n" % (event["id"], time.time()))
'''

EVENTS = 5


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as source:
        return [line.split() for line in source.read().splitlines() if line]


def wait_for(path, kind, count, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if sum(1 for line in lines(path) if line[0] == kind) >= count:
            return True
        time.sleep(0.1)
    return False


def main():
    iam, fn = client("iam"), client("lambda")
    role = iam.create_role(RoleName="concurrency-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    fn.create_function(FunctionName="limited", Handler="app.handler", Code={"ZipFile": package({"app.py": PYTHON})},
                       Runtime="python3.13", Role=role, Timeout=30)
    fn.put_function_concurrency(FunctionName="limited", ReservedConcurrentExecutions=2)
    work = tempfile.mkdtemp(prefix="lambda-concurrency-")
    log, gate = os.path.join(work, "log"), os.path.join(work, "gate")
    statuses = [fn.invoke(FunctionName="limited", InvocationType="Event",
                          Payload=json.dumps({"id": index, "log": log, "gate": gate}).encode())["StatusCode"]
                for index in range(EVENTS)]
    result = {"statuses": statuses, "twoStarted": wait_for(log, "start", 2)}
    try:
        fn.invoke(FunctionName="limited", Payload=json.dumps({"id": 99, "log": log, "gate": gate}).encode())
        result["sync"] = {"throttled": False}
    except ClientError as error:
        result["sync"] = {"throttled": True, "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                          "code": error.response["Error"]["Code"], "reason": error.response.get("Reason")}
    result["startedBeforeGate"] = sum(1 for line in lines(log) if line[0] == "start")
    open(gate, "w").close()
    result["allEnded"] = wait_for(log, "end", EVENTS)
    result["log"] = [[kind, int(index), float(at)] for kind, index, at in lines(log)]
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
