"""S3 CopyObject through boto3: data, content type and metadata copied (COPY) or replaced (REPLACE), a version id
source, CopyObjectResult, and S3's refusals (missing key or bucket, a bad copy source, a copy onto itself).

LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one
JSON object.
"""
import json
import os

from localcloud import client, error


def main():
    s3 = client("s3")
    region = os.environ["AWS_DEFAULT_REGION"]
    for bucket in ("copy-source-bucket", "copy-target-bucket"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket="copy-source-bucket", VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket="copy-source-bucket", Key="functions/lambda.zip", Body=b"PK first version",
                          ContentType="application/zip", Metadata={"build": "41"})
    s3.put_object(Bucket="copy-source-bucket", Key="functions/lambda.zip", Body=b"PK second version",
                  ContentType="application/zip", Metadata={"build": "42"})

    copied = s3.copy_object(Bucket="copy-target-bucket", Key="lambda.zip",
                            CopySource={"Bucket": "copy-source-bucket", "Key": "functions/lambda.zip"})
    target = s3.get_object(Bucket="copy-target-bucket", Key="lambda.zip")
    old = s3.copy_object(Bucket="copy-target-bucket", Key="old.zip",
                         CopySource={"Bucket": "copy-source-bucket", "Key": "functions/lambda.zip", "VersionId": first["VersionId"]})
    replaced = s3.copy_object(Bucket="copy-target-bucket", Key="replaced.zip", MetadataDirective="REPLACE", ContentType="text/plain",
                              Metadata={"owner": "corpus"}, CopySource="copy-source-bucket/functions/lambda.zip")
    replaced_head = s3.head_object(Bucket="copy-target-bucket", Key="replaced.zip")
    result = {
        "copyETag": copied["CopyObjectResult"]["ETag"],
        "copyLastModified": copied["CopyObjectResult"]["LastModified"].isoformat(),
        "copySourceVersionId": copied.get("CopySourceVersionId"),
        "sourceVersionId": s3.head_object(Bucket="copy-source-bucket", Key="functions/lambda.zip")["VersionId"],
        "targetBody": target["Body"].read().decode(),
        "targetETag": target["ETag"],
        "targetContentType": target["ContentType"],
        "targetMetadata": target["Metadata"],
        "oldBody": s3.get_object(Bucket="copy-target-bucket", Key="old.zip")["Body"].read().decode(),
        "oldSourceVersionId": old.get("CopySourceVersionId"),
        "firstVersionId": first["VersionId"],
        "replacedContentType": replaced_head["ContentType"],
        "replacedMetadata": replaced_head["Metadata"],
        "replacedETag": replaced["CopyObjectResult"]["ETag"],
        "missingKey": error(s3.copy_object, Bucket="copy-target-bucket", Key="x", CopySource={"Bucket": "copy-source-bucket", "Key": "functions/none.zip"}),
        "missingBucket": error(s3.copy_object, Bucket="copy-target-bucket", Key="x", CopySource={"Bucket": "copy-no-such-bucket", "Key": "a.zip"}),
        "noKey": error(s3.copy_object, Bucket="copy-target-bucket", Key="x", CopySource="copy-source-bucket"),
        "ontoItself": error(s3.copy_object, Bucket="copy-target-bucket", Key="lambda.zip", CopySource="copy-target-bucket/lambda.zip"),
        "badDirective": error(s3.copy_object, Bucket="copy-target-bucket", Key="x", MetadataDirective="MERGE", CopySource="copy-source-bucket/functions/lambda.zip"),
        "notCreatedOnFailure": error(s3.head_object, Bucket="copy-target-bucket", Key="x"),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
