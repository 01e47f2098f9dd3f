"""EFS in LocalCloud with boto3, and its Backup kind; prints one JSON object.

Usage: python3 efs_client.py api|backup <account id>; environment as for boto3_client.py.
"""
import json
import sys
import urllib.request

from boto3_client import URL, call, client
from localcloud import settle

NETWORK = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.8.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.8.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  SubnetA2: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.8.3.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.8.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}}
  Nfs: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: nfs, VpcId: !Ref Vpc}}
  Key: {Type: AWS::KMS::Key, Properties: {Description: efs}}
  Shared:
    Type: AWS::EFS::FileSystem
    Properties:
      Encrypted: true
      KmsKeyId: !GetAtt Key.Arn
      PerformanceMode: generalPurpose
      BackupPolicy: {Status: ENABLED}
      FileSystemTags: [{Key: Name, Value: shared}, {Key: app, Value: orders}]
  SharedInA: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: !Ref Shared, SubnetId: !Ref SubnetA, SecurityGroups: [!Ref Nfs]}}
  AppEntry:
    Type: AWS::EFS::AccessPoint
    Properties:
      FileSystemId: !Ref Shared
      PosixUser: {Uid: "1000", Gid: "1000"}
      RootDirectory: {Path: /orders, CreationInfo: {OwnerUid: "1000", OwnerGid: "1000", Permissions: "0755"}}
Outputs:
  SubnetA: {Value: !Ref SubnetA}
  SubnetA2: {Value: !Ref SubnetA2}
  SubnetB: {Value: !Ref SubnetB}
  Nfs: {Value: !Ref Nfs}
  KeyArn: {Value: !GetAtt Key.Arn}
  Shared: {Value: !Ref Shared}
  SharedId: {Value: !GetAtt Shared.FileSystemId}
  SharedArn: {Value: !GetAtt Shared.Arn}
  SharedInA: {Value: !Ref SharedInA}
  AppEntryArn: {Value: !GetAtt AppEntry.Arn}
