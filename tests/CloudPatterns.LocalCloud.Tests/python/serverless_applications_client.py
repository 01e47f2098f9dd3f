"""SAM's AWS::Serverless::Application through boto3: an application published into LocalCloud's catalogue (the admin
endpoint PUT /_localcloud/serverlessrepo/applications) deployed as a nested stack, then deleted; refusals.

Usage: python3 serverless_applications_client.py <application template file>. LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import urllib.error
import urllib.request

from localcloud import URL, client, error, settle

CFN = client("cloudformation")
APPLICATION_ID = "arn:aws:serverlessrepo:us-east-1:172664222583:applications/wire-topic"
PARENT = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Version:
    Type: String
    Default: 1.2.0
Resources:
  Alerts:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:172664222583:applications/wire-topic
        SemanticVersion: !Ref Version
      Parameters:
        TopicName: wire-alerts
Outputs:
  Topic:
    Value: !GetAtt Alerts.Outputs.TopicArn
"""


def publish(body):
    request = urllib.request.Request(f"{URL}/_localcloud/serverlessrepo/applications", data=json.dumps(body).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as failure:
        return failure.code, json.loads(failure.read())


def main(application_file):
    with open(application_file, encoding="utf-8") as handle:
        application = handle.read()
    bad = publish({"applicationId": "arn:aws:lambda:us-east-1:172664222583:function:x", "semanticVersion": "1.2.0", "templateBody": application})
    published = publish({"applicationId": APPLICATION_ID, "semanticVersion": "1.2.0", "templateBody": application})
    unknown = error(CFN.create_stack, StackName="wire-apps", TemplateBody=PARENT, Capabilities=["CAPABILITY_AUTO_EXPAND"],
                    Parameters=[{"ParameterKey": "Version", "ParameterValue": "9.9.9"}])
    CFN.create_stack(StackName="wire-apps", TemplateBody=PARENT, Capabilities=["CAPABILITY_AUTO_EXPAND"], Tags=[{"Key": "team", "Value": "ops"}])
    stack = settle(CFN, "wire-apps")
    processed = CFN.get_template(StackName="wire-apps", TemplateStage="Processed")["TemplateBody"]
    processed = processed if isinstance(processed, dict) else json.loads(processed)
    child_id = CFN.describe_stack_resource(StackName="wire-apps", LogicalResourceId="Alerts")["StackResourceDetail"]["PhysicalResourceId"]
    child = CFN.describe_stacks(StackName=child_id)["Stacks"][0]
    CFN.delete_stack(StackName="wire-apps")
    settle(CFN, stack["StackId"])
    return {
        "bad": [bad[0], bad[1].get("error")],
        "published": [published[0], published[1]],
        "unknown": unknown,
        "status": stack["StackStatus"],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        "processed": processed["Resources"]["Alerts"],
        "child": [child["StackStatus"], child.get("ParentId") == stack["StackId"], {o["OutputKey"]: o["OutputValue"] for o in child.get("Outputs", [])},
                  {t["Key"]: t["Value"] for t in child.get("Tags", [])}],
        "childAfterDelete": CFN.describe_stacks(StackName=child_id)["Stacks"][0]["StackStatus"],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), default=str, separators=(",", ":")))
