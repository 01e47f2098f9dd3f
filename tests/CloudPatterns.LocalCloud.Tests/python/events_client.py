"""EventBridge through boto3: rules with patterns, Lambda targets with and without the invoking permission, PutEvents,
and AWS Backup's job state-change events on the default bus.

Usage: python3 events_client.py ZIP ACCOUNT_ID; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID (the account's admin),
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time
import urllib.request

from localcloud import URL, client, error

PREFIX = "CloudPatterns.LocalCloud.TestFunction::CloudPatterns.LocalCloud.TestFunction.Handlers::"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def advance_clock(duration):
    request = urllib.request.Request(f"{URL}/_localcloud/clock", data=json.dumps({"advance": duration}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()


def recorded(logs, function, count):
    """The events the recorder function logged, once there are at least COUNT (or after 90 s)."""
    events = []
    for _ in range(450):
        try:
            found = logs.filter_log_events(logGroupName=f"/aws/lambda/{function}", filterPattern='"event "')["events"]
        except logs.exceptions.ResourceNotFoundException:
            found = []
        events = [json.loads(item["message"][len("event "):]) for item in found if item["message"].startswith("event ")]
        if len(events) >= count:
            break
        time.sleep(0.2)
    return events


def metric_sum(cloudwatch, name, rule):
    now = time.time()
    points = cloudwatch.get_metric_statistics(Namespace="AWS/Events", MetricName=name, Dimensions=[{"Name": "RuleName", "Value": rule}],
                                              StartTime=now - 10 * 86400, EndTime=now + 10 * 86400, Period=86400 * 30, Statistics=["Sum"])
    return sum(point["Sum"] for point in points["Datapoints"])


def main(zip_path, account_id):
    code = open(zip_path, "rb").read()
    iam, fn, events, backup, logs, cloudwatch = client("iam"), client("lambda"), client("events"), client("backup"), client("logs"), client("cloudwatch")
    region = events.meta.region_name
    role = iam.create_role(RoleName="recorder-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    function = fn.create_function(FunctionName="recorder", Handler=PREFIX + "Record", Code={"ZipFile": code}, Runtime="dotnet8", Role=role, Timeout=30)["FunctionArn"]
    result = {"functionArn": function}

    orders = events.put_rule(Name="big-orders", EventPattern=json.dumps({"source": ["app.orders"], "detail": {"amount": [{"numeric": [">", 100]}]}}))["RuleArn"]
    result["ruleArn"] = orders
    events.put_targets(Rule="big-orders", Targets=[{"Id": "recorder", "Arn": function}])
    result["badPattern"] = error(events.put_rule, Name="bad", EventPattern='{"source": "not-an-array"}')
    result["noPatternNorSchedule"] = error(events.put_rule, Name="bad")

    def order(n, amount):
        return {"Source": "app.orders", "DetailType": "Order Placed", "Detail": json.dumps({"n": n, "amount": amount})}

    # Without the function's permission for events.amazonaws.com the invocation fails (FailedInvocations).
    result["put1"] = events.put_events(Entries=[order(1, 150)])["FailedEntryCount"]
    for _ in range(150):
        if metric_sum(cloudwatch, "FailedInvocations", "big-orders") >= 1:
            break
        time.sleep(0.2)
    result["failedInvocations"] = metric_sum(cloudwatch, "FailedInvocations", "big-orders")
    # A permission for another rule does not do either.
    fn.add_permission(FunctionName="recorder", StatementId="other-rule", Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                      SourceArn=orders.replace("big-orders", "other-rule"))
    fn.add_permission(FunctionName="recorder", StatementId="big-orders", Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=orders)
    put = events.put_events(Entries=[order(2, 150), order(3, 50),
                                     {"Source": "aws.backup", "DetailType": "Fake", "Detail": "{}"},
                                     {"Source": "app.orders", "DetailType": "Order Placed", "Detail": "not json"},
                                     {"DetailType": "x", "Detail": "{}"}])
    result["put2"] = {"failed": put["FailedEntryCount"], "entries": [entry.get("ErrorCode") or "ok" for entry in put["Entries"]],
                      "messages": [entry.get("ErrorMessage") for entry in put["Entries"]]}

    # AWS Backup: a copy job's state changes reach a rule on the default bus.
    events.put_rule(Name="copies-completed", EventPattern=json.dumps(
        {"source": ["aws.backup"], "detail-type": ["Copy Job State Change"], "detail": {"state": ["COMPLETED"]}}))
    rule = events.describe_rule(Name="copies-completed")["Arn"]
    fn.add_permission(FunctionName="recorder", StatementId="copies", Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=rule)
    events.put_targets(Rule="copies-completed", Targets=[{"Id": "recorder", "Arn": function}])
    backup_role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    backup.create_backup_vault(BackupVaultName="events-source")
    destination = backup.create_backup_vault(BackupVaultName="events-copies")["BackupVaultArn"]
    job = backup.start_backup_job(BackupVaultName="events-source", IamRoleArn=backup_role,
                                  ResourceArn=f"arn:aws:rds:{region}:{account_id}:db:production-db")
    advance_clock("PT1H")
    copy = backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="events-source",
                                 DestinationBackupVaultArn=destination, IamRoleArn=backup_role)
    advance_clock("PT1H")
    result["copyJobId"] = copy["CopyJobId"]
    result["copyJob"] = backup.describe_copy_job(CopyJobId=copy["CopyJobId"])["CopyJob"]["DestinationRecoveryPointArn"]
    result["recoveryPointArn"] = job["RecoveryPointArn"]
    result["events"] = recorded(logs, "recorder", 2)
    return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
