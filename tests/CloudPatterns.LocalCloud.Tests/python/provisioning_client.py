"""CloudFormation stacks whose resources live in LocalCloud's services, seen through each service's API with boto3.

Usage: python3 provisioning_client.py <scenario> [arguments]; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import os
import sys
import time
import urllib.request


from localcloud import URL, client, error, settle


def reason(cfn, stack, logical_id, status):
    return next(e.get("ResourceStatusReason") for e in cfn.describe_stack_events(StackName=stack)["StackEvents"]
                if e["LogicalResourceId"] == logical_id and e["ResourceStatus"] == status)


def services(stack, template_path, template_bucket):
    """Creates the stack from a TemplateURL, reads every resource through its service, drifts, updates, deletes."""
    cfn, s3, sns, cloudwatch = client("cloudformation"), client("s3"), client("sns"), client("cloudwatch")
    dynamodb, ec2, rds = client("dynamodb"), client("ec2"), client("rds")
    region = os.environ["AWS_DEFAULT_REGION"]
    template = open(template_path).read()
    s3.create_bucket(Bucket=template_bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=template_bucket, Key="stacks/services.yaml", Body=template.encode())
    result = {
        "validated": cfn.validate_template(TemplateURL=f"https://{template_bucket}.s3.amazonaws.com/stacks/services.yaml")["Description"],
        "summaryTypes": len(cfn.get_template_summary(TemplateURL=f"https://s3.{region}.amazonaws.com/{template_bucket}/stacks/services.yaml")["ResourceTypes"]),
        "missingObject": error(cfn.validate_template, TemplateURL=f"https://{template_bucket}.s3.{region}.amazonaws.com/stacks/missing.yaml"),
        "notS3": error(cfn.validate_template, TemplateURL="https://example.com/services.yaml"),
    }
    stack_id = cfn.create_stack(StackName=stack, TemplateURL=f"{URL}/{template_bucket}/stacks/services.yaml")["StackId"]
    created = settle(cfn, stack)
    result["status"] = created["StackStatus"]
    result["outputs"] = {o["OutputKey"]: o["OutputValue"] for o in created.get("Outputs", [])}
    ids = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
    result["ids"] = ids
    data, topic, alarm = ids["DataBucket"], ids["AlertTopic"], ids["ErrorAlarm"]
    result["s3"] = {
        "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"] in ids.values()),
        "versioning": s3.get_bucket_versioning(Bucket=data)["Status"],
        "encryption": s3.get_bucket_encryption(Bucket=data)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"],
        "publicAccessBlock": s3.get_public_access_block(Bucket=data)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
        "logging": s3.get_bucket_logging(Bucket=data)["LoggingEnabled"],
        "tags": s3.get_bucket_tagging(Bucket=data)["TagSet"],
        "policy": json.loads(s3.get_bucket_policy(Bucket=data)["Policy"])["Statement"][0]["Sid"],
        "objectLock": s3.get_object_lock_configuration(Bucket=ids["LockedBucket"])["ObjectLockConfiguration"]["Rule"]["DefaultRetention"],
    }
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    result["sns"] = {
        "displayName": attributes["DisplayName"],
        "policy": json.loads(attributes["Policy"])["Statement"][0]["Sid"],
        "subscriptions": [(s["Protocol"], s["Endpoint"], s["SubscriptionArn"] == ids["OnCall"]) for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]],
    }
    described = cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
    result["alarm"] = {"threshold": described["Threshold"], "actions": described["AlarmActions"], "arn": described["AlarmArn"]}
    table = dynamodb.describe_table(TableName=ids["Orders"])["Table"]
    result["table"] = [table["TableName"], table["KeySchema"][0]["AttributeName"], table["TableArn"]]
    volume = ec2.describe_volumes(VolumeIds=[ids["Scratch"]])["Volumes"][0]
    result["volume"] = [volume["AvailabilityZone"], volume["Size"], volume["VolumeType"], volume["Encrypted"], volume["Tags"]]
    database = rds.describe_db_instances(DBInstanceIdentifier=ids["Database"])["DBInstances"][0]
    result["database"] = [database["Engine"], database["DBInstanceClass"], database["AllocatedStorage"]]

    # Names already taken: CloudFormation refuses to take the resources over.
    clashes = {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": data}},
               "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": topic.split(":")[-1]}}}
    result["clashes"] = []
    for logical_id, resource in clashes.items():
        cfn.create_stack(StackName=f"clash-{logical_id.lower()}", TemplateBody=json.dumps({"Resources": {logical_id: resource}}))
        result["clashes"].append([settle(cfn, f"clash-{logical_id.lower()}")["StackStatus"], reason(cfn, f"clash-{logical_id.lower()}", logical_id, "CREATE_FAILED")])

    # Out of band, through the services' own APIs: versioning suspended, the alarm's threshold raised.
    s3.put_bucket_versioning(Bucket=data, VersioningConfiguration={"Status": "Suspended"})
    cloudwatch.put_metric_alarm(AlarmName=alarm, AlarmDescription="Too many errors", Namespace="CloudPatterns/Test", MetricName="Errors",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=95, ComparisonOperator="GreaterThanThreshold",
                                AlarmActions=[topic])
    detection = cfn.detect_stack_drift(StackName=stack)["StackDriftDetectionId"]
    for _ in range(300):
        status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
            break
        time.sleep(0.1)
    result["drift"] = [status["StackDriftStatus"], status["DriftedStackResourceCount"]]
    drifts = cfn.describe_stack_resource_drifts(StackName=stack, StackResourceDriftStatusFilters=["MODIFIED"])["StackResourceDrifts"]
    result["differences"] = sorted(f'{d["LogicalResourceId"]}{p["PropertyPath"]}:{p["ExpectedValue"]}->{p["ActualValue"]}:{p["DifferenceType"]}'
                                   for d in drifts for p in d["PropertyDifferences"])

    # UpdateStack compares templates, not live state: the same template is no update. A drift-aware change set
    # (DeploymentMode REVERT_DRIFT) puts the drifted resources back.
    result["sameTemplate"] = error(cfn.update_stack, StackName=stack, UsePreviousTemplate=True)
    cfn.create_change_set(StackName=stack, ChangeSetName="revert-drift", UsePreviousTemplate=True, DeploymentMode="REVERT_DRIFT")
    change_set = cfn.describe_change_set(StackName=stack, ChangeSetName="revert-drift")
    result["revertChanges"] = sorted(f'{c["ResourceChange"]["LogicalResourceId"]}:{c["ResourceChange"]["Action"]}:{c["ResourceChange"]["ResourceDriftStatus"]}:'
                                     + ",".join(d["Target"]["Name"] for d in c["ResourceChange"]["Details"]) for c in change_set["Changes"])
    result["deploymentMode"] = change_set["DeploymentMode"]
    cfn.execute_change_set(StackName=stack, ChangeSetName="revert-drift")
    result["revertStatus"] = settle(cfn, stack)["StackStatus"]
    result["reverted"] = [s3.get_bucket_versioning(Bucket=data)["Status"], cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["Threshold"]]

    # A template change to a drifted resource applies its whole configuration again, drifted properties included.
    cloudwatch.put_metric_alarm(AlarmName=alarm, AlarmDescription="Too many errors", Namespace="CloudPatterns/Test", MetricName="Errors",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=95, ComparisonOperator="GreaterThanThreshold",
                                AlarmActions=[topic])
    cfn.update_stack(StackName=stack, TemplateBody=template.replace("Too many errors", "Too many errors in a minute"))
    result["updated"] = settle(cfn, stack)["StackStatus"]
    described = cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
    result["updatedAlarm"] = [described["AlarmDescription"], described["Threshold"]]

    # A bucket with objects refuses deletion; emptied, the stack goes and takes every resource with it.
    s3.put_object(Bucket=data, Key="evidence.txt", Body=b"kept")
    cfn.delete_stack(StackName=stack)
    result["deleteBlocked"] = [settle(cfn, stack_id)["StackStatus"], reason(cfn, stack_id, "DataBucket", "DELETE_FAILED")]
    for version in s3.list_object_versions(Bucket=data).get("Versions", []):
        s3.delete_object(Bucket=data, Key=version["Key"], VersionId=version["VersionId"])
    cfn.delete_stack(StackName=stack)
    result["deleted"] = settle(cfn, stack_id)["StackStatus"]
    result["gone"] = [
        error(s3.head_bucket, Bucket=data),
        error(dynamodb.describe_table, TableName=ids["Orders"]),
        error(ec2.describe_volumes, VolumeIds=[ids["Scratch"]]),
        error(rds.describe_db_instances, DBInstanceIdentifier=ids["Database"]),
        len(cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]),
        topic in [t["TopicArn"] for t in sns.list_topics()["Topics"]],
    ]
    return result


def pagination(region, stack_count):
    """Many stacks, and one stack with many resources, events and exports, read through boto3's paginators."""
    cfn = client("cloudformation", region)
    for index in range(int(stack_count)):
        cfn.create_stack(StackName=f"page-{index:03}", TemplateBody='{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}')
    resources = {f"Queue{index:03}": {"Type": "AWS::SQS::Queue"} for index in range(110)}
    outputs = {f"Queue{index:03}": {"Value": {"Ref": f"Queue{index:03}"}, "Export": {"Name": f"queue-{index:03}"}} for index in range(110)}
    cfn.create_stack(StackName="many", TemplateBody=json.dumps({"Resources": resources, "Outputs": outputs}))
    settle(cfn, "many")

    def pages(operation, key, **kwargs):
        counts = [len(page[key]) for page in cfn.get_paginator(operation).paginate(**kwargs)]
        return counts

    return {
        "describeStacks": pages("describe_stacks", "Stacks"),
        "listStacks": pages("list_stacks", "StackSummaries"),
        "events": pages("describe_stack_events", "StackEvents", StackName="many"),
        "resources": pages("list_stack_resources", "StackResourceSummaries", StackName="many"),
        "exports": pages("list_exports", "Exports"),
        "badToken": error(cfn.describe_stacks, NextToken="not-a-token"),
    }


