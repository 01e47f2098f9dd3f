"""SNS-backed custom resources through boto3, with a provider in this script: it reads each request CloudFormation
published to the topic (LocalCloud's SNS delivers nowhere; the admin API lists published messages) and PUTs its
response to the request's ResponseURL. Create, Update, Delete, FAILED, a timeout and a Lambda ServiceToken.

Usage: python3 custom_resources_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from localcloud import URL, client, settle


def requests_on(topic, seen):
    """New requests published to the topic since the last call."""
    with urllib.request.urlopen(f"{URL}/_localcloud/sns/messages?topicArn={urllib.parse.quote(topic)}") as response:
        messages = json.load(response)
    fresh = [message for message in messages if message["messageId"] not in seen]
    seen.update(message["messageId"] for message in fresh)
    return [(message["subject"], json.loads(message["message"])) for message in fresh]


def next_request(topic, seen):
    for _ in range(200):
        fresh = requests_on(topic, seen)
        if fresh:
            return fresh[0]
        time.sleep(0.05)
    raise TimeoutError(topic)


def respond(request, status, **fields):
    body = dict({"Status": status, "StackId": request["StackId"], "RequestId": request["RequestId"],
                 "LogicalResourceId": request["LogicalResourceId"]}, **fields)
    put = urllib.request.Request(request["ResponseURL"], data=json.dumps(body).encode(), method="PUT", headers={"Content-Type": ""})
    try:
        with urllib.request.urlopen(put) as response:
            return response.status
    except urllib.error.HTTPError as failure:
        return failure.code


def template(token, greeting, extra=None):
    properties = dict({"ServiceToken": token, "Greeting": greeting}, **(extra or {}))
    return json.dumps({
        "Resources": {"Thing": {"Type": "Custom::Greeter", "Properties": properties}},
        "Outputs": {"Message": {"Value": {"Fn::GetAtt": ["Thing", "Message"]}}, "Id": {"Value": {"Ref": "Thing"}}},
    })


def failure_reason(cfn, stack, logical_id="Thing"):
    return next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=stack)["StackEvents"]
                if event["LogicalResourceId"] == logical_id and event["ResourceStatus"].endswith("_FAILED"))


def main():
    cfn, sns = client("cloudformation"), client("sns")
    topic = sns.create_topic(Name="greeter-provider")["TopicArn"]
    seen = set()
    result = {}

    stack_id = cfn.create_stack(StackName="custom", TemplateBody=template(topic, "hello"))["StackId"]
    subject, create = next_request(topic, seen)
    result["createRequest"] = [subject, create["RequestType"], create["StackId"] == stack_id, create["LogicalResourceId"],
                               create["ResourceType"], create["ResourceProperties"], "PhysicalResourceId" in create,
                               create["ResponseURL"].startswith(URL + "/")]
    result["wrongRequestId"] = respond(dict(create, RequestId="not-the-request"), "SUCCESS")
    result["createResponse"] = respond(create, "SUCCESS", PhysicalResourceId="greeter-1", Data={"Message": "hello world"})
    created = settle(cfn, stack_id)
    result["created"] = [created["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in created["Outputs"]}]
    result["answeredTwice"] = respond(create, "SUCCESS", PhysicalResourceId="greeter-1")

    cfn.update_stack(StackName="custom", TemplateBody=template(topic, "bonjour"))
    _, update = next_request(topic, seen)
    result["updateRequest"] = [update["RequestType"], update["PhysicalResourceId"], update["ResourceProperties"]["Greeting"],
                               update["OldResourceProperties"]["Greeting"]]
    respond(update, "SUCCESS", PhysicalResourceId="greeter-1", Data={"Message": "bonjour monde"})
    updated = settle(cfn, stack_id)
    result["updated"] = [updated["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in updated["Outputs"]}]

    failing = cfn.create_stack(StackName="custom-failing", TemplateBody=template(topic, "boom"))["StackId"]
    _, doomed = next_request(topic, seen)
    respond(doomed, "FAILED", Reason="The greeter refused.", PhysicalResourceId="greeter-2")
    # The rollback asks the provider to delete what the failed Create made, by the FAILED response's id.
    _, undo = next_request(topic, seen)
    result["rollbackDelete"] = [undo["RequestType"], undo["PhysicalResourceId"], undo["LogicalResourceId"]]
    respond(undo, "SUCCESS", PhysicalResourceId="greeter-2")
    result["failed"] = [settle(cfn, failing)["StackStatus"], failure_reason(cfn, failing).replace(doomed["RequestId"], "ID")]

    silent = cfn.create_stack(StackName="custom-silent", TemplateBody=template(topic, "hush", {"ServiceTimeout": "120"}))["StackId"]
    _, ignored = next_request(topic, seen)
    with urllib.request.urlopen(urllib.request.Request(f"{URL}/_localcloud/clock", data=b'{"advance":"PT121S"}', method="POST",
                                                       headers={"Content-Type": "application/json"})):
        pass
    # No response: the rollback's Delete carries an id CloudFormation made up (LocalCloud: the Create's RequestId).
    _, unanswered = next_request(topic, seen)
    result["silentDelete"] = [unanswered["RequestType"], unanswered["PhysicalResourceId"] == ignored["RequestId"]]
    respond(unanswered, "SUCCESS", PhysicalResourceId=ignored["RequestId"])
    result["timedOut"] = [settle(cfn, silent)["StackStatus"], failure_reason(cfn, silent).replace(ignored["RequestId"], "ID")]

    lambda_token = topic.replace(":sns:", ":lambda:").replace("greeter-provider", "function:greeter")
    lambda_stack = cfn.create_stack(StackName="custom-lambda", TemplateBody=template(lambda_token, "hi"))["StackId"]
    result["lambda"] = [settle(cfn, lambda_stack)["StackStatus"], failure_reason(cfn, lambda_stack)]

    cfn.delete_stack(StackName="custom")
    _, delete = next_request(topic, seen)
    result["deleteRequest"] = [delete["RequestType"], delete["PhysicalResourceId"]]
    respond(delete, "SUCCESS", PhysicalResourceId="greeter-1")
    result["deleted"] = settle(cfn, stack_id)["StackStatus"]
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
