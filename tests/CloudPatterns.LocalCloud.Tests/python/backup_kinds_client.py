"""Backs up and restores the store-backed resource types of LocalCloud's Backup with boto3 and prints one JSON object.

Usage: python3 backup_kinds_client.py s3 <account id>; environment as for boto3_client.py.
"""
import hashlib
import json
import sys
import urllib.request

import boto3

from boto3_client import CONFIG, URL, call, client
from localcloud import settle

FLEET = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}}
  Web: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: web, VpcId: !Ref Vpc}}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.small, NetworkInterfaces: [{DeviceIndex: 0, Groups: [!Ref Web]}]}}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: 1
      MaxSize: 1
      VPCZoneIdentifier: [!Ref SubnetA]
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
      Tags: [{Key: app, Value: orders, PropagateAtLaunch: true}]
Outputs:
  SubnetB: {Value: !Ref SubnetB}
  Web: {Value: !Ref Web}
"""


def advance_clock(duration="PT1H"):
    request = urllib.request.Request(f"{URL}/_localcloud/clock", data=json.dumps({"advance": duration}).encode(), method="POST")
    urllib.request.urlopen(request).close()


def contents(s3, bucket):
    """Every current object of a bucket: key -> SHA-256 of its body."""
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: hashlib.sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest() for key in keys}


def s3_buckets(account_id):
    """A versioned bucket backed up, then restored into a new bucket and into itself after losing objects."""
    s3, backup = client("s3"), client("backup")
    region = s3.meta.region_name
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    where = {"LocationConstraint": region}
    s3.create_bucket(Bucket="kinds-source", CreateBucketConfiguration=where)
    s3.put_bucket_versioning(Bucket="kinds-source", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_tagging(Bucket="kinds-source", Tagging={"TagSet": [{"Key": "app", "Value": "orders"}]})
    s3.put_object(Bucket="kinds-source", Key="orders/1.json", Body=b'{"order": 1}', ContentType="application/json")
    s3.put_object(Bucket="kinds-source", Key="orders/2.json", Body=b'{"order": 2, "v": 1}')
    s3.put_object(Bucket="kinds-source", Key="orders/2.json", Body=b'{"order": 2, "v": 2}')
    s3.put_object(Bucket="kinds-source", Key="gone.txt", Body=b"deleted before the backup")
    s3.delete_object(Bucket="kinds-source", Key="gone.txt")
    s3.create_bucket(Bucket="kinds-unversioned", CreateBucketConfiguration=where)
    backup.create_backup_vault(BackupVaultName="kinds")
    source = contents(s3, "kinds-source")

    result = {
        "Unversioned": call(backup.start_backup_job, BackupVaultName="kinds", IamRoleArn=role, ResourceArn="arn:aws:s3:::kinds-unversioned"),
        "Missing": call(backup.start_backup_job, BackupVaultName="kinds", IamRoleArn=role, ResourceArn="arn:aws:s3:::kinds-no-such-bucket"),
        "Backup": call(backup.start_backup_job, BackupVaultName="kinds", IamRoleArn=role, ResourceArn="arn:aws:s3:::kinds-source"),
    }
    point = result["Backup"]["RecoveryPointArn"]
    advance_clock()
    result["BackupJob"] = call(backup.describe_backup_job, BackupJobId=result["Backup"]["BackupJobId"])
    result["RecoveryPoint"] = call(backup.describe_recovery_point, BackupVaultName="kinds", RecoveryPointArn=point)
    result["RestoreMetadata"] = call(backup.get_recovery_point_restore_metadata, BackupVaultName="kinds", RecoveryPointArn=point)
    result["NoName"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"NewBucket": "true"})
    result["BadNewBucket"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                                  Metadata={"DestinationBucketName": "kinds-restored", "NewBucket": "yes"})

    # After the backup: one object changes, one is deleted, one is added; the restores must not see these.
    s3.put_object(Bucket="kinds-source", Key="orders/1.json", Body=b'{"order": 1, "changed": true}')
    s3.delete_object(Bucket="kinds-source", Key="orders/2.json")
    s3.put_object(Bucket="kinds-source", Key="orders/3.json", Body=b'{"order": 3}')

    to_new = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, CopySourceTagsToRestoredResource=True,
                  Metadata={"DestinationBucketName": "kinds-restored", "NewBucket": "true"})
    in_place = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                    Metadata={"DestinationBucketName": "kinds-source", "NewBucket": "false"})
    taken = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                 Metadata={"DestinationBucketName": "kinds-unversioned", "NewBucket": "true"})
    advance_clock()
    result.update({
        "SourceBefore": source,
        "RestoreToNew": call(backup.describe_restore_job, RestoreJobId=to_new["RestoreJobId"]),
        "RestoreInPlace": call(backup.describe_restore_job, RestoreJobId=in_place["RestoreJobId"]),
        "RestoreToTakenName": call(backup.describe_restore_job, RestoreJobId=taken["RestoreJobId"]),
        "Restored": contents(s3, "kinds-restored"),
        "RestoredVersioning": call(s3.get_bucket_versioning, Bucket="kinds-restored"),
        "RestoredTags": call(s3.get_bucket_tagging, Bucket="kinds-restored"),
        "SourceAfterInPlace": contents(s3, "kinds-source"),
    })
    return result


def fleet_instance(ec2):
    """The instance the FLEET stack launched (the seed's production instance, i-0333..., is not one of them)."""
    reservations = ec2.describe_instances()["Reservations"]
    return [i for r in reservations for i in r["Instances"] if i["InstanceId"] != SEEDED_INSTANCE][0]["InstanceId"]


SEEDED_INSTANCE = "i-03333333333330001"

def ec2_instances(account_id):
    """An instance backed up (an image with its snapshot) and restored into another subnet, booted and terminated."""
    ec2, backup, cfn = client("ec2"), client("backup"), client("cloudformation")
    region = ec2.meta.region_name
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    stack = settle(cfn, cfn.create_stack(StackName="kinds-fleet", TemplateBody=FLEET)["StackId"])
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    source = fleet_instance(ec2)
    backup.create_backup_vault(BackupVaultName="kinds-ec2")
    started = call(backup.start_backup_job, BackupVaultName="kinds-ec2", IamRoleArn=role, ResourceArn=f"arn:aws:ec2:{region}:{account_id}:instance/{source}")
    point = started["RecoveryPointArn"]
    advance_clock()
    result = {
        "Stack": stack["StackStatus"],
        "Source": source,
        "Outputs": outputs,
        "Missing": call(backup.start_backup_job, BackupVaultName="kinds-ec2", IamRoleArn=role, ResourceArn=f"arn:aws:ec2:{region}:{account_id}:instance/i-0000000000000000f"),
        "BackupJob": call(backup.describe_backup_job, BackupJobId=started["BackupJobId"]),
        "Images": call(ec2.describe_images, Owners=["self"]),
        "ImagesBySource": call(ec2.describe_images, Filters=[{"Name": "tag:aws:backup:source-resource", "Values": [source]}]),
        "UnknownImage": call(ec2.describe_images, ImageIds=["ami-0000000000000000f"]),
        "RestoreMetadata": call(backup.get_recovery_point_restore_metadata, BackupVaultName="kinds-ec2", RecoveryPointArn=point),
        "BadGroups": call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"SecurityGroupIds": "sg-1"}),
    }
    restore = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, CopySourceTagsToRestoredResource=True,
                   Metadata={"InstanceType": "t3.micro", "SubnetId": outputs["SubnetB"], "SecurityGroupIds": json.dumps([outputs["Web"]])})
    unknown_group = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"SecurityGroupIds": '["sg-0000000000000000f"]'})
    unknown_subnet = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"SubnetId": "subnet-0000000000000000f"})
    advance_clock()
    result["RestoreJob"] = call(backup.describe_restore_job, RestoreJobId=restore["RestoreJobId"])
    result["UnknownGroupJob"] = call(backup.describe_restore_job, RestoreJobId=unknown_group["RestoreJobId"])
    result["UnknownSubnetJob"] = call(backup.describe_restore_job, RestoreJobId=unknown_subnet["RestoreJobId"])
    restored = result["RestoreJob"]["CreatedResourceArn"].rsplit("/", 1)[1]
    result["Restored"] = call(ec2.describe_instances, InstanceIds=[restored])
    result["RestoredStatus"] = call(ec2.describe_instance_status, InstanceIds=[restored])
    result["Terminate"] = call(ec2.terminate_instances, InstanceIds=[restored])
    result["TerminateUnknown"] = call(ec2.terminate_instances, InstanceIds=["i-0000000000000000f"])
    result["AfterTerminate"] = call(ec2.describe_instances, InstanceIds=[restored])
    result["SourceAfter"] = call(ec2.describe_instances, InstanceIds=[source])
    image = result["Images"]["Images"][0]["ImageId"]
    result["Deregister"] = call(ec2.deregister_image, ImageId=image)
    result["DeregisterAgain"] = call(ec2.deregister_image, ImageId=image)
    gone = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={})
    advance_clock()
    result["ImageGoneJob"] = call(backup.describe_restore_job, RestoreJobId=gone["RestoreJobId"])
    return result