def deletion_protection(stack):
    """RDS instances with deletion protection: the API and the stack refuse to delete them until it is turned off,
    through the API (the stack that failed to delete goes then) or by a stack update (in place, no replacement)."""
    cfn, rds = client("cloudformation"), client("rds")
    template = json.dumps({
        "Parameters": {"Name": {"Type": "String"}, "Protected": {"Type": "String", "AllowedValues": ["true", "false"]}},
        "Resources": {"Database": {"Type": "AWS::RDS::DBInstance", "Properties": {
            "DBInstanceIdentifier": {"Ref": "Name"}, "Engine": "postgres", "DBInstanceClass": "db.t4g.micro", "AllocatedStorage": "20",
            "MasterUsername": "app", "ManageMasterUserPassword": True, "DeletionProtection": {"Ref": "Protected"}}}},
    })

    def create(name):
        parameters = [{"ParameterKey": "Name", "ParameterValue": name}, {"ParameterKey": "Protected", "ParameterValue": "true"}]
        stack_id = cfn.create_stack(StackName=name, TemplateBody=template, Parameters=parameters)["StackId"]
        return stack_id, settle(cfn, stack_id)["StackStatus"]

    def protected(database):
        return rds.describe_db_instances(DBInstanceIdentifier=database)["DBInstances"][0]["DeletionProtection"]

    def delete(stack_id, database):
        cfn.delete_stack(StackName=stack_id)
        return [settle(cfn, stack_id)["StackStatus"], error(rds.describe_db_instances, DBInstanceIdentifier=database)]

    # Through the API: refused; the stack's deletion fails on the instance; turned off (and on and off), it goes.
    database = f"{stack}-api"
    stack_id, status = create(database)
    result = {"created": [status, protected(database)]}
    result["apiDelete"] = error(rds.delete_db_instance, DBInstanceIdentifier=database, SkipFinalSnapshot=True)
    cfn.delete_stack(StackName=stack_id)
    result["stackDelete"] = [settle(cfn, stack_id)["StackStatus"], reason(cfn, stack_id, "Database", "DELETE_FAILED"), protected(database)]
    modified = rds.modify_db_instance(DBInstanceIdentifier=database, DeletionProtection=False, ApplyImmediately=True)["DBInstance"]["DeletionProtection"]
    rds.modify_db_instance(DBInstanceIdentifier=database, DeletionProtection=True, ApplyImmediately=True)
    turned_on_again = protected(database)
    rds.modify_db_instance(DBInstanceIdentifier=database, DeletionProtection=False)
    result["modified"] = [modified, turned_on_again, protected(database)]
    result["deletedAfterModify"] = delete(stack_id, database)

    # By a stack update: the instance is modified in place, then the stack goes.
    database = f"{stack}-update"
    stack_id, status = create(database)
    cfn.update_stack(StackName=stack_id, UsePreviousTemplate=True,
                     Parameters=[{"ParameterKey": "Name", "UsePreviousValue": True}, {"ParameterKey": "Protected", "ParameterValue": "false"}])
    updated = settle(cfn, stack_id)["StackStatus"]
    replacements = [e for e in cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
                    if "requires the creation of a new physical resource" in (e.get("ResourceStatusReason") or "")]
    result["updated"] = [status, updated, protected(database), len(replacements)]
    result["deletedAfterUpdate"] = delete(stack_id, database)
    return result


