"""One service-managed stack set operation to every account of the Workloads OU in two regions, through boto3.

Usage: python3 stackset.py <template> <region> [<region> ...]; LOCALCLOUD_URL and the management account's
credentials come from the environment. Prints one JSON object: instances, operation status, the operation's
simulated time (LocalCloud's clock, CreationTimestamp to EndTimestamp) and the real time it took.
"""
import json
import os
import sys
import time

import boto3
import botocore.config

URL = os.environ["LOCALCLOUD_URL"]
CONFIG = botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"})


def client(service):
    return boto3.client(service, endpoint_url=URL, region_name="us-east-2", config=CONFIG)


def main(template_path, *regions):
    cfn, org = client("cloudformation"), client("organizations")
    org.enable_aws_service_access(ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = next(unit["Id"] for unit in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"] if unit["Name"] == "Workloads")
    cfn.create_stack_set(StackSetName="bench", TemplateBody=open(template_path, encoding="utf-8").read(), PermissionModel="SERVICE_MANAGED",
                         Capabilities=["CAPABILITY_NAMED_IAM"], Parameters=[{"ParameterKey": "VaultAccountId", "ParameterValue": "222222222222"}],
                         AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False})
    started = time.monotonic()
    operation_id = cfn.create_stack_instances(
        StackSetName="bench", DeploymentTargets={"OrganizationalUnitIds": [workloads]}, Regions=list(regions),
        OperationPreferences={"RegionConcurrencyType": "PARALLEL", "MaxConcurrentPercentage": 100, "FailureTolerancePercentage": 100})["OperationId"]
    while True:
        operation = cfn.describe_stack_set_operation(StackSetName="bench", OperationId=operation_id)["StackSetOperation"]
        if operation["Status"] not in ("RUNNING", "QUEUED"):
            break
        time.sleep(0.2)
    real = time.monotonic() - started
    instances = sum(len(page["Summaries"]) for page in cfn.get_paginator("list_stack_instances").paginate(StackSetName="bench"))
    simulated = (operation["EndTimestamp"] - operation["CreationTimestamp"]).total_seconds()
    return {"instances": instances, "status": operation["Status"], "failed": operation["StatusDetails"]["FailedStackInstancesCount"],
            "simulated_s": simulated, "real_s": real}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
