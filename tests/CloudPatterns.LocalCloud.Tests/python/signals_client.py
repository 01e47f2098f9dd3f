"""Resource signals through boto3 and cfn-signal's HTTP PUT: WaitCondition with a handle, CreationPolicy with
SignalResource, timeouts on the simulated clock, FAILURE signals, and emulated instances whose user data runs cfn-signal.

Usage: python3 signals_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come
from the environment. Prints one JSON object.
"""
import json
import time
import urllib.error
import urllib.request

from localcloud import URL, client, error, settle

INSTANCE = {"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro"}
HANDLE_AND_WAIT = {
    "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
    "Wait": {"Type": "AWS::CloudFormation::WaitCondition", "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "600", "Count": "2"}},
}


def template(resources, outputs=None):
    return json.dumps({"Resources": resources, "Outputs": outputs or {}})


def signalled(instance_id="Web", count=1, timeout="PT10M", user_data=None):
    properties = dict(INSTANCE, UserData={"Fn::Base64": user_data}) if user_data else INSTANCE
    return {instance_id: {"Type": "AWS::EC2::Instance", "Properties": properties,
                          "CreationPolicy": {"ResourceSignal": {"Count": count, "Timeout": timeout}}}}


def put(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT", headers={"Content-Type": ""})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as failure:
        return failure.code


def admin(method, path, body):
    request = urllib.request.Request(f"{URL}/_localcloud/{path}", data=json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def physical_id(cfn, stack, logical_id):
    return cfn.describe_stack_resource(StackName=stack, LogicalResourceId=logical_id)["StackResourceDetail"]["PhysicalResourceId"]


def wait_for(cfn, stack, logical_id, status):
    for _ in range(200):
        resources = cfn.describe_stack_resources(StackName=stack)["StackResources"]
        if any(r["LogicalResourceId"] == logical_id and r["ResourceStatus"] == status for r in resources):
            return True
        time.sleep(0.05)
    return False


def reasons(cfn, stack, logical_id):
    return [event.get("ResourceStatusReason") for event in reversed(cfn.describe_stack_events(StackName=stack)["StackEvents"])
            if event["LogicalResourceId"] == logical_id]


def main():
    cfn = client("cloudformation")
    result = {}

    stack_id = cfn.create_stack(StackName="signals", TemplateBody=template(dict(HANDLE_AND_WAIT, **signalled()),
                                                                             {"Data": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}}}))["StackId"]
    wait_for(cfn, stack_id, "Web", "CREATE_IN_PROGRESS")
    wait_for(cfn, stack_id, "Wait", "CREATE_IN_PROGRESS")
    handle_url = physical_id(cfn, stack_id, "Handle")
    result["waiting"] = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    result["handlePut"] = [put(handle_url, {"Status": "SUCCESS", "Reason": "first", "UniqueId": "a", "Data": "one"}),
                           put(handle_url, {"Status": "SUCCESS", "Reason": "second", "UniqueId": "b", "Data": "two"}),
                           put(handle_url, {"Status": "MAYBE", "UniqueId": "c"})]
    result["badStatus"] = error(cfn.signal_resource, StackName="signals", LogicalResourceId="Web", UniqueId="i-web1", Status="MAYBE")
    cfn.signal_resource(StackName="signals", LogicalResourceId="Web", UniqueId="i-web1", Status="SUCCESS")
    done = settle(cfn, stack_id)
    result["created"] = [done["StackStatus"], json.loads(done["Outputs"][0]["OutputValue"]), reasons(cfn, stack_id, "Web")]
    result["lateSignal"] = error(cfn.signal_resource, StackName="signals", LogicalResourceId="Web", UniqueId="i-web2", Status="SUCCESS")

    failing = cfn.create_stack(StackName="wait-failure", TemplateBody=template(HANDLE_AND_WAIT))["StackId"]
    wait_for(cfn, failing, "Wait", "CREATE_IN_PROGRESS")
    put(physical_id(cfn, failing, "Handle"), {"Status": "FAILURE", "Reason": "Configuration failed.", "UniqueId": "i-1", "Data": ""})
    result["waitFailure"] = [settle(cfn, failing)["StackStatus"], [r for r in reasons(cfn, failing, "Wait") if r][-1]]

    booting = cfn.create_stack(StackName="booting", TemplateBody=template(signalled(count=2, user_data={
        "Fn::Sub": "#!/bin/bash\nyum install -y httpd\n/opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Web --region ${AWS::Region}\n"})))["StackId"]
    boot_reasons = None
    status = settle(cfn, booting)["StackStatus"]
    boot_reasons = [r for r in reasons(cfn, booting, "Web") if r and r.startswith("Received")]
    result["booted"] = [status, len(boot_reasons), all(r.startswith("Received SUCCESS signal with UniqueId i-") for r in boot_reasons)]
    result["switch"] = admin("PUT", "cloudformation/instance-boot", {"status": "FAILURE"})["status"]
    broken = cfn.create_stack(StackName="booting-fails", TemplateBody=template(signalled(user_data="#!/bin/bash\ncfn-signal -e 1 --resource Web\n")))["StackId"]
    broken_status = settle(cfn, broken)["StackStatus"]
    admin("PUT", "cloudformation/instance-boot", {"status": "SUCCESS"})
    failed_reason = next(event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=broken)["StackEvents"]
                         if event["LogicalResourceId"] == "Web" and event["ResourceStatus"] == "CREATE_FAILED")
    result["bootFailure"] = [broken_status, failed_reason.startswith("Received FAILURE signal with UniqueId i-")]

    timing_out = cfn.create_stack(StackName="signal-timeout", TemplateBody=template(signalled(timeout="PT30M")))["StackId"]
    wait_for(cfn, timing_out, "Web", "CREATE_IN_PROGRESS")
    time.sleep(0.3)
    result["beforeTimeout"] = cfn.describe_stacks(StackName=timing_out)["Stacks"][0]["StackStatus"]
    admin("POST", "clock", {"advance": "PT31M"})
    result["timedOut"] = [settle(cfn, timing_out)["StackStatus"], [r for r in reasons(cfn, timing_out, "Web") if r and "signal" in r]]

    cfn.delete_stack(StackName="signals")
    result["deleted"] = [settle(cfn, stack_id)["StackStatus"], put(handle_url, {"Status": "SUCCESS", "UniqueId": "late"})]
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
