"""A stack whose intrinsic functions take values known only once resources exist, through boto3.

Usage: python3 late_values_client.py <template>; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time


from localcloud import client, settle


def main(template_path):
    cfn = client("cloudformation")
    template = open(template_path).read()
    result = {"validated": cfn.validate_template(TemplateBody=template)["Description"]}
    cfn.create_stack(StackName="late-values", TemplateBody=template)
    created = settle(cfn, "late-values")
    result["created"] = [created["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in created["Outputs"]}]
    cfn.update_stack(StackName="late-values", TemplateBody=template, Parameters=[{"ParameterKey": "SubnetBits", "ParameterValue": "6"}])
    updated = settle(cfn, "late-values")
    result["updated"] = [updated["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in updated["Outputs"]}]
    events = cfn.describe_stack_events(StackName="late-values")["StackEvents"]
    result["placeholderShown"] = "KnownAfterApply" in json.dumps(events, default=str)
    cfn.delete_stack(StackName="late-values")
    for _ in range(300):
        summaries = cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
        if summaries:
            result["deleted"] = summaries[0]["StackStatus"]
            break
        time.sleep(0.1)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
