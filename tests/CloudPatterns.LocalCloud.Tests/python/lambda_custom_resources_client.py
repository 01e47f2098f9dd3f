"""Lambda-backed custom resources and a macro through boto3, with providers written as CloudFormation users write them:
inline (ZipFile) Python with cfnresponse and boto3, inline Node.js with cfn-response, and a Python macro function.

Usage: python3 lambda_custom_resources_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time

from localcloud import client, settle as settle_soon


def settle(cfn, stack):
    """Lambda providers start a process per request: on a loaded machine a stack takes longer than most."""
    return settle_soon(cfn, stack, seconds=150)

PYTHON_PROVIDER = '''
import cfnresponse

def handler(event, context):
    import boto3  # in the handler: its import then counts against the function's timeout, not the 10-second init phase
    props = event["ResourceProperties"]
    print("REQUEST", event["RequestType"], event.get("PhysicalResourceId", "-"))
    if props.get("Fail") == "yes" and event["RequestType"] == "Create":
        # Half made: the rollback's Delete must name it.
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physicalResourceId="half-made-" + props["Version"], reason="The greeter refused.")
        return
    caller = boto3.client("sts").get_caller_identity()["Arn"]
    old = event.get("OldResourceProperties", {}).get("Greeting", "")
    data = {"Message": props["Greeting"] + " world", "Old": old, "Caller": caller,
            "Context": ",".join([str(context.aws_request_id != "").lower(), str(context.get_remaining_time_in_millis() > 0).lower(),
                                 context.function_name])}
    cfnresponse.send(event, context, cfnresponse.SUCCESS, data, physicalResourceId="greeter-" + props["Version"], noEcho=props.get("Hide") == "yes")
'''

NODE_PROVIDER = '''
const response = require('cfn-response');
exports.handler = function (event, context) {
  response.send(event, context, response.SUCCESS, { Shout: event.ResourceProperties.Word.toUpperCase() }, 'node-' + event.ResourceProperties.Word);
};
'''

# What a Node.js function that bundles AWS's cfn-response module does: PUT to the ResponseURL's host and path with
# https on port 443, whatever the URL's scheme and port (CloudFormation's URL is an https pre-signed S3 URL).
NODE_BUNDLED_RESPONSE = '''
const https = require('https');
const url = require('url');
exports.handler = (event, context) => {
  const body = JSON.stringify({ Status: 'SUCCESS', Reason: 'bundled', PhysicalResourceId: 'bundled-1', StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: { Echo: event.ResourceProperties.Word } });
  const target = url.parse(event.ResponseURL);
  const request = https.request({ hostname: target.hostname, port: 443, path: target.path, method: 'PUT',
    headers: { 'content-type': '', 'content-length': body.length } }, () => context.done());
  request.on('error', (error) => { console.log('send failed: ' + error); context.done(); });
  request.write(body);
  request.end();
};
'''

MACRO = '''
def handler(event, context):
    params, fragment = event["params"], event["fragment"]
    if params.get("Fail") == "yes":
        return {"requestId": event["requestId"], "status": "failure", "errorMessage": "The macro refused."}
    if "Resources" in fragment:
        prefix = event["templateParameterValues"]["Prefix"]
        for name, resource in fragment["Resources"].items():
            if resource["Type"] == "AWS::SNS::Topic":
                resource.setdefault("Properties", {})["TopicName"] = prefix + "-" + name
    else:
        fragment["DisplayName"] = params["Owner"]
    return {"requestId": event["requestId"], "status": "success", "fragment": fragment}
'''

PROVIDERS = {
    "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}}]}},
        "Python": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "Code": {"ZipFile": PYTHON_PROVIDER}}},
        "Node": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "nodejs24.x", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "Code": {"ZipFile": NODE_PROVIDER}}},
        "Bundled": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "nodejs24.x", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "Code": {"ZipFile": NODE_BUNDLED_RESPONSE}}},
        "MacroFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "Code": {"ZipFile": MACRO}}},
        "Macro": {"Type": "AWS::CloudFormation::Macro", "Properties": {
            "Name": "Namer", "FunctionName": {"Fn::GetAtt": ["MacroFunction", "Arn"]}}},
    },
    "Outputs": {
        "Python": {"Value": {"Fn::GetAtt": ["Python", "Arn"]}},
        "Node": {"Value": {"Fn::GetAtt": ["Node", "Arn"]}},
        "Bundled": {"Value": {"Fn::GetAtt": ["Bundled", "Arn"]}},
    },
}


def greeter(python, node, greeting, version, fail="no"):
    return json.dumps({
        "Resources": {
            "Thing": {"Type": "Custom::Greeter", "Properties": {"ServiceToken": python, "Greeting": greeting, "Version": version, "Fail": fail}},
            "Shouter": {"Type": "AWS::CloudFormation::CustomResource", "Properties": {"ServiceToken": node, "Word": "hey"}},
        },
        "Outputs": {
            "Message": {"Value": {"Fn::GetAtt": ["Thing", "Message"]}},
            "Old": {"Value": {"Fn::GetAtt": ["Thing", "Old"]}},
            "Caller": {"Value": {"Fn::GetAtt": ["Thing", "Caller"]}},
            "Context": {"Value": {"Fn::GetAtt": ["Thing", "Context"]}},
            "Id": {"Value": {"Ref": "Thing"}},
            "Shout": {"Value": {"Fn::GetAtt": ["Shouter", "Shout"]}},
            "ShouterId": {"Value": {"Ref": "Shouter"}},
        },
    })


# A provider's NoEcho answer: its attributes are **** wherever GetAtt carries them (outputs, the events of the resources
# that use them), while the resources get the real value.
HIDDEN = {
    "Parameters": {"Token": {"Type": "String"}},
    "Resources": {
        "Hidden": {"Type": "Custom::Greeter", "Properties": {"ServiceToken": {"Ref": "Token"}, "Greeting": "secret", "Version": "h", "Hide": "yes"}},
        "Copy": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/hidden/copy", "Type": "String", "Value": {"Fn::GetAtt": ["Hidden", "Message"]}}},
    },
    "Outputs": {"Message": {"Value": {"Fn::GetAtt": ["Hidden", "Message"]}}, "Id": {"Value": {"Ref": "Hidden"}}},
}


MACRO_USER = """
Transform: [Namer]
Parameters:
  Prefix: { Type: String }
  Fail: { Type: String, Default: "no" }
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      Fn::Transform:
        Name: Namer
        Parameters: { Owner: !Ref Prefix, Fail: !Ref Fail }
