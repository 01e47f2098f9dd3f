"""Runs a script of AWS calls through one client in one process and prints the outcome of each as JSON.

Usage: python aws_clients.py CLIENT < script.json, CLIENT being cli1 or cli2 (the AWS CLI that this Python imports,
driven in-process as the aws command drives it) or boto3. The script: {"endpoint", "accounts": {name: {"accessKeyId",
"secretAccessKey"}}, "variables": {...}, "steps": [...]}.

Each step: {"name", "service", "operation", "params", "account" (or "credentials": {"accessKeyId", "secretAccessKey",
"sessionToken"}, e.g. captured from AssumeRole), "region", "capture": {"Var": "Member.Path"},
"expectError": "Code", "clients": [only these clients], "until": {"path": "Member.Path", "equals": "value"}
(the call is repeated, up to 10 s, until the member has that value: a stack that CloudFormation is still creating)} or {"admin": "POST /_localcloud/clock", "body": {...}}. "${Var}" in later params is replaced
by captured values; a whole string "${=Var}" becomes the value as a JSON number (timestamps). A step's outcome: {"name", "ok", "code", "message", "output"}; the script stops at the first
step whose outcome is not what it expected, so the caller sees where a client disagreed.
"""
import contextlib
import io
import json
import os
import re
import sys
import time
import urllib.request

try:
    from botocore import xform_name
except ImportError:  # the AWS CLI v2 bundles its own botocore
    from awscli.botocore import xform_name

ERROR_PATTERN = re.compile(r"An error occurred \((?P<code>[^)]+)\) when calling the \w+ operation[^:]*: (?P<message>.*)", re.S)


def substitute(value, variables):
    text = json.dumps(value)
    for name, captured in variables.items():
        text = text.replace('"${=' + name + '}"', captured).replace("${" + name + "}", captured)
    return json.loads(text)


def capture(output, path):
    """A member of the output by dotted path; "|name" keeps what follows the ARN's last '/' or ':'."""
    path, _, transform = path.partition("|")
    value = output
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return re.split(r"[/:]", value)[-1] if transform == "name" else value


DRIVERS = {}


def call_cli(step, endpoint, credentials):
    """Runs one command through a CLI driver per account: building the command table once keeps this fast."""
    driver = DRIVERS.get(credentials["AWS_ACCESS_KEY_ID"])
    if driver is None:
        from awscli.clidriver import create_clidriver
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.update(credentials)
        driver = DRIVERS[credentials["AWS_ACCESS_KEY_ID"]] = create_clidriver()
        driver.session.get_credentials()  # resolved now from the environment, then kept by the driver's session
    args = [step["service"], xform_name(step["operation"], "-"), "--endpoint-url", endpoint,
            "--region", step["region"], "--output", "json", "--cli-input-json", json.dumps(step["params"])]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        rc = driver.main(args)
    if rc == 0:
        text = stdout.getvalue().strip()
        return None, None, json.loads(text) if text else {}
    match = ERROR_PATTERN.search(stderr.getvalue())
    return (match["code"], match["message"].strip(), None) if match else ("rc" + str(rc), stderr.getvalue(), None)


def call_boto3(step, endpoint, credentials):
    import boto3
    from botocore.exceptions import ClientError
    client = boto3.client(step["service"], region_name=step["region"], endpoint_url=endpoint,
                          aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                          aws_session_token=credentials.get("AWS_SESSION_TOKEN"))
    try:
        output = getattr(client, xform_name(step["operation"]))(**step["params"])
        output.pop("ResponseMetadata", None)
        return None, None, json.loads(json.dumps(output, default=str))
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"].get("Message", ""), None


def main():
    client = sys.argv[1]
    script = json.load(sys.stdin)
    endpoint, accounts = script["endpoint"], script["accounts"]
    os.environ["AWS_PAGER"] = ""
    variables, outcomes = dict(script["variables"]), []
    for step in script["steps"]:
        if client not in step.get("clients", [client]):
            continue
        step = substitute(step, variables)
        step.setdefault("region", script["region"])
        if "admin" in step:
            method, path = step["admin"].split(" ", 1)
            request = urllib.request.Request(endpoint + path, data=json.dumps(step["body"]).encode(), method=method)
            urllib.request.urlopen(request).read()
            continue
        account = step["credentials"] if "credentials" in step else accounts[step["account"]]
        credentials = {"AWS_ACCESS_KEY_ID": account["accessKeyId"], "AWS_SECRET_ACCESS_KEY": account["secretAccessKey"]}
        if "sessionToken" in account:
            credentials["AWS_SESSION_TOKEN"] = account["sessionToken"]
        code, message, output = (call_boto3 if client == "boto3" else call_cli)(step, endpoint, credentials)
        for _ in range(100):
            if "until" not in step or code is not None or capture(output, step["until"]["path"]) == step["until"]["equals"]:
                break
            time.sleep(0.1)
            code, message, output = (call_boto3 if client == "boto3" else call_cli)(step, endpoint, credentials)
        expected = step.get("expectError")
        ok = code == expected
        outcomes.append({"name": step["name"], "ok": ok, "code": code, "message": message, "output": output})
        if not ok:
            break
        for name, path in step.get("capture", {}).items():
            variables[name] = str(capture(output, path))
    json.dump(outcomes, sys.stdout)


if __name__ == "__main__":
    main()
