"""Drives LocalCloud's S3, SNS and CloudWatch with this machine's boto3/botocore and prints one JSON object.

Usage: python3 storage_client.py <scenario>; environment as for boto3_client.py, whose client() and call() it uses.
"""
import base64
import datetime
import hashlib
import json
import sys
import urllib.error
import urllib.request
import zlib

import boto3
import botocore.awsrequest

from boto3_client import URL, call, client, declaring

EVIDENCE, PLAIN = "boto3-evidence", "boto3-plain"
REPORT = b'{"evidence":"restore test passed"}'


def future(**delta):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)


def crc32(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def send_s3(method, path, body, headers, payload_hash):
    """A signed S3 request exactly as given: no checksum or MD5 is added, unlike botocore's own calls."""
    request = botocore.awsrequest.AWSRequest(method=method, url=f"{URL}/{path}", data=body, headers=headers)
    declaring(payload_hash)(boto3.session.Session().get_credentials(), "s3", client("s3").meta.region_name).add_auth(request)
    prepared = request.prepare()
    try:
        with urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method=method)) as response:
            return {"status": response.status, "versionId": response.headers.get("x-amz-version-id")}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read().decode()}


def chunked_put(bucket, key, payload, trailer_checksum):
    """PutObject as SDKs stream it over TLS: aws-chunked body, unsigned payload, CRC32 in a trailer."""
    body = b"%x\r\n%s\r\n0\r\nx-amz-checksum-crc32:%s\r\n\r\n" % (len(payload), payload, trailer_checksum.encode())
    headers = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(payload)), "x-amz-trailer": "x-amz-checksum-crc32"}
    return send_s3("PUT", f"{bucket}/{key}", body, headers, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")


def without_checksum(method, path, body, headers=None):
    return send_s3(method, path, body, headers or {}, hashlib.sha256(body).hexdigest())


def s3():
    s3 = client("s3")
    results = {
        "CreateBucket": call(s3.create_bucket, Bucket=EVIDENCE, ObjectLockEnabledForBucket=True,
                             CreateBucketConfiguration={"LocationConstraint": "us-east-2"}),
        "CreatePlain": call(s3.create_bucket, Bucket=PLAIN, CreateBucketConfiguration={"LocationConstraint": "us-east-2"}),
        "HeadBucket": call(s3.head_bucket, Bucket=EVIDENCE),
        "GetBucketLocation": call(s3.get_bucket_location, Bucket=EVIDENCE),
        "HeadBucketExpectedOwner": call(s3.head_bucket, Bucket=EVIDENCE, ExpectedBucketOwner="111111111111"),
        "GetBucketVersioningWrongOwner": call(s3.get_bucket_versioning, Bucket=EVIDENCE, ExpectedBucketOwner="222222222222"),
        "ListBuckets": call(s3.list_buckets),
        "PutBucketVersioning": call(s3.put_bucket_versioning, Bucket=PLAIN, VersioningConfiguration={"Status": "Enabled"}),
        "GetBucketVersioning": call(s3.get_bucket_versioning, Bucket=EVIDENCE),
        "PutObjectLockConfiguration": call(s3.put_object_lock_configuration, Bucket=EVIDENCE, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Years": 1}}}),
        "GetObjectLockConfiguration": call(s3.get_object_lock_configuration, Bucket=EVIDENCE),
    }
    put = s3.put_object(Bucket=EVIDENCE, Key="report.json", Body=REPORT, ObjectLockMode="COMPLIANCE",
                        ObjectLockRetainUntilDate=future(days=365))
    version = put["VersionId"]
    results.update({
        "PutObject": {"VersionId": version, "ChecksumCRC32": put.get("ChecksumCRC32")},
        "DeleteCompliance": call(s3.delete_object, Bucket=EVIDENCE, Key="report.json", VersionId=version),
        "DeleteComplianceBypass": call(s3.delete_object, Bucket=EVIDENCE, Key="report.json", VersionId=version, BypassGovernanceRetention=True),
        "ShortenCompliance": call(s3.put_object_retention, Bucket=EVIDENCE, Key="report.json", VersionId=version,
                                  Retention={"Mode": "COMPLIANCE", "RetainUntilDate": future(days=1)}),
        "ExtendCompliance": call(s3.put_object_retention, Bucket=EVIDENCE, Key="report.json", VersionId=version,
                                 Retention={"Mode": "COMPLIANCE", "RetainUntilDate": future(days=400)}),
        "GetObjectRetention": call(s3.get_object_retention, Bucket=EVIDENCE, Key="report.json", VersionId=version),
        "HeadObject": call(s3.head_object, Bucket=EVIDENCE, Key="report.json", ChecksumMode="ENABLED"),
    })
    got = s3.get_object(Bucket=EVIDENCE, Key="report.json", VersionId=version)
    results["GetObject"] = {"Body": got["Body"].read().decode(), "ObjectLockMode": got.get("ObjectLockMode")}

    governed = s3.put_object(Bucket=EVIDENCE, Key="governed.json", Body=REPORT)["VersionId"]
    held = s3.put_object(Bucket=EVIDENCE, Key="held.json", Body=REPORT, ObjectLockLegalHoldStatus="ON")["VersionId"]
    results.update({
        "GovernedRetention": call(s3.get_object_retention, Bucket=EVIDENCE, Key="governed.json"),
        "DeleteGoverned": call(s3.delete_object, Bucket=EVIDENCE, Key="governed.json", VersionId=governed),
        "DeleteGovernedBypass": call(s3.delete_object, Bucket=EVIDENCE, Key="governed.json", VersionId=governed, BypassGovernanceRetention=True),
        "GetObjectLegalHold": call(s3.get_object_legal_hold, Bucket=EVIDENCE, Key="held.json"),
        "DeleteHeld": call(s3.delete_object, Bucket=EVIDENCE, Key="held.json", VersionId=held, BypassGovernanceRetention=True),
        "PutObjectLegalHold": call(s3.put_object_legal_hold, Bucket=EVIDENCE, Key="held.json", VersionId=held, LegalHold={"Status": "OFF"}),
        "DeleteReleased": call(s3.delete_object, Bucket=EVIDENCE, Key="held.json", VersionId=held, BypassGovernanceRetention=True),
        "DeleteMarker": call(s3.delete_object, Bucket=EVIDENCE, Key="report.json"),
        "ListObjectVersions": call(s3.list_object_versions, Bucket=EVIDENCE),
        "BypassOnPlainBucket": call(s3.delete_object, Bucket=PLAIN, Key="x", BypassGovernanceRetention=True),
        "RetentionOnPlainBucket": call(s3.get_object_retention, Bucket=PLAIN, Key="x"),
        "WrongCrc32": call(s3.put_object, Bucket=PLAIN, Key="x", Body=b"data", ChecksumCRC32="AAAAAA=="),
        "LockConfigurationWithoutChecksum": without_checksum("PUT", f"{EVIDENCE}?object-lock", b"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>"),
        "LockedPutWithoutChecksum": without_checksum("PUT", f"{EVIDENCE}/unchecked.json", REPORT, {
            "x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": future(days=1).strftime("%Y-%m-%dT%H:%M:%SZ")}),
        "ChunkedPut": chunked_put(PLAIN, "chunked.txt", b"streamed evidence", crc32(b"streamed evidence")),
        "ChunkedPutWrongTrailer": chunked_put(PLAIN, "chunked-bad.txt", b"streamed evidence", crc32(b"something else")),
        "PutA": call(s3.put_object, Bucket=PLAIN, Key="logs/a.txt", Body=b"a"),
        "ListObjectsV2": call(s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/"),
        "ListObjectsV2Paged": call(s3.list_objects_v2, Bucket=PLAIN, MaxKeys=1),
        "GetChunked": s3.get_object(Bucket=PLAIN, Key="chunked.txt")["Body"].read().decode(),
        "DeleteObjects": call(s3.delete_objects, Bucket=PLAIN, Delete={"Objects": [{"Key": "logs/a.txt"}, {"Key": "chunked.txt"}]}),
        "PutBucketPolicy": call(s3.put_bucket_policy, Bucket=PLAIN, Policy=json.dumps({"Version": "2012-10-17", "Statement": []})),
        "GetBucketPolicy": call(s3.get_bucket_policy, Bucket=PLAIN),
        "DeleteBucketPolicy": call(s3.delete_bucket_policy, Bucket=PLAIN),
        "PutPublicAccessBlock": call(s3.put_public_access_block, Bucket=PLAIN, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}),
        "GetPublicAccessBlock": call(s3.get_public_access_block, Bucket=PLAIN),
        "DeletePublicAccessBlock": call(s3.delete_public_access_block, Bucket=PLAIN),
        "PutBucketEncryption": call(s3.put_bucket_encryption, Bucket=PLAIN, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
        "GetBucketEncryption": call(s3.get_bucket_encryption, Bucket=PLAIN),
        # A rule with a bucket-key setting and no default encryption (worldzhy Quick Start copies): S3 refuses it.
        "PutBucketEncryptionWithoutDefault": call(s3.put_bucket_encryption, Bucket=PLAIN, ServerSideEncryptionConfiguration={
            "Rules": [{"BucketKeyEnabled": False}]}),
        "PutBucketLogging": call(s3.put_bucket_logging, Bucket=EVIDENCE, BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": PLAIN, "TargetPrefix": "logs/"}}),
        "GetBucketLogging": call(s3.get_bucket_logging, Bucket=EVIDENCE),
        "PutBucketTagging": call(s3.put_bucket_tagging, Bucket=PLAIN, Tagging={"TagSet": [{"Key": "purpose", "Value": "audit"}]}),
        "GetBucketTagging": call(s3.get_bucket_tagging, Bucket=PLAIN),
        "DeleteBucketTagging": call(s3.delete_bucket_tagging, Bucket=PLAIN),
        "DeleteBucketNotEmpty": call(s3.delete_bucket, Bucket=EVIDENCE),
        "CreateScratch": call(s3.create_bucket, Bucket="boto3-scratch", CreateBucketConfiguration={"LocationConstraint": "us-east-2"}),
        "DeleteBucket": call(s3.delete_bucket, Bucket="boto3-scratch"),
    })
    return results


def notifications():
    sns, cloudwatch = client("sns"), client("cloudwatch")
    topic = sns.create_topic(Name="boto3-alerts")["TopicArn"]
    now = datetime.datetime.now(datetime.timezone.utc)
    metric = {"Namespace": "CloudPatterns/DR", "MetricName": "CopyFailures", "Dimensions": [{"Name": "Account", "Value": "333333333333"}]}
    return {
        "CreateTopic": {"TopicArn": topic},
        "Subscribe": call(sns.subscribe, TopicArn=topic, Protocol="email", Endpoint="ops@example.com"),
        "ListTopics": call(sns.list_topics),
        "ListSubscriptionsByTopic": call(sns.list_subscriptions_by_topic, TopicArn=topic),
        "SetTopicAttributes": call(sns.set_topic_attributes, TopicArn=topic, AttributeName="DisplayName", AttributeValue="boto3"),
        "GetTopicAttributes": call(sns.get_topic_attributes, TopicArn=topic),
        "Publish": call(sns.publish, TopicArn=topic, Message="hello", Subject="boto3",
                        MessageAttributes={"severity": {"DataType": "String", "StringValue": "high"}}),
        "PutMetricAlarm": call(cloudwatch.put_metric_alarm, AlarmName="copy-failures", Statistic="Maximum", Period=60, EvaluationPeriods=1,
                               Threshold=0, ComparisonOperator="GreaterThanThreshold", AlarmActions=[topic], OKActions=[topic], **metric),
        "PutMetricData": call(cloudwatch.put_metric_data, Namespace=metric["Namespace"], MetricData=[
            {"MetricName": metric["MetricName"], "Dimensions": metric["Dimensions"], "Values": [0, 3], "Counts": [4, 1]}]),
        "DescribeAlarms": call(cloudwatch.describe_alarms, AlarmNamePrefix="copy-"),
        "ListMetrics": call(cloudwatch.list_metrics, Dimensions=[{"Name": "Account"}]),
        "GetMetricStatistics": call(cloudwatch.get_metric_statistics, Period=60, StartTime=now - datetime.timedelta(minutes=5),
                                    EndTime=now + datetime.timedelta(minutes=5), Statistics=["Sum", "SampleCount", "Maximum"], **metric),
        "GetMetricData": call(cloudwatch.get_metric_data, StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=5),
                              MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "Average"}}]),
        "GetMetricStatisticsNoStatistics": call(cloudwatch.get_metric_statistics, Period=60, StartTime=now, EndTime=now, **metric),
        "DeleteAlarms": call(cloudwatch.delete_alarms, AlarmNames=["copy-failures"]),
        "DeleteAlarmsUnknown": call(cloudwatch.delete_alarms, AlarmNames=["copy-failures"]),
        "DeleteTopic": call(sns.delete_topic, TopicArn=topic),
        "PublishDeleted": call(sns.publish, TopicArn=topic, Message="gone"),
    }


SCENARIOS = {"s3": s3, "notifications": notifications}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](), default=str))