"""


def admin(method, path, body=None):
    request = urllib.request.Request(f"{URL}/_localcloud/{path}", data=None if body is None else json.dumps(body).encode(), method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as failure:
        return {"status": failure.code, "body": json.loads(failure.read() or b"null")}


def advance(duration):
    admin("POST", "clock", {"advance": duration})


def network(cfn, name):
    stack = settle(cfn, cfn.create_stack(StackName=name, TemplateBody=NETWORK)["StackId"])
    return stack, {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def api(account_id):
    """The API's shapes and refusals, and the CloudFormation types."""
    efs, cfn = client("efs"), client("cloudformation")
    stack, outputs = network(cfn, "efs-network")
    result = {"Stack": stack["StackStatus"], "Outputs": outputs}
    shared = outputs["Shared"]
    result["Shared"] = call(efs.describe_file_systems, FileSystemId=shared)
    result["SharedMountTargets"] = call(efs.describe_mount_targets, FileSystemId=shared)
    result["SharedAccessPoints"] = call(efs.describe_access_points, FileSystemId=shared)
    result["SharedBackupPolicy"] = call(efs.describe_backup_policy, FileSystemId=shared)

    result["ProvisionedWithoutRate"] = call(efs.create_file_system, CreationToken="t-bad", ThroughputMode="provisioned")
    result["KeyUnencrypted"] = call(efs.create_file_system, CreationToken="t-bad", KmsKeyId=outputs["KeyArn"])
    result["UnknownKey"] = call(efs.create_file_system, CreationToken="t-bad", Encrypted=True, KmsKeyId="alias/no-such-key")
    result["BadMode"] = call(efs.create_file_system, CreationToken="t-bad", PerformanceMode="fast")
    result["Created"] = call(efs.create_file_system, CreationToken="orders-1", Encrypted=True, PerformanceMode="maxIO",
                             ThroughputMode="provisioned", ProvisionedThroughputInMibps=64.0, Tags=[{"Key": "Name", "Value": "orders"}])
    created = result["Created"]["FileSystemId"]
    result["SameToken"] = call(efs.create_file_system, CreationToken="orders-1")
    result["ByToken"] = call(efs.describe_file_systems, CreationToken="orders-1")
    result["MountWhileCreating"] = call(efs.create_mount_target, FileSystemId=created, SubnetId=outputs["SubnetB"])
    advance("PT1M")
    result["AfterCreation"] = call(efs.describe_file_systems, FileSystemId=created)
    result["Mount"] = call(efs.create_mount_target, FileSystemId=created, SubnetId=outputs["SubnetB"], SecurityGroups=[outputs["Nfs"]])
    result["SameZone"] = call(efs.create_mount_target, FileSystemId=created, SubnetId=outputs["SubnetB"])
    result["UnknownSubnet"] = call(efs.create_mount_target, FileSystemId=created, SubnetId="subnet-0000000000000000f")
    result["UnknownGroup"] = call(efs.create_mount_target, FileSystemId=created, SubnetId=outputs["SubnetA"], SecurityGroups=["sg-0000000000000000f"])
    result["MountTargets"] = call(efs.describe_mount_targets, FileSystemId=created)
    advance("PT2M")
    result["MountTargetAfter"] = call(efs.describe_mount_targets, MountTargetId=result["Mount"]["MountTargetId"])
    result["DeleteInUse"] = call(efs.delete_file_system, FileSystemId=created)

    result["AccessPoint"] = call(efs.create_access_point, ClientToken="orders-app", FileSystemId=created,
                                 PosixUser={"Uid": 1000, "Gid": 1000}, RootDirectory={"Path": "/app"}, Tags=[{"Key": "Name", "Value": "app"}])
    result["SameClientToken"] = call(efs.create_access_point, ClientToken="orders-app", FileSystemId=created)
    result["AccessPointOfUnknown"] = call(efs.create_access_point, ClientToken="other", FileSystemId="fs-0000000000000000f")
    result["AccessPoints"] = call(efs.describe_access_points, FileSystemId=created)
    result["MountTargetsByAccessPoint"] = call(efs.describe_mount_targets, AccessPointId=result["AccessPoint"]["AccessPointId"])
    result["DeleteAccessPoint"] = call(efs.delete_access_point, AccessPointId=result["AccessPoint"]["AccessPointId"])
    result["DeleteAccessPointAgain"] = call(efs.delete_access_point, AccessPointId=result["AccessPoint"]["AccessPointId"])

    result["PutBackupPolicy"] = call(efs.put_backup_policy, FileSystemId=created, BackupPolicy={"Status": "ENABLED"})
    result["BackupPolicy"] = call(efs.describe_backup_policy, FileSystemId=created)
    result["BadBackupPolicy"] = call(efs.put_backup_policy, FileSystemId=created, BackupPolicy={"Status": "ENABLING"})
    call(efs.tag_resource, ResourceId=created, Tags=[{"Key": "team", "Value": "billing"}, {"Key": "Name", "Value": "orders-2"}])
    call(efs.untag_resource, ResourceId=result["Created"]["FileSystemArn"], TagKeys=["team"])
    result["Tags"] = call(efs.list_tags_for_resource, ResourceId=created)
    result["AwsTag"] = call(efs.tag_resource, ResourceId=created, Tags=[{"Key": "aws:backup", "Value": "x"}])

    call(efs.delete_mount_target, MountTargetId=result["Mount"]["MountTargetId"])
    result["DeleteMountTargetAgain"] = call(efs.delete_mount_target, MountTargetId=result["Mount"]["MountTargetId"])
    result["Delete"] = call(efs.delete_file_system, FileSystemId=created)
    result["AfterDelete"] = call(efs.describe_file_systems, FileSystemId=created)
    cfn.delete_stack(StackName="efs-network")
    result["StackDeleted"] = settle(cfn, stack["StackId"])["StackStatus"]
    result["AfterStackDelete"] = call(efs.describe_file_systems, FileSystemId=shared)
    result["Refused"] = call(reader(account_id).create_file_system, CreationToken="refused")
    return result


DEFAULT_GROUP = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.9.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  Files: {Type: AWS::EFS::FileSystem}
  Mount: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: !Ref Files, SubnetId: !Ref Subnet, SecurityGroups: [!GetAtt Vpc.DefaultSecurityGroup]}}
Outputs:
  Vpc: {Value: !Ref Vpc}
  DefaultGroup: {Value: !GetAtt Vpc.DefaultSecurityGroup}
"""


def default_group(_account_id):
    """A VPC's default security group (GetAtt DefaultSecurityGroup) is a group EFS and EC2 know, until the VPC goes."""
    cfn, ec2 = client("cloudformation"), client("ec2")
    stack = settle(cfn, cfn.create_stack(StackName="efs-default-group", TemplateBody=DEFAULT_GROUP)["StackId"])
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    result = {"Stack": stack["StackStatus"], "Outputs": outputs}
    result["ById"] = call(ec2.describe_security_groups, GroupIds=[outputs.get("DefaultGroup", "sg-0000000000000000f")])
    result["ByName"] = call(ec2.describe_security_groups, Filters=[{"Name": "group-name", "Values": ["default"]}, {"Name": "vpc-id", "Values": [outputs.get("Vpc", "")]}])
    cfn.delete_stack(StackName="efs-default-group")
    settle(cfn, stack["StackId"])
    result["AfterDelete"] = call(ec2.describe_security_groups, GroupIds=[outputs.get("DefaultGroup", "sg-0000000000000000f")])
    return result