def aurora_clusters(account_id):
    """An Aurora cluster backed up as a cluster snapshot, copied to another region, restored alone into another
    network (no instances: the caller adds one with CreateDBInstance), and the restore's refusals."""
    rds, backup = client("rds"), client("backup")
    region = rds.meta.region_name
    west = boto3.client("backup", endpoint_url=URL, region_name="us-west-2", config=CONFIG)
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    rds.create_db_cluster(DBClusterIdentifier="kinds-aurora", Engine="aurora-postgresql", EngineVersion="16.4", MasterUsername="app",
                          ManageMasterUserPassword=True, DBSubnetGroupName="prod-data", VpcSecurityGroupIds=["sg-0aaaaaaaaaaaaaaa1"],
                          DeletionProtection=True, Tags=[{"Key": "app", "Value": "orders"}])
    for index in (1, 2):
        rds.create_db_instance(DBInstanceIdentifier=f"kinds-aurora-{index}", DBInstanceClass="db.r6g.large", Engine="aurora-postgresql", DBClusterIdentifier="kinds-aurora")
    source = rds.describe_db_clusters(DBClusterIdentifier="kinds-aurora")["DBClusters"][0]
    backup.create_backup_vault(BackupVaultName="kinds-aurora")
    west.create_backup_vault(BackupVaultName="kinds-aurora-west")
    started = call(backup.start_backup_job, BackupVaultName="kinds-aurora", IamRoleArn=role, ResourceArn=source["DBClusterArn"])
    point = started["RecoveryPointArn"]
    advance_clock()
    west_vault = west.describe_backup_vault(BackupVaultName="kinds-aurora-west")["BackupVaultArn"]
    copy = call(backup.start_copy_job, RecoveryPointArn=point, SourceBackupVaultName="kinds-aurora", DestinationBackupVaultArn=west_vault, IamRoleArn=role)
    result = {
        "Backup": started,
        "BackupJob": call(backup.describe_backup_job, BackupJobId=started["BackupJobId"]),
        "RecoveryPoint": call(backup.describe_recovery_point, BackupVaultName="kinds-aurora", RecoveryPointArn=point),
        "RestoreMetadata": call(backup.get_recovery_point_restore_metadata, BackupVaultName="kinds-aurora", RecoveryPointArn=point),
        "BadName": call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"DBClusterIdentifier": "restored--x"}),
        "OtherEngine": call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                            Metadata={"DBClusterIdentifier": "kinds-aurora-r", "Engine": "aurora-mysql"}),
        "Taken": call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"DBClusterIdentifier": "kinds-aurora"}),
    }
    restore = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, CopySourceTagsToRestoredResource=True,
                   Metadata={"DBClusterIdentifier": "Kinds-Aurora-Restored", "DBSubnetGroupName": "dr-data", "VpcSecurityGroupIds": '["sg-0bbbbbbbbbbbbbbb2"]'})
    advance_clock()
    result["Copy"] = call(backup.describe_copy_job, CopyJobId=copy["CopyJobId"])
    result["RestoreJob"] = call(backup.describe_restore_job, RestoreJobId=restore["RestoreJobId"])
    result["TakenJob"] = call(backup.describe_restore_job, RestoreJobId=result["Taken"]["RestoreJobId"])
    restored = rds.describe_db_clusters(DBClusterIdentifier="kinds-aurora-restored")["DBClusters"][0]
    result["Restored"] = {key: restored.get(key) for key in ("Status", "Engine", "EngineVersion", "DBClusterMembers", "DBSubnetGroup", "VpcSecurityGroups", "DeletionProtection", "TagList")}
    result["NewResourceId"] = restored["DbClusterResourceId"] != source["DbClusterResourceId"]
    rds.create_db_instance(DBInstanceIdentifier="kinds-aurora-restored-1", DBInstanceClass="db.r6g.large", Engine="aurora-postgresql", DBClusterIdentifier="kinds-aurora-restored")
    members = rds.describe_db_clusters(DBClusterIdentifier="kinds-aurora-restored")["DBClusters"][0]["DBClusterMembers"]
    result["WithInstance"] = [[member["DBInstanceIdentifier"], member["IsClusterWriter"]] for member in members]
    return result


