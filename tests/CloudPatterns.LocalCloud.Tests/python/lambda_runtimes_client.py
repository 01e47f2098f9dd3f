"""Lambda's Python and Node.js runtimes through boto3: handlers zipped here, invoked for their result, the context,
an exception's payload, a timeout, ES modules, callbacks and a missing handler; and GET /_localcloud/deliveries busy
while an Event invocation runs, idle once it has logged.

Usage: python3 lambda_runtimes_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import io
import json
import os
import sys
import time
import urllib.request
import zipfile

from localcloud import client, error

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

PYTHON = '''
import time

def echo(event, context):
    print("echoing", event["word"])
    return {"word": event["word"], "requestId": context.aws_request_id, "name": context.function_name,
            "arn": context.invoked_function_arn, "remaining": 0 < context.get_remaining_time_in_millis() <= 5000}

def fail(event, context):
    raise ValueError("bad word: " + event["word"])

def sleep(event, context):
    time.sleep(30)
'''

NODE_ASYNC = '''
exports.handler = async (event, context) => ({ word: event.word.toUpperCase(), remaining: context.getRemainingTimeInMillis() > 0 });
exports.fail = async () => { throw new TypeError('not a word'); };
exports.callback = (event, context, callback) => { setTimeout(() => callback(null, { later: event.word }), 10); };
'''

NODE_ESM = '''
export const handler = async (event) => ({ module: 'esm', word: event.word });
'''


def package(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def invoke(fn, name, payload):
    response = fn.invoke(FunctionName=name, Payload=json.dumps(payload).encode(), LogType="Tail")
    import base64
    return {"functionError": response.get("FunctionError"), "payload": json.loads(response["Payload"].read() or b"null"),
            "log": base64.b64decode(response["LogResult"]).decode()}


def deliveries_busy():
    with urllib.request.urlopen(os.environ["LOCALCLOUD_URL"].rstrip("/") + "/_localcloud/deliveries") as response:
        return json.load(response)["busy"]


def queued(fn):
    """An Event invocation of py-echo: busy at once (the handler's process takes a while to start), then idle, and by
    then its lines are in the log."""
    fn.invoke(FunctionName="py-echo", InvocationType="Event", Payload=json.dumps({"word": "later"}).encode())
    busy_at_once = deliveries_busy()
    deadline = time.monotonic() + 240
    while deliveries_busy():
        if time.monotonic() > deadline:
            return {"busyAtOnce": busy_at_once, "idle": False, "logged": 0}
        time.sleep(0.1)
    events = client("logs").filter_log_events(logGroupName="/aws/lambda/py-echo")["events"]
    return {"busyAtOnce": busy_at_once, "idle": True, "logged": sum(1 for e in events if e["message"].startswith("echoing later"))}


def main():
    iam, fn = client("iam"), client("lambda")
    role = iam.create_role(RoleName="runtimes-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    python = package({"app.py": PYTHON})
    node = package({"index.js": NODE_ASYNC, "esm.mjs": NODE_ESM})
    common = {"Role": role, "Timeout": 5}
    for name, handler, code, runtime in [("py-echo", "app.echo", python, "python3.13"), ("py-fail", "app.fail", python, "python3.13"),
                                         ("py-sleep", "app.sleep", python, "python3.13"), ("js-async", "index.handler", node, "nodejs24.x"),
                                         ("js-fail", "index.fail", node, "nodejs24.x"), ("js-callback", "index.callback", node, "nodejs24.x"),
                                         ("js-esm", "esm.handler", node, "nodejs24.x"), ("js-missing", "index.nothing", node, "nodejs24.x")]:
        fn.create_function(FunctionName=name, Handler=handler, Code={"ZipFile": code}, Runtime=runtime, **common)
    result = {name: invoke(fn, name, {"word": "hi"}) for name in
              ["py-echo", "py-fail", "py-sleep", "js-async", "js-fail", "js-callback", "js-esm", "js-missing"]}
    result["arn"] = fn.get_function(FunctionName="py-echo")["Configuration"]["FunctionArn"]
    result["deliveries"] = queued(fn)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
