using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>
/// S3 through the AWS SDK for .NET (AWSSDK.S3 4.1, which the module uses for audit evidence): its aws-chunked uploads
/// with trailing checksums, Object Lock, and the admin tamper endpoint that evidence verification is tested with.
/// </summary>
public sealed class S3DotNetSdkTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Bucket = "sdk-evidence";

    [Fact]
    public async Task EvidenceUnderCompliance_SurvivesDeletion_ButTamperingShowsInTheBytesRead()
    {
        using var s3 = Client();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, BucketRegion = S3Region.USEast2, ObjectLockEnabledForBucket = true });
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = "evidence/run-1.json",
            ContentBody = """{"rto":"00:12:00"}""",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = fixture.Server.Clock.GetUtcNow().AddDays(365).UtcDateTime,
        });

        var refusal = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "evidence/run-1.json", VersionId = put.VersionId }));
        Assert.Equal("AccessDenied", refusal.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusal.StatusCode);

        using var admin = new HttpClient { BaseAddress = fixture.Server.Url };
        var tamper = await admin.PostAsJsonAsync("/_localcloud/s3/tamper", new { bucket = Bucket, key = "evidence/run-1.json", versionId = put.VersionId, content = """{"rto":"00:01:00"}""" });
        Assert.Equal(HttpStatusCode.NoContent, tamper.StatusCode);

        using var read = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "evidence/run-1.json", VersionId = put.VersionId });
        using var reader = new StreamReader(read.ResponseStream);
        Assert.Equal("""{"rto":"00:01:00"}""", await reader.ReadToEndAsync());
        Assert.Equal(ObjectLockMode.Compliance, read.ObjectLockMode);
        Assert.NotEqual(put.ETag, read.ETag);
    }

    [Fact]
    public async Task TamperingWithAMissingObject_Is404()
    {
        using var admin = new HttpClient { BaseAddress = fixture.Server.Url };

        var tamper = await admin.PostAsJsonAsync("/_localcloud/s3/tamper", new { bucket = "no-such-bucket", key = "k", content = "x" });

        Assert.Equal(HttpStatusCode.NotFound, tamper.StatusCode);
    }

    private AmazonS3Client Client()
    {
        var credentials = fixture.Management;
        return new AmazonS3Client(
            new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
            new AmazonS3Config { ServiceURL = fixture.Server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-2", MaxErrorRetry = 0 });
    }
}