def plan_selections(account_id):
    """An hourly continuous plan whose tag selection picks buckets and the instance, less one bucket by NotResources.

    The caller moves the clock to midnight first: the plan is made at 00:30, so each hourly run's jobs (6 minutes) and
    copies (6 more) have ended by the half hour at which this looks.
    """
    advance_clock("PT30M")
    s3, ec2, backup, cfn = client("s3"), client("ec2"), client("backup"), client("cloudformation")
    region = s3.meta.region_name
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    where = {"LocationConstraint": region}
    tags = {"TagSet": [{"Key": "app", "Value": "orders"}]}
    for bucket in ["plan-orders", "plan-unversioned", "plan-excluded", "plan-untagged"]:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
        if bucket != "plan-unversioned":
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        if bucket != "plan-untagged":
            s3.put_bucket_tagging(Bucket=bucket, Tagging=tags)
    s3.put_object(Bucket="plan-orders", Key="orders/1.json", Body=b'{"order": 1}')
    settle(cfn, cfn.create_stack(StackName="plan-fleet", TemplateBody=FLEET)["StackId"])
    instance = fleet_instance(ec2)
    backup.create_backup_vault(BackupVaultName="plan-hourly")
    backup.create_backup_vault(BackupVaultName="plan-copies")
    copies_arn = backup.describe_backup_vault(BackupVaultName="plan-copies")["BackupVaultArn"]
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "plan-kinds", "Rules": [{
        "RuleName": "hourly", "TargetBackupVaultName": "plan-hourly", "ScheduleExpression": "cron(0 * ? * * *)",
        "EnableContinuousBackup": True, "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": copies_arn, "Lifecycle": {"DeleteAfterDays": 7}}]}]})["BackupPlanId"]
    backup.create_backup_selection(BackupPlanId=plan, BackupSelection={
        "SelectionName": "orders", "IamRoleArn": role,
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "app", "ConditionValue": "orders"}],
        "NotResources": ["arn:aws:s3:::plan-excluded"]})
    advance_clock()
    advance_clock()
    # After the first runs: an object the next run's continuous backup must bring into the point.
    s3.put_object(Bucket="plan-orders", Key="orders/2.json", Body=b'{"order": 2}')
    advance_clock()
    points = backup.list_recovery_points_by_backup_vault(BackupVaultName="plan-hourly")["RecoveryPoints"]
    continuous = [point["RecoveryPointArn"] for point in points if point["ResourceArn"] == "arn:aws:s3:::plan-orders"]
    restore = call(backup.start_restore_job, RecoveryPointArn=continuous[0], IamRoleArn=role,
                   Metadata={"DestinationBucketName": "plan-orders-restored", "NewBucket": "true"})
    advance_clock()
    # Listed after the last move, when every run's jobs and copies have ended.
    jobs = backup.list_backup_jobs(ByBackupVaultName="plan-hourly")["BackupJobs"]
    points = backup.list_recovery_points_by_backup_vault(BackupVaultName="plan-hourly")["RecoveryPoints"]
    return {
        "Instance": instance,
        "Jobs": [{key: job.get(key) for key in ["ResourceArn", "ResourceType", "State", "StatusMessage"]} for job in jobs],
        "Points": [{key: point.get(key) for key in ["RecoveryPointArn", "ResourceArn", "ResourceType", "Status"]} for point in points],
        "Copies": [point["ResourceArn"] for point in backup.list_recovery_points_by_backup_vault(BackupVaultName="plan-copies")["RecoveryPoints"]],
        "Restore": call(backup.describe_restore_job, RestoreJobId=restore["RestoreJobId"]),
        "Restored": contents(s3, "plan-orders-restored"),
    }


