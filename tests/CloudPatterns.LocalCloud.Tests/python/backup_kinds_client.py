"""Backs up and restores the store-backed resource types of LocalCloud's Backup with boto3 and prints one JSON object.

Usage: python3 backup_kinds_client.py s3 <account id>; environment as for boto3_client.py.
"""
import hashlib
import json
import sys
import urllib.request

from boto3_client import URL, call, client


def advance_clock():
    request = urllib.request.Request(f"{URL}/_localcloud/clock", data=b'{"advance":"PT1H"}', method="POST")
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


SCENARIOS = {"s3": s3_buckets}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:]), default=str))
