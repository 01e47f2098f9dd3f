"""Templates with transforms through boto3: AWS::LanguageExtensions, AWS::Include, SAM and a macro.

Usage: python3 transforms_client.py <scenario> <template folder>; scenarios: language-extensions, include, serverless,
refusals. LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment.
Prints one JSON object.
"""
import io
import json
import os
import sys
import zipfile

from localcloud import client, error, settle

CFN = client("cloudformation")
AUTO = ["CAPABILITY_AUTO_EXPAND"]


def body(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return handle.read()


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def resources(name):
    return sorted(f'{r["LogicalResourceId"]}:{r["ResourceType"]}:{r["ResourceStatus"]}'
                  for r in CFN.list_stack_resources(StackName=name)["StackResourceSummaries"])


def processed(name):
    text = CFN.get_template(StackName=name, TemplateStage="Processed")["TemplateBody"]
    return text if isinstance(text, dict) else json.loads(text)


def delete(name):
    stack_id = CFN.describe_stacks(StackName=name)["Stacks"][0]["StackId"]
    CFN.delete_stack(StackName=name)
    return settle(CFN, stack_id)["StackStatus"]


def language_extensions(folder):
    template = body(folder, "language-extensions.yaml")
    result = {"withoutCapability": error(CFN.create_stack, StackName="loops", TemplateBody=template)}
    validated = CFN.validate_template(TemplateBody=template)
    result["validated"] = [validated["DeclaredTransforms"], validated["Capabilities"]]
    CFN.create_stack(StackName="loops", TemplateBody=template, Capabilities=AUTO)
    created = settle(CFN, "loops")
    result["created"] = [created["StackStatus"], outputs(created), resources("loops")]
    result["original"] = "Fn::ForEach::TopicsAndQueues" in CFN.get_template(StackName="loops")["TemplateBody"]
    result["processed"] = processed("loops")
    CFN.update_stack(StackName="loops", TemplateBody=template, Capabilities=AUTO,
                     Parameters=[{"ParameterKey": "Topics", "ParameterValue": "Orders,Refunds"},
                                 {"ParameterKey": "Retain", "ParameterValue": "true"}])
    updated = settle(CFN, "loops")
    result["updated"] = [updated["StackStatus"], outputs(updated), resources("loops")]
    result["updatedPolicy"] = processed("loops")["Resources"]["RefundsTopic"]["DeletionPolicy"]
    result["deleted"] = delete("loops")
    return result


def include(folder):
    s3 = client("s3")
    s3.create_bucket(Bucket="corp-snippets", CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_DEFAULT_REGION"]})
    template = body(folder, "include.yaml")
    parameters = [{"ParameterKey": "SnippetBucket", "ParameterValue": "corp-snippets"}]
    result = {"missing": error(CFN.create_stack, StackName="included", TemplateBody=template, Capabilities=AUTO, Parameters=parameters)}
    s3.put_object(Bucket="corp-snippets", Key="top.yaml", Body=b"Resources:\n  Extra:\n    Type: AWS::SNS::Topic\nOutputs:\n  ExtraArn:\n    Value: !Ref Extra\n")
    s3.put_object(Bucket="corp-snippets", Key="topic-properties.json", Body=b'{"TopicName": "included-topic"}')
    CFN.create_stack(StackName="included", TemplateBody=template, Capabilities=AUTO, Parameters=parameters)
    created = settle(CFN, "included")
    result["created"] = [created["StackStatus"], sorted(outputs(created)), resources("included")]
    result["topics"] = sorted(t["TopicArn"].split(":")[-1] for t in client("sns").list_topics()["Topics"])
    result["processed"] = processed("included")["Resources"]["Queue"]
    result["deleted"] = delete("included")
    return result


def serverless(folder):
    # The code and layer the template points at must exist: CloudFormation's Lambda reads CodeUri's object from S3.
    s3 = client("s3")
    s3.create_bucket(Bucket="corp-artifacts", CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_DEFAULT_REGION"]})
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    for key in ("items.zip", "layer.zip"):
        s3.put_object(Bucket="corp-artifacts", Key=key, Body=package.getvalue())
    template = body(folder, "serverless.yaml")
    result = {"withoutIam": error(CFN.create_stack, StackName="sam", TemplateBody=template, Capabilities=AUTO)}
    change_set = CFN.create_change_set(StackName="sam", ChangeSetName="review", ChangeSetType="CREATE", TemplateBody=template,
                                       Capabilities=["CAPABILITY_IAM"])
    changes = CFN.describe_change_set(ChangeSetName=change_set["Id"])["Changes"]
    result["changeSet"] = sorted(f'{c["ResourceChange"]["LogicalResourceId"]}:{c["ResourceChange"]["ResourceType"]}' for c in changes)
    CFN.execute_change_set(ChangeSetName="review", StackName="sam")
    created = settle(CFN, "sam")
    result["created"] = [created["StackStatus"], outputs(created)]
    template_out = processed("sam")
    result["processed"] = {name: template_out["Resources"][name] for name in
                           ["ItemsFunction", "ItemsFunctionRole", "Items", "ItemsFunctionNightly", "Uploads", "ServerlessRestApiProdStage", "Flow"]}
    result["processedTypes"] = sorted(f'{k}:{v["Type"]}' for k, v in template_out["Resources"].items())
    result["transformKept"] = "Transform" in template_out or "Globals" in template_out
    result["role"] = client("iam").list_attached_role_policies(RoleName=created and outputs(created)["RoleArn"].split("/")[-1])["AttachedPolicies"]
    result["deleted"] = delete("sam")
    return result


def refusals(folder):
    def create(text, **kwargs):
        return error(CFN.create_stack, StackName="refused", TemplateBody=text, Capabilities=AUTO + ["CAPABILITY_IAM"], **kwargs)

    sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n"
    loop = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n    - Topic:\n        Type: AWS::SNS::Topic\n"
    return {
        "macro": create(body(folder, "macro.yaml")),
        "localCode": create(sam + "      CodeUri: ./src\n"),
        "noCode": create(sam),
        "application": create("Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/none\n        SemanticVersion: 1.0.0\n"),
        "policyTemplate": create(sam + "      InlineCode: x\n      Policies:\n        - NoSuchPolicy: {}\n"),
        "sameKey": create(loop),
        "length": create("Transform: AWS::LanguageExtensions\nResources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  N:\n    Value:\n      Fn::Length: !GetAtt T.TopicName\n"),
        "withoutTransform": create("Resources:\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n    - ${Name}:\n        Type: AWS::SNS::Topic\n"),
        "stacks": [s["StackName"] for s in CFN.list_stacks()["StackSummaries"] if s["StackName"] == "refused"],
    }


if __name__ == "__main__":
    scenario, folder = sys.argv[1], sys.argv[2]
    print(json.dumps({"language-extensions": language_extensions, "include": include, "serverless": serverless,
                      "refusals": refusals}[scenario](folder), default=str, separators=(",", ":")))