def reader(account_id):
    """An EFS client of a role that may only describe file systems."""
    iam, sts = client("iam"), client("sts")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}]}
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "elasticfilesystem:DescribeFileSystems", "Resource": "*"}]}
    iam.create_role(RoleName="efs-reader", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="efs-reader", PolicyName="read", PolicyDocument=json.dumps(policy))
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/efs-reader", RoleSessionName="efs-reader")["Credentials"]
    return client("efs", aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


def backup_restore(account_id):
    """A file system with files backed up and restored into a new file system and into itself; the refusals."""
    efs, backup, region = client("efs"), client("backup"), client("efs").meta.region_name
    role = f"arn:aws:iam::{account_id}:role/service-role/AWSBackupDefaultServiceRole"
    source = efs.create_file_system(CreationToken="kinds-efs", Encrypted=True, Tags=[{"Key": "app", "Value": "orders"}])
    arn = source["FileSystemArn"]
    backup.create_backup_vault(BackupVaultName="kinds-efs")
    result = {
        "Source": source,
        "WhileCreating": call(backup.start_backup_job, BackupVaultName="kinds-efs", IamRoleArn=role, ResourceArn=arn),
        "WriteWhileCreating": admin("PUT", "efs/files", {"accountId": account_id, "region": region, "fileSystemId": source["FileSystemId"], "files": {"/a.txt": "x"}}),
    }
    advance("PT1M")
    files = {"/orders/1.json": '{"order": 1}', "/orders/2.json": '{"order": 2}', "/README": "orders share"}
    result["Written"] = admin("PUT", "efs/files", {"accountId": account_id, "region": region, "fileSystemId": source["FileSystemId"], "files": files})
    result["SourceSize"] = efs.describe_file_systems(FileSystemId=source["FileSystemId"])["FileSystems"][0]["SizeInBytes"]
    started = call(backup.start_backup_job, BackupVaultName="kinds-efs", IamRoleArn=role, ResourceArn=arn)
    point = started["RecoveryPointArn"]
    result["Missing"] = call(backup.start_backup_job, BackupVaultName="kinds-efs", IamRoleArn=role,
                             ResourceArn=f"arn:aws:elasticfilesystem:{region}:{account_id}:file-system/fs-0000000000000000f")
    advance("PT1H")
    # After the backup the source changes; the restores must not see it.
    admin("PUT", "efs/files", {"accountId": account_id, "region": region, "fileSystemId": source["FileSystemId"], "files": {"/orders/1.json": "changed"}})
    result["BackupJob"] = call(backup.describe_backup_job, BackupJobId=started["BackupJobId"])
    result["RecoveryPoint"] = call(backup.describe_recovery_point, BackupVaultName="kinds-efs", RecoveryPointArn=point)
    result["RestoreMetadata"] = call(backup.get_recovery_point_restore_metadata, BackupVaultName="kinds-efs", RecoveryPointArn=point)
    metadata = result["RestoreMetadata"]["RestoreMetadata"]
    result["NoId"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={"newFileSystem": "true"})
    result["KeyUnencrypted"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                                    Metadata={**metadata, "newFileSystem": "true", "Encrypted": "false", "KmsKeyId": "alias/aws/elasticfilesystem"})
    result["BadNew"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={**metadata, "newFileSystem": "yes"})
    result["BadItems"] = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={**metadata, "ItemsToRestore": '["orders"]'})
    to_new = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, CopySourceTagsToRestoredResource=True,
                  Metadata={**metadata, "newFileSystem": "true", "CreationToken": "kinds-efs-restored"})
    items = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role,
                 Metadata={**metadata, "newFileSystem": "false", "ItemsToRestore": '["/orders/2.json"]'})
    gone = efs.create_file_system(CreationToken="kinds-efs-gone")
    to_gone = call(backup.start_restore_job, RecoveryPointArn=point, IamRoleArn=role, Metadata={**metadata, "file-system-id": gone["FileSystemId"]})
    efs.delete_file_system(FileSystemId=gone["FileSystemId"])
    advance("PT1H")
    result["RestoreToNew"] = call(backup.describe_restore_job, RestoreJobId=to_new["RestoreJobId"])
    result["RestoreItems"] = call(backup.describe_restore_job, RestoreJobId=items["RestoreJobId"])
    result["RestoreToGone"] = call(backup.describe_restore_job, RestoreJobId=to_gone["RestoreJobId"])
    restored = result["RestoreToNew"]["CreatedResourceArn"].rsplit("/", 1)[1]
    result["Restored"] = call(efs.describe_file_systems, FileSystemId=restored)
    result["Files"] = {
        "Source": admin("GET", f"efs/files?accountId={account_id}&region={region}&fileSystemId={source['FileSystemId']}"),
        "Restored": admin("GET", f"efs/files?accountId={account_id}&region={region}&fileSystemId={restored}"),
    }
    return result


SCENARIOS = {"api": api, "backup": backup_restore, "default-group": default_group}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:]), default=str))
