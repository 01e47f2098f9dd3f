"""What the boto3 scripts share: a client for LocalCloud, a refusal as "Code: Message", waiting for a stack.

LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment.
"""
import os
import time

import boto3
import botocore.config
import botocore.exceptions

URL = os.environ["LOCALCLOUD_URL"]
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, region=None, **credentials):
    return boto3.client(service, endpoint_url=URL, region_name=region or os.environ["AWS_DEFAULT_REGION"], config=CONFIG, **credentials)


def error(function, **kwargs):
    """None when the call succeeds, else "Code: Message"."""
    try:
        function(**kwargs)
        return None
    except botocore.exceptions.ClientError as failure:
        return f'{failure.response["Error"]["Code"]}: {failure.response["Error"]["Message"]}'


def settle(cfn, stack, seconds=30):
    """The stack (name or id) once no operation is in progress on it (waiting up to about <seconds>)."""
    for _ in range(seconds * 10):
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]
        if not status["StackStatus"].endswith("_IN_PROGRESS"):
            return status
        time.sleep(0.1)
    raise TimeoutError(stack)