def restore_unprotected(account_id, database):
    """A protected instance backed up and restored: the restored instance has AWS's default, no deletion protection."""
    rds, backup = client("rds"), client("backup")
    region = os.environ["AWS_DEFAULT_REGION"]
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"

    def advance_clock():
        request = urllib.request.Request(f"{URL}/_localcloud/clock", data=b'{"advance":"PT1H"}', method="POST")
        urllib.request.urlopen(request).close()

    rds.modify_db_instance(DBInstanceIdentifier=database, DeletionProtection=True, ApplyImmediately=True)
    backup.create_backup_vault(BackupVaultName="protection-vault")
    point = backup.start_backup_job(BackupVaultName="protection-vault", IamRoleArn=role,
                                    ResourceArn=f"arn:aws:rds:{region}:{account_id}:db:{database}")["RecoveryPointArn"]
    advance_clock()
    job = backup.start_restore_job(RecoveryPointArn=point, IamRoleArn=role, Metadata={"DBInstanceIdentifier": f"{database}-restored"})["RestoreJobId"]
    advance_clock()

    def protected(identifier):
        return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["DeletionProtection"]

    result = {"restore": [backup.describe_restore_job(RestoreJobId=job)["Status"], protected(database), protected(f"{database}-restored")]}
    result["deleted"] = rds.delete_db_instance(DBInstanceIdentifier=f"{database}-restored", SkipFinalSnapshot=True)["DBInstance"]["DBInstanceStatus"]
    result["sourceRefuses"] = error(rds.delete_db_instance, DBInstanceIdentifier=database, SkipFinalSnapshot=True)
    return result


SCENARIOS = {"services": services, "pagination": pagination, "deletion_protection": deletion_protection, "restore_unprotected": restore_unprotected}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:])))