NETWORK = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  DataA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  DataB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}}
  DataSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: {DBSubnetGroupName: placement-data, DBSubnetGroupDescription: data tier, SubnetIds: [!Ref DataA, !Ref DataB]}
  Backend: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: backend tier, VpcId: !Ref Vpc, Tags: [{Key: tier, Value: backend}]}}
  Database:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database tier
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref Backend}]
  DatabaseFromAdmin:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Database, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.1.9.0/24}
  OtherVpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.2.0.0/16}}
  Elsewhere: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: another VPC, VpcId: !Ref OtherVpc}}
Outputs:
  Backend: {Value: !Ref Backend}
  Database: {Value: !Ref Database}
  Elsewhere: {Value: !Ref Elsewhere}
"""


def restore_placement(account_id):
    """A DB restore placed in a subnet group and security groups that exist, and three whose placement does not."""
    ec2, rds, backup, cfn = client("ec2"), client("rds"), client("backup"), client("cloudformation")
    region = ec2.meta.region_name
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    stack = settle(cfn, cfn.create_stack(StackName="placement-network", TemplateBody=NETWORK)["StackId"])
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    backup.create_backup_vault(BackupVaultName="placement")
    point = backup.start_backup_job(BackupVaultName="placement", IamRoleArn=role,
                                    ResourceArn=f"arn:aws:rds:{region}:{account_id}:db:production-db")["RecoveryPointArn"]
    advance_clock()
    cases = {
        "Placed": {"DBSubnetGroupName": "placement-data", "VpcSecurityGroupIds": json.dumps([outputs["Database"]])},
        "Unplaced": {},
        "UnknownSubnetGroup": {"DBSubnetGroupName": "no-such-subnets", "VpcSecurityGroupIds": json.dumps([outputs["Database"]])},
        "UnknownGroup": {"DBSubnetGroupName": "placement-data", "VpcSecurityGroupIds": '["sg-0000000000000000f"]'},
        "OtherVpcGroup": {"DBSubnetGroupName": "placement-data", "VpcSecurityGroupIds": json.dumps([outputs["Elsewhere"]])},
    }
    jobs = {name: backup.start_restore_job(RecoveryPointArn=point, IamRoleArn=role,
                                           Metadata={"DBInstanceIdentifier": f"placement-{name.lower()}", **metadata})["RestoreJobId"]
            for name, metadata in cases.items()}
    advance_clock()
    result = {name: call(backup.describe_restore_job, RestoreJobId=job) for name, job in jobs.items()}
    result.update({
        "Outputs": outputs,
        "PlacedInstance": call(rds.describe_db_instances, DBInstanceIdentifier="placement-placed"),
        "UnplacedInstance": call(rds.describe_db_instances, DBInstanceIdentifier="placement-unplaced"),
        "MissingInstance": call(rds.describe_db_instances, DBInstanceIdentifier="placement-unknowngroup"),
        "DatabaseGroup": call(ec2.describe_security_groups, GroupIds=[outputs["Database"]]),
        "AdmitsBackend": call(ec2.describe_security_groups, Filters=[
            {"Name": "ip-permission.group-id", "Values": [outputs["Backend"]]},
            {"Name": "ip-permission.from-port", "Values": ["5432"]}]),
        "ByTag": call(ec2.describe_security_groups, Filters=[{"Name": "tag:tier", "Values": ["backend"]}]),
        "UnknownGroupId": call(ec2.describe_security_groups, GroupIds=["sg-0000000000000000f"]),
        "BadFilter": call(ec2.describe_security_groups, Filters=[{"Name": "no-such-filter", "Values": ["x"]}]),
    })
    return result


SCENARIOS = {"s3": s3_buckets, "ec2": ec2_instances, "aurora": aurora_clusters, "plans": plan_selections, "placement": restore_placement}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:]), default=str))
