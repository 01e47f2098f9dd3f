"""Intrinsic functions in DeletionPolicy/UpdateReplacePolicy of a template without AWS::LanguageExtensions, through
boto3: the parameter's value decides whether the stack's deletion keeps the topic.

Usage: python3 policy_functions_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json

from localcloud import client, error, settle

TEMPLATE = {
    "Parameters": {"Policy": {"Type": "String"}, "Name": {"Type": "String"}},
    "Conditions": {"Kept": {"Fn::Equals": [{"Ref": "Policy"}, "Retain"]}},
    "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "DeletionPolicy": {"Ref": "Policy"},
                            "UpdateReplacePolicy": {"Fn::If": ["Kept", "Retain", "Delete"]},
                            "Properties": {"TopicName": {"Ref": "Name"}}}},
}


def topic_exists(sns, name):
    return any(topic["TopicArn"].endswith(":" + name) for topic in sns.list_topics()["Topics"])


def created_and_deleted(cfn, sns, policy, name):
    """The stack's status, the processed template's two policies, and whether the topic outlives the stack."""
    stack = cfn.create_stack(StackName=f"policy-{policy.lower()}", TemplateBody=json.dumps(TEMPLATE),
                             Parameters=[{"ParameterKey": "Policy", "ParameterValue": policy}, {"ParameterKey": "Name", "ParameterValue": name}])["StackId"]
    status = settle(cfn, stack)["StackStatus"]
    processed = cfn.get_template(StackName=stack, TemplateStage="Processed")["TemplateBody"]
    processed = json.loads(processed) if isinstance(processed, str) else processed
    topic = processed["Resources"]["Topic"]
    cfn.delete_stack(StackName=stack)
    settle(cfn, stack)
    return [status, topic["DeletionPolicy"], topic["UpdateReplacePolicy"], topic_exists(sns, name)]


def main():
    cfn, sns = client("cloudformation"), client("sns")
    result = {
        "retain": created_and_deleted(cfn, sns, "Retain", "policy-kept"),
        "delete": created_and_deleted(cfn, sns, "Delete", "policy-gone"),
        # ValidateTemplate knows no value of Policy yet, and accepts the template.
        "validate": error(cfn.validate_template, TemplateBody=json.dumps(TEMPLATE)),
        "refused": error(cfn.create_stack, StackName="policy-bad", TemplateBody=json.dumps(TEMPLATE),
                         Parameters=[{"ParameterKey": "Policy", "ParameterValue": "Keep"}, {"ParameterKey": "Name", "ParameterValue": "policy-bad"}]),
    }
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
