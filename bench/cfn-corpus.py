"""The work of bench/cfn-corpus.ps1: cfn-lint every template of tests/cfn-corpus, CreateStack the cfn-lint-clean
ones in LocalCloud (AWS_ENDPOINT_URL and the sandbox's credentials from the environment) with plausible parameter
values, and print the rate and the causes of the failures.

Usage: python3 bench/cfn-corpus.py <corpus folder> [--verbose] [--lint-cache FILE]
(--lint-cache keeps cfn-lint's verdicts in FILE, read instead of linting again when it exists: comparing two
LocalCloud builds then lints once.)
"""
import collections
import json
import os
import pathlib
import re
import sys
import time

import boto3
import botocore.config
import botocore.exceptions
import cfnlint.decode
from cfnlint.api import lint_file

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=120)
PLAUSIBLE = {
    "AWS::EC2::VPC::Id": "vpc-0a1b2c3d4e5f60718",
    "AWS::EC2::Subnet::Id": "subnet-0a1b2c3d4e5f60718",
    "AWS::EC2::SecurityGroup::Id": "sg-0a1b2c3d4e5f60718",
    "AWS::EC2::SecurityGroup::GroupName": "default",
    "AWS::EC2::KeyPair::KeyName": "corpus-key",
    "AWS::EC2::Image::Id": "ami-0a1b2c3d4e5f60718",
    "AWS::EC2::Instance::Id": "i-0a1b2c3d4e5f60718",
    "AWS::EC2::Volume::Id": "vol-0a1b2c3d4e5f60718",
    "AWS::Route53::HostedZone::Id": "Z0123456789ABCDEFGHIJ",
}
PATTERN_GUESSES = ["10.0.0.0/16", "10.0.0.0/24", "0.0.0.0/0", "corpus", "Corpus1", "corpus-1", "corpus@example.com",
                   "admin", "Passw0rdPassw0rd", "t3.micro", "1", "example.com", "arn:aws:iam::111111111111:role/corpus",
                   "123456789012", "us-east-1"]


def lint(paths):
    """Template -> its cfn-lint errors (rules E*), linted one by one in this process (a template that crashes
    cfn-lint counts as an error, and does not stop the others)."""
    errors = {}
    for path in paths:
        try:
            found = [f"{match.rule.id} {match.message}" for match in lint_file(pathlib.Path(path)) if match.rule.id.startswith("E")]
        except Exception as error:  # cfn-lint itself failed on the template
            found = [f"cfn-lint failed: {type(error).__name__}"]
        if found:
            errors[path] = found
    return errors


def value_for(parameter):
    kind = str(parameter.get("Type", "String"))
    if "AllowedValues" in parameter and parameter["AllowedValues"]:
        return str(parameter["AllowedValues"][0])
    item = kind[5:-1] if kind.startswith("List<") else kind
    if item in PLAUSIBLE:
        return PLAUSIBLE[item]
    if item == "AWS::EC2::AvailabilityZone::Name":
        return REGION + "a"
    if kind.startswith("AWS::SSM::Parameter::Value"):
        return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    if item == "Number":
        return str(parameter.get("MinValue", 1))
    if kind == "CommaDelimitedList":
        return "a,b"
    pattern = parameter.get("AllowedPattern")
    minimum = int(parameter.get("MinLength", 1))
    for guess in PATTERN_GUESSES:
        if matches(pattern, guess) and len(guess) >= minimum:
            return guess
    return "corpus" + "x" * max(0, minimum - 6)


def matches(pattern, text):
    """Whether a template's AllowedPattern takes the text; a pattern Python cannot read takes anything."""
    try:
        return pattern is None or re.fullmatch(str(pattern), text) is not None
    except re.error:
        return True


def deploy(cfn, index, path):
    template, _ = cfnlint.decode.decode(path)
    parameters = [{"ParameterKey": name, "ParameterValue": value_for(definition or {})}
                  for name, definition in ((template or {}).get("Parameters") or {}).items() if "Default" not in (definition or {})]
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    name = f"corpus{index}"
    try:
        cfn.create_stack(StackName=name, TemplateBody=body, Parameters=parameters,
                         Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"], OnFailure="DO_NOTHING")
    except botocore.exceptions.ClientError as error:
        return f'{error.response["Error"]["Code"]}: {error.response["Error"]["Message"]}'
    for attempt in range(400):
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            break
        # After a few seconds, poll less than once a second: an idle LocalCloud then skips its clock to the next
        # pending job, e.g. a resource signal or custom resource timeout (docs/localcloud-cloudformation-signals.md).
        time.sleep(0.1 if attempt < 30 else 1.5)
    if stack["StackStatus"] == "CREATE_COMPLETE":
        return None
    reasons = [f'{e["ResourceType"]}: {e.get("ResourceStatusReason", "")}' for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
               if e["ResourceStatus"] == "CREATE_FAILED" and e.get("ResourceStatusReason") != "Resource creation cancelled"]
    return reasons[-1] if reasons else f'{stack["StackStatus"]}: {stack.get("StackStatusReason", "")}'


def cause(message):
    """Groups failure messages: ids, names and numbers removed, cut at 110 characters."""
    text = re.sub(r"\[[^\]]*\]", "[…]", message)
    text = re.sub(r"\b[\w-]*\d[\w.-]*\b", "#", text)
    return text[:110]


def main():
    corpus, verbose = sys.argv[1], "--verbose" in sys.argv
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(corpus) for name in names
                   if re.search(r"\.(ya?ml|json|template)$", name))
    cache = sys.argv[sys.argv.index("--lint-cache") + 1] if "--lint-cache" in sys.argv else None
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as handle:
            errors = json.load(handle)
    else:
        errors = lint(paths)
        if cache:
            with open(cache, "w", encoding="utf-8") as handle:
                json.dump(errors, handle)
    clean = [path for path in paths if path not in errors]
    cfn = boto3.client("cloudformation", region_name=REGION, config=CONFIG)
    failures = {}
    for index, path in enumerate(clean):
        try:
            failure = deploy(cfn, index, path)
        except Exception as error:  # a template the benchmark itself cannot handle counts as not deployed
            failure = f"benchmark: {type(error).__name__}: {error}"
        if failure is not None:
            failures[path] = failure
    deployed = len(clean) - len(failures)
    print(f"templates={len(paths)} cfn_lint_errors={len(errors)}")
    print(f"deployed={deployed} of {len(clean)}")
    for text, count in collections.Counter(cause(message) for message in failures.values()).most_common():
        print(f"  {count:3d}  {text}")
    if verbose:
        for path, message in sorted(failures.items()):
            print(f"{os.path.relpath(path, corpus)}: {message}")
    print(f"deploy_rate={deployed / len(clean) if clean else 0:.2f}")


if __name__ == "__main__":
    main()
