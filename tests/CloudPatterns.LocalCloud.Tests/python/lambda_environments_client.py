"""Lambda's warm execution environments through boto3: the .NET, Python and Node.js runtimes each count their events
in module state and in a file in their temporary directory; a timeout ends the environment, a configuration update
starts a new one, and two events at once run in two environments.

Usage: python3 lambda_environments_client.py DOTNET-ZIP DOTNET-HANDLER; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import threading

from lambda_runtimes_client import TRUST, package
from localcloud import client

PYTHON = '''
import os
import tempfile
import time

count = 0

def handler(event, context):
    global count
    count += 1
    path = os.path.join(tempfile.gettempdir(), "seen")
    with open(path, "a") as out:
        out.write("x")
    with open(path) as source:
        seen = len(source.read())
    time.sleep(event.get("sleep", 0))
    return {"count": count, "seen": seen, "pid": os.getpid(), "stream": context.log_stream_name}
'''

NODE = '''
const fs = require('fs');
const os = require('os');
const path = require('path');
let count = 0;
exports.handler = async (event, context) => {
  count += 1;
  const file = path.join(os.tmpdir(), 'seen');
  fs.appendFileSync(file, 'x');
  return { count, seen: fs.readFileSync(file, 'utf8').length, pid: process.pid, stream: context.logStreamName };
};
'''


def invoke(fn, name, payload=None):
    response = fn.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    return {"functionError": response.get("FunctionError"), "payload": json.loads(response["Payload"].read() or b"null")}


def main():
    dotnet_zip, dotnet_handler = sys.argv[1:3]
    iam, fn = client("iam"), client("lambda")
    role = iam.create_role(RoleName="environments-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    with open(dotnet_zip, "rb") as source:
        dotnet = source.read()
    functions = {"env-py": ("app.handler", package({"app.py": PYTHON}), "python3.13"),
                 "env-js": ("index.handler", package({"index.js": NODE}), "nodejs24.x"),
                 "env-dotnet": (dotnet_handler, dotnet, "dotnet10")}
    for name, (handler, code, runtime) in functions.items():
        fn.create_function(FunctionName=name, Handler=handler, Code={"ZipFile": code}, Runtime=runtime, Role=role, Timeout=3)
    result = {name: [invoke(fn, name)["payload"] for _ in range(3)] for name in functions}

    # A timed-out event ends its environment: the next event starts a new one.
    result["timeout"] = invoke(fn, "env-py", {"sleep": 10})
    result["afterTimeout"] = invoke(fn, "env-py")["payload"]

    # A configuration update (a new revision) starts a new environment.
    fn.update_function_configuration(FunctionName="env-py", Description="updated")
    result["afterUpdate"] = invoke(fn, "env-py")["payload"]
    result["afterUpdateAgain"] = invoke(fn, "env-py")["payload"]

    # Two events at once: one environment each.
    concurrent = []
    threads = [threading.Thread(target=lambda: concurrent.append(invoke(fn, "env-py", {"sleep": 1})["payload"])) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["concurrent"] = concurrent
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