"""


def outputs(stack):
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def requests_logged(logs, function_arn, expected):
    """The provider's REQUEST lines; an invocation's log lands once its handler ends, after its response, so wait."""
    group = "/aws/lambda/" + function_arn.split(":")[-1]
    for _ in range(600):
        events = logs.filter_log_events(logGroupName=group)["events"]
        lines = [event["message"].strip() for event in events if event["message"].startswith("REQUEST ")]
        if len(lines) >= expected:
            return lines
        time.sleep(0.1)
    return lines


def failure_reason(cfn, stack, logical_id):
    return next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=stack)["StackEvents"]
                if event["LogicalResourceId"] == logical_id and event["ResourceStatus"].endswith("_FAILED"))


def main():
    cfn, logs, sns = client("cloudformation"), client("logs"), client("sns")
    cfn.create_stack(StackName="providers", TemplateBody=json.dumps(PROVIDERS), Capabilities=["CAPABILITY_IAM"])
    providers = settle(cfn, "providers")
    result = {"providers": providers["StackStatus"]}
    tokens = outputs(providers)
    python, node = tokens["Python"], tokens["Node"]

    cfn.create_stack(StackName="greeter", TemplateBody=greeter(python, node, "hello", "1"))
    created = settle(cfn, "greeter")
    result["created"] = [created["StackStatus"], outputs(created)]

    cfn.update_stack(StackName="greeter", TemplateBody=greeter(python, node, "bonjour", "1"))
    updated = settle(cfn, "greeter")
    result["updated"] = [updated["StackStatus"], outputs(updated)]

    cfn.update_stack(StackName="greeter", TemplateBody=greeter(python, node, "hola", "2"))
    replaced = settle(cfn, "greeter")
    result["replaced"] = [replaced["StackStatus"], outputs(replaced)["Id"]]

    cfn.delete_stack(StackName="greeter")
    result["deleted"] = settle(cfn, created["StackId"])["StackStatus"]
    result["requests"] = requests_logged(logs, python, expected=5)

    cfn.create_stack(StackName="refused", TemplateBody=greeter(python, node, "hello", "1", fail="yes"))
    result["failed"] = [settle(cfn, "refused")["StackStatus"], failure_reason(cfn, "refused", "Thing")]
    # The rollback sends the failed Create's resource a Delete with the PhysicalResourceId of the FAILED response.
    result["rolledBack"] = sorted(requests_logged(logs, python, expected=7)[5:])

    cfn.create_stack(StackName="hidden", TemplateBody=json.dumps(HIDDEN), Parameters=[{"ParameterKey": "Token", "ParameterValue": python}])
    hidden = settle(cfn, "hidden")
    shown = json.dumps([cfn.describe_stacks(StackName="hidden"), cfn.describe_stack_events(StackName="hidden")], default=str)
    result["hidden"] = [hidden["StackStatus"], outputs(hidden), client("ssm").get_parameter(Name="/hidden/copy")["Parameter"]["Value"],
                        "secret world" in shown]

    bundled = json.dumps({"Resources": {"Echo": {"Type": "Custom::Echo", "Properties": {"ServiceToken": tokens["Bundled"], "Word": "hi"}}},
                          "Outputs": {"Echo": {"Value": {"Fn::GetAtt": ["Echo", "Echo"]}}, "Id": {"Value": {"Ref": "Echo"}}}})
    cfn.create_stack(StackName="bundled", TemplateBody=bundled)
    answered = settle(cfn, "bundled")
    result["bundled"] = [answered["StackStatus"], outputs(answered)]

    cfn.create_stack(StackName="named", TemplateBody=MACRO_USER, Capabilities=["CAPABILITY_AUTO_EXPAND"],
                     Parameters=[{"ParameterKey": "Prefix", "ParameterValue": "team"}])
    named = settle(cfn, "named")
    processed = cfn.get_template(StackName="named", TemplateStage="Processed")["TemplateBody"]
    topic = next(arn["TopicArn"] for arn in sns.list_topics()["Topics"] if arn["TopicArn"].endswith(":team-Alerts"))
    result["macro"] = [named["StackStatus"], processed["Resources"]["Alerts"]["Properties"],
                       sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("DisplayName")]
    try:
        cfn.create_stack(StackName="named-fail", TemplateBody=MACRO_USER, Capabilities=["CAPABILITY_AUTO_EXPAND"],
                         Parameters=[{"ParameterKey": "Prefix", "ParameterValue": "x"}, {"ParameterKey": "Fail", "ParameterValue": "yes"}])
        result["macroFailed"] = settle(cfn, "named-fail")["StackStatus"]
    except cfn.exceptions.ClientError as failure:
        result["macroFailed"] = f'{failure.response["Error"]["Code"]}: {failure.response["Error"]["Message"]}'
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
