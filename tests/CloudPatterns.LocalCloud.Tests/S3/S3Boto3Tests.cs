using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>Every S3 operation through boto3 (python/storage_client.py), including aws-chunked uploads with trailers.</summary>
public sealed class S3Boto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task EveryS3Operation_AnswersAsTheBotocoreModelExpects_AndObjectLockRefusesAsAws()
    {
        var results = await AwsClients.RunBoto3Async(fixture.Server, fixture.Management, "s3", "storage_client.py");

        Assert.Equal("/boto3-evidence", results.Text("CreateBucket", "Location"));
        Assert.Equal("us-east-2", results.Text("HeadBucket", "BucketRegion"));
        Assert.Equal("us-east-2", results.Text("GetBucketLocation", "LocationConstraint"));
        Assert.Equal("us-east-2", results.Text("HeadBucketExpectedOwner", "BucketRegion"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("GetBucketVersioningWrongOwner"));
        Assert.Equal(2, results.At("ListBuckets", "Buckets").GetArrayLength());
        Assert.Equal("Enabled", results.Text("GetBucketVersioning", "Status"));
        Assert.Equal(1, results.At("GetObjectLockConfiguration", "ObjectLockConfiguration", "Rule", "DefaultRetention", "Years").GetInt32());

        // botocore 1.36+ sends CRC32 by default; LocalCloud verifies and echoes it.
        Assert.Equal("vKT8cw==", results.Text("PutObject", "ChecksumCRC32"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("DeleteCompliance"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("DeleteComplianceBypass"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("ShortenCompliance"));
        Assert.Equal("COMPLIANCE", results.Text("GetObjectRetention", "Retention", "Mode"));
        var extendedUntil = DateTimeOffset.Parse(results.Text("GetObjectRetention", "Retention", "RetainUntilDate")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(extendedUntil - fixture.Server.Clock.GetUtcNow(), TimeSpan.FromDays(399), TimeSpan.FromDays(400));
        Assert.Equal("COMPLIANCE", results.Text("HeadObject", "ObjectLockMode"));
        Assert.Equal("vKT8cw==", results.Text("HeadObject", "ChecksumCRC32"));
        Assert.Equal("""{"evidence":"restore test passed"}""", results.Text("GetObject", "Body"));

        Assert.Equal("GOVERNANCE", results.Text("GovernedRetention", "Retention", "Mode"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("DeleteGoverned"));
        Assert.NotNull(results.Text("DeleteGovernedBypass", "VersionId"));
        Assert.Equal("ON", results.Text("GetObjectLegalHold", "LegalHold", "Status"));
        Assert.Equal(("AccessDenied", 403), results.AwsError("DeleteHeld"));
        Assert.NotNull(results.Text("DeleteReleased", "VersionId"));
        Assert.True(results.At("DeleteMarker", "DeleteMarker").GetBoolean());
        Assert.Single(results.At("ListObjectVersions", "Versions").EnumerateArray());
        Assert.Single(results.At("ListObjectVersions", "DeleteMarkers").EnumerateArray());

        Assert.Equal(("InvalidArgument", 400), results.AwsError("BypassOnPlainBucket"));
        Assert.Equal(("InvalidRequest", 400), results.AwsError("RetentionOnPlainBucket"));
        Assert.Equal(("BadDigest", 400), results.AwsError("WrongCrc32"));
        Assert.Equal(400, results.At("LockConfigurationWithoutChecksum", "status").GetInt32());
        Assert.Contains("<Message>Missing required header for this request: Content-MD5</Message>", results.Text("LockConfigurationWithoutChecksum", "body"), StringComparison.Ordinal);
        Assert.Equal(400, results.At("LockedPutWithoutChecksum", "status").GetInt32());
        Assert.Contains("<Code>InvalidRequest</Code><Message>Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters</Message>", results.Text("LockedPutWithoutChecksum", "body"), StringComparison.Ordinal);
        Assert.Equal(200, results.At("ChunkedPut", "status").GetInt32());
        Assert.Equal("streamed evidence", results.GetProperty("GetChunked").GetString());
        Assert.Equal(400, results.At("ChunkedPutWrongTrailer", "status").GetInt32());
        Assert.Contains("<Code>BadDigest</Code>", results.Text("ChunkedPutWrongTrailer", "body"), StringComparison.Ordinal);

        Assert.Equal("logs/a.txt", results.At("ListObjectsV2", "Contents")[0].GetProperty("Key").GetString());
        Assert.True(results.At("ListObjectsV2Paged", "IsTruncated").GetBoolean());
        Assert.NotNull(results.Text("ListObjectsV2Paged", "NextContinuationToken"));
        Assert.Equal(2, results.At("DeleteObjects", "Deleted").GetArrayLength());
        Assert.Equal("""{"Version": "2012-10-17", "Statement": []}""", results.Text("GetBucketPolicy", "Policy"));
        Assert.True(results.At("GetPublicAccessBlock", "PublicAccessBlockConfiguration", "BlockPublicPolicy").GetBoolean());
        Assert.Equal("AES256", results.At("GetBucketEncryption", "ServerSideEncryptionConfiguration", "Rules")[0].Text("ApplyServerSideEncryptionByDefault", "SSEAlgorithm"));
        Assert.Equal(("MalformedXML", 400), results.AwsError("PutBucketEncryptionWithoutDefault"));
        Assert.Equal("purpose", results.At("GetBucketTagging", "TagSet")[0].Text("Key"));
        Assert.Equal("boto3-plain", results.Text("GetBucketLogging", "LoggingEnabled", "TargetBucket"));
        Assert.Equal(("BucketNotEmpty", 409), results.AwsError("DeleteBucketNotEmpty"));
        Assert.Equal(JsonValueKind.Object, results.GetProperty("DeleteBucket").ValueKind);
        Assert.False(results.GetProperty("DeleteBucket").TryGetProperty("error", out _));
    }
}
