using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.S3;

public sealed class S3AwsCliV1Fixture() : S3CliFixture(AwsCli.V1);

public sealed class S3AwsCliV2Fixture() : S3CliFixture(AwsCli.V2);

public sealed class S3AwsCliV1Tests(S3AwsCliV1Fixture fixture) : S3CliConformanceTests(fixture), IClassFixture<S3AwsCliV1Fixture>;

public sealed class S3AwsCliV2Tests(S3AwsCliV2Fixture fixture) : S3CliConformanceTests(fixture), IClassFixture<S3AwsCliV2Fixture>;

/// <summary>
/// One batch of S3 commands through one AWS CLI: every S3 operation, with Object Lock's refusals
/// (docs/aws-behaviour.md section 5) as the CLI reports them.
/// </summary>
public abstract class S3CliFixture : CliBatchFixture
{
    public const string Evidence = "evidence-bucket";
    public const string Plain = "plain-bucket";
    public const string Scratch = "scratch-bucket";
    public const string ReportKey = "reports/2026/report.json";
    public const string ReportContent = """{"evidence":"restore test passed"}""";

    private readonly string bodyPath = Path.Combine(Path.GetTempPath(), $"lc-s3-body-{Guid.NewGuid():N}.json");

    private protected S3CliFixture(AwsCli cli)
        : base(cli)
    {
    }

    public string DownloadPath { get; } = Path.Combine(Path.GetTempPath(), $"lc-s3-{Guid.NewGuid():N}.json");

    public override async Task DisposeAsync()
    {
        File.Delete(bodyPath);
        File.Delete(DownloadPath);
        await base.DisposeAsync();
    }

    private protected override async Task<IReadOnlyList<CliCommand>> CommandsAsync(DateTimeOffset now)
    {
        await File.WriteAllTextAsync(bodyPath, ReportContent);
        return Commands(bodyPath, now);
    }

    private IReadOnlyList<CliCommand> Commands(string body, DateTimeOffset now)
    {
        var inOneYear = CliBatch.Iso(now.AddYears(1));
        var inOneDay = CliBatch.Iso(now.AddDays(1));
        return
        [
            new("CreateEvidence", "s3api", "create-bucket", "--bucket", Evidence, "--create-bucket-configuration", "LocationConstraint=us-east-2", "--object-lock-enabled-for-bucket"),
            new("CreatePlain", "s3api", "create-bucket", "--bucket", Plain, "--create-bucket-configuration", "LocationConstraint=us-east-2"),
            new("CreatePlainAgain", "s3api", "create-bucket", "--bucket", Plain, "--create-bucket-configuration", "LocationConstraint=us-east-2"),
            new("CreateWrongRegion", "s3api", "create-bucket", "--bucket", "wrong-region-bucket", "--create-bucket-configuration", "LocationConstraint=us-west-2"),
            new("HeadBucket", "s3api", "head-bucket", "--bucket", Evidence),
            new("ListBuckets", "s3api", "list-buckets"),
            new("GetBucketLocation", "s3api", "get-bucket-location", "--bucket", Evidence),
            new("PutBucketVersioning", "s3api", "put-bucket-versioning", "--bucket", Plain, "--versioning-configuration", "Status=Enabled"),
            new("GetBucketVersioning", "s3api", "get-bucket-versioning", "--bucket", Plain),
            new("SuspendEvidenceVersioning", "s3api", "put-bucket-versioning", "--bucket", Evidence, "--versioning-configuration", "Status=Suspended"),
            new("PutObjectLockConfiguration", "s3api", "put-object-lock-configuration", "--bucket", Evidence, "--object-lock-configuration",
                """{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}"""),
            new("GetObjectLockConfiguration", "s3api", "get-object-lock-configuration", "--bucket", Evidence),
            new("GetObjectLockConfigurationPlain", "s3api", "get-object-lock-configuration", "--bucket", Plain),

            // COMPLIANCE: nobody deletes the version or shortens its retention.
            new("PutCompliance", "s3api", "put-object", "--bucket", Evidence, "--key", ReportKey, "--body", body, "--content-type", "application/json",
                "--object-lock-mode", "COMPLIANCE", "--object-lock-retain-until-date", inOneYear, "--metadata", "source=cli"),
            new("DeleteCompliance", "s3api", "delete-object", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}"),
            new("DeleteComplianceBypass", "s3api", "delete-object", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}", "--bypass-governance-retention"),
            new("ShortenCompliance", "s3api", "put-object-retention", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}",
                "--retention", $$"""{"Mode":"COMPLIANCE","RetainUntilDate":"{{inOneDay}}"}""", "--bypass-governance-retention"),
            new("GetObjectRetention", "s3api", "get-object-retention", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}"),
            new("HeadObject", "s3api", "head-object", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}"),
            new("GetObject", "s3api", "get-object", "--bucket", Evidence, "--key", ReportKey, "--version-id", "{PutCompliance.VersionId}", DownloadPath),

            // GOVERNANCE (the bucket default): yields to the bypass header of an administrator only.
            new("PutGoverned", "s3api", "put-object", "--bucket", Evidence, "--key", "governed.json", "--body", body),
            new("GetGovernedRetention", "s3api", "get-object-retention", "--bucket", Evidence, "--key", "governed.json"),
            new("DeleteGoverned", "s3api", "delete-object", "--bucket", Evidence, "--key", "governed.json", "--version-id", "{PutGoverned.VersionId}"),
            new("DeleteGovernedBypass", "s3api", "delete-object", "--bucket", Evidence, "--key", "governed.json", "--version-id", "{PutGoverned.VersionId}", "--bypass-governance-retention"),

            // Legal hold blocks deletion even with the bypass, until it is released.
            new("PutHeld", "s3api", "put-object", "--bucket", Evidence, "--key", "held.json", "--body", body, "--object-lock-legal-hold-status", "ON"),
            new("GetObjectLegalHold", "s3api", "get-object-legal-hold", "--bucket", Evidence, "--key", "held.json"),
            new("DeleteHeldBypass", "s3api", "delete-object", "--bucket", Evidence, "--key", "held.json", "--version-id", "{PutHeld.VersionId}", "--bypass-governance-retention"),
            new("PutObjectLegalHold", "s3api", "put-object-legal-hold", "--bucket", Evidence, "--key", "held.json", "--version-id", "{PutHeld.VersionId}", "--legal-hold", "Status=OFF"),
            new("DeleteReleasedBypass", "s3api", "delete-object", "--bucket", Evidence, "--key", "held.json", "--version-id", "{PutHeld.VersionId}", "--bypass-governance-retention"),

            new("DeleteMarker", "s3api", "delete-object", "--bucket", Evidence, "--key", ReportKey),
            new("GetDeleted", "s3api", "head-object", "--bucket", Evidence, "--key", ReportKey),
            new("ListObjectVersions", "s3api", "list-object-versions", "--bucket", Evidence, "--prefix", "reports/"),

            new("UnknownLockMode", "s3api", "put-object", "--bucket", Evidence, "--key", "x.json", "--body", body, "--object-lock-mode", "FOREVER", "--object-lock-retain-until-date", inOneDay),
            new("LockHeadersOnPlainBucket", "s3api", "put-object", "--bucket", Plain, "--key", "x.json", "--body", body, "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", inOneDay),
            new("WrongContentMd5", "s3api", "put-object", "--bucket", Plain, "--key", "x.json", "--body", body, "--content-md5", "AAAAAAAAAAAAAAAAAAAAAA=="),
            new("PutPlainA", "s3api", "put-object", "--bucket", Plain, "--key", "logs/a.txt", "--body", body),
            new("PutPlainB", "s3api", "put-object", "--bucket", Plain, "--key", "logs/b.txt", "--body", body),
            new("ListObjectsV2", "s3api", "list-objects-v2", "--bucket", Plain, "--prefix", "logs/"),
            new("ListObjectsV2Delimited", "s3api", "list-objects-v2", "--bucket", Plain, "--delimiter", "/"),
            new("DeleteObjects", "s3api", "delete-objects", "--bucket", Plain, "--delete", """{"Objects":[{"Key":"logs/a.txt"},{"Key":"logs/b.txt"}]}"""),
            new("DeleteObjectsLocked", "s3api", "delete-objects", "--bucket", Evidence, "--delete", """{"Objects":[{"Key":"reports/2026/report.json","VersionId":"{PutCompliance.VersionId}"}]}"""),

            new("PutBucketPolicy", "s3api", "put-bucket-policy", "--bucket", Plain, "--policy",
                """{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::plain-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""),
            new("GetBucketPolicy", "s3api", "get-bucket-policy", "--bucket", Plain),
            new("DeleteBucketPolicy", "s3api", "delete-bucket-policy", "--bucket", Plain),
            new("GetBucketPolicyDeleted", "s3api", "get-bucket-policy", "--bucket", Plain),
            new("PutPublicAccessBlock", "s3api", "put-public-access-block", "--bucket", Plain, "--public-access-block-configuration",
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"),
            new("GetPublicAccessBlock", "s3api", "get-public-access-block", "--bucket", Plain),
            new("DeletePublicAccessBlock", "s3api", "delete-public-access-block", "--bucket", Plain),
            new("GetPublicAccessBlockDeleted", "s3api", "get-public-access-block", "--bucket", Plain),
            new("GetBucketEncryptionDefault", "s3api", "get-bucket-encryption", "--bucket", Plain),
            new("PutBucketEncryption", "s3api", "put-bucket-encryption", "--bucket", Plain, "--server-side-encryption-configuration",
                """{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:us-east-2:111111111111:alias/evidence"},"BucketKeyEnabled":true}]}"""),
            new("GetBucketEncryption", "s3api", "get-bucket-encryption", "--bucket", Plain),
            new("PutEncrypted", "s3api", "put-object", "--bucket", Plain, "--key", "encrypted.json", "--body", body),
            new("HeadEncrypted", "s3api", "head-object", "--bucket", Plain, "--key", "encrypted.json"),
            new("PutBucketLogging", "s3api", "put-bucket-logging", "--bucket", Evidence, "--bucket-logging-status",
                $$$"""{"LoggingEnabled":{"TargetBucket":"{{{Plain}}}","TargetPrefix":"evidence-access/"}}"""),
            new("PutBucketLoggingUnknownTarget", "s3api", "put-bucket-logging", "--bucket", Evidence, "--bucket-logging-status",
                """{"LoggingEnabled":{"TargetBucket":"no-such-log-bucket","TargetPrefix":"x/"}}"""),
            new("GetBucketLogging", "s3api", "get-bucket-logging", "--bucket", Evidence),
            new("GetBucketLoggingOff", "s3api", "get-bucket-logging", "--bucket", Plain),
            new("PutBucketTagging", "s3api", "put-bucket-tagging", "--bucket", Plain, "--tagging", "TagSet=[{Key=purpose,Value=audit}]"),
            new("GetBucketTagging", "s3api", "get-bucket-tagging", "--bucket", Plain),
            new("DeleteBucketTagging", "s3api", "delete-bucket-tagging", "--bucket", Plain),
            new("GetBucketTaggingDeleted", "s3api", "get-bucket-tagging", "--bucket", Plain),

            new("DeleteEvidenceBucket", "s3api", "delete-bucket", "--bucket", Evidence),
            new("CreateScratch", "s3api", "create-bucket", "--bucket", Scratch, "--create-bucket-configuration", "LocationConstraint=us-east-2"),
            new("LockConfigurationUnversioned", "s3api", "put-object-lock-configuration", "--bucket", Scratch, "--object-lock-configuration", """{"ObjectLockEnabled":"Enabled"}"""),
            new("PutScratch", "s3api", "put-object", "--bucket", Scratch, "--key", "tmp.txt", "--body", body),
            new("DeleteScratchObject", "s3api", "delete-object", "--bucket", Scratch, "--key", "tmp.txt"),
            new("DeleteBucket", "s3api", "delete-bucket", "--bucket", Scratch),
            new("HeadDeletedBucket", "s3api", "head-bucket", "--bucket", Scratch),
        ];
    }
}

/// <summary>What one AWS CLI made of every S3 operation (the batch ran once, in the fixture).</summary>
public abstract class S3CliConformanceTests(S3CliFixture fixture)
{
    [Fact]
    public void Buckets_AreCreatedListedAndDeletedAsInS3()
    {
        Assert.Equal("/" + S3CliFixture.Evidence, Json("CreateEvidence").GetProperty("Location").GetString());
        Assert.Equal("BucketAlreadyOwnedByYou", Error("CreatePlainAgain"));
        Assert.Equal("IllegalLocationConstraintException", Error("CreateWrongRegion"));
        Assert.Equal(0, Result("HeadBucket").ExitCode);
        var names = Json("ListBuckets").GetProperty("Buckets").EnumerateArray().Select(bucket => bucket.GetProperty("Name").GetString()).ToList();
        Assert.Equal([S3CliFixture.Evidence, S3CliFixture.Plain], names);
        Assert.Equal("us-east-2", Json("GetBucketLocation").GetProperty("LocationConstraint").GetString());
        Assert.Equal("Enabled", Json("GetBucketVersioning").GetProperty("Status").GetString());
        Assert.Equal("InvalidBucketState", Error("SuspendEvidenceVersioning"));
        Assert.Equal("BucketNotEmpty", Error("DeleteEvidenceBucket"));
        Assert.Equal(0, Result("DeleteBucket").ExitCode);
        Assert.NotEqual(0, Result("HeadDeletedBucket").ExitCode);
    }

    [Fact]
    public void ObjectLockConfiguration_RoundTripsTheDefaultRetention()
    {
        var configuration = Json("GetObjectLockConfiguration").GetProperty("ObjectLockConfiguration");
        Assert.Equal("Enabled", configuration.GetProperty("ObjectLockEnabled").GetString());
        var retention = configuration.GetProperty("Rule").GetProperty("DefaultRetention");
        Assert.Equal("GOVERNANCE", retention.GetProperty("Mode").GetString());
        Assert.Equal(30, retention.GetProperty("Days").GetInt32());
        Assert.Equal("ObjectLockConfigurationNotFoundError", Error("GetObjectLockConfigurationPlain"));
        Assert.Equal("InvalidBucketState", Error("LockConfigurationUnversioned"));
        Assert.Contains("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", Result("LockConfigurationUnversioned").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ComplianceRetention_RefusesDeletionAndShorteningForEveryone()
    {
        Assert.Equal("AccessDenied", Error("DeleteCompliance"));
        Assert.Contains("Access Denied because object protected by object lock.", Result("DeleteCompliance").Error, StringComparison.Ordinal);
        Assert.Equal("AccessDenied", Error("DeleteComplianceBypass"));
        Assert.Equal("AccessDenied", Error("ShortenCompliance"));
        var retention = Json("GetObjectRetention").GetProperty("Retention");
        Assert.Equal("COMPLIANCE", retention.GetProperty("Mode").GetString());
        var errors = Json("DeleteObjectsLocked").GetProperty("Errors");
        Assert.Equal("AccessDenied", errors[0].GetProperty("Code").GetString());
    }

    [Fact]
    public void GovernanceRetention_YieldsOnlyToTheBypassHeader()
    {
        Assert.Equal("GOVERNANCE", Json("GetGovernedRetention").GetProperty("Retention").GetProperty("Mode").GetString());
        Assert.Equal("AccessDenied", Error("DeleteGoverned"));
        Assert.Equal(Json("PutGoverned").GetProperty("VersionId").GetString(), Json("DeleteGovernedBypass").GetProperty("VersionId").GetString());
    }

    [Fact]
    public void LegalHold_BlocksDeletionUntilReleased()
    {
        Assert.Equal("ON", Json("GetObjectLegalHold").GetProperty("LegalHold").GetProperty("Status").GetString());
        Assert.Equal("AccessDenied", Error("DeleteHeldBypass"));
        Assert.Equal(0, Result("PutObjectLegalHold").ExitCode);
        Assert.Equal(0, Result("DeleteReleasedBypass").ExitCode);
    }

    [Fact]
    public void Objects_CarryTheirVersionAndLockHeaders()
    {
        var head = Json("HeadObject");
        Assert.Equal(Json("PutCompliance").GetProperty("VersionId").GetString(), head.GetProperty("VersionId").GetString());
        Assert.Equal("COMPLIANCE", head.GetProperty("ObjectLockMode").GetString());
        Assert.Equal("application/json", head.GetProperty("ContentType").GetString());
        Assert.Equal("cli", head.GetProperty("Metadata").GetProperty("source").GetString());
        Assert.Equal(Json("PutCompliance").GetProperty("ETag").GetString(), Json("GetObject").GetProperty("ETag").GetString());
        Assert.Equal(S3CliFixture.ReportContent, File.ReadAllText(fixture.DownloadPath));

        Assert.True(Json("DeleteMarker").GetProperty("DeleteMarker").GetBoolean());
        Assert.NotEqual(0, Result("GetDeleted").ExitCode);
        var keys = Json("ListObjectsV2").GetProperty("Contents").EnumerateArray().Select(item => item.GetProperty("Key").GetString()).ToList();
        Assert.Equal(["logs/a.txt", "logs/b.txt"], keys);
        var versions = Json("ListObjectVersions");
        Assert.Equal(S3CliFixture.ReportKey, versions.GetProperty("Versions")[0].GetProperty("Key").GetString());
        Assert.False(versions.GetProperty("Versions")[0].GetProperty("IsLatest").GetBoolean());
        Assert.True(versions.GetProperty("DeleteMarkers")[0].GetProperty("IsLatest").GetBoolean());

        Assert.Equal("logs/", Json("ListObjectsV2Delimited").GetProperty("CommonPrefixes")[0].GetProperty("Prefix").GetString());
        Assert.Equal(2, Json("DeleteObjects").GetProperty("Deleted").GetArrayLength());
    }

    [Fact]
    public void BadLockHeadersAndBadDigests_AreRefused()
    {
        Assert.Equal("InvalidRequest", Error("LockHeadersOnPlainBucket"));
        Assert.Contains("Bucket is missing ObjectLockConfiguration", Result("LockHeadersOnPlainBucket").Error, StringComparison.Ordinal);
        Assert.Equal("BadDigest", Error("WrongContentMd5"));
        Assert.Equal("InvalidArgument", Error("UnknownLockMode"));
        Assert.Contains("Unknown wormMode directive.", Result("UnknownLockMode").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BucketConfiguration_IsStoredReturnedAndDeleted()
    {
        using var policy = JsonDocument.Parse(Json("GetBucketPolicy").GetProperty("Policy").GetString()!);
        Assert.Equal("DenyInsecure", policy.RootElement.GetProperty("Statement")[0].GetProperty("Sid").GetString());
        Assert.Equal("NoSuchBucketPolicy", Error("GetBucketPolicyDeleted"));

        Assert.True(Json("GetPublicAccessBlock").GetProperty("PublicAccessBlockConfiguration").GetProperty("RestrictPublicBuckets").GetBoolean());
        Assert.Equal("NoSuchPublicAccessBlockConfiguration", Error("GetPublicAccessBlockDeleted"));

        Assert.Equal("AES256", EncryptionRule("GetBucketEncryptionDefault").GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
        var rule = EncryptionRule("GetBucketEncryption");
        Assert.Equal("aws:kms", rule.GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
        Assert.True(rule.GetProperty("BucketKeyEnabled").GetBoolean());
        var encrypted = Json("HeadEncrypted");
        Assert.Equal("aws:kms", encrypted.GetProperty("ServerSideEncryption").GetString());
        Assert.Equal("arn:aws:kms:us-east-2:111111111111:alias/evidence", encrypted.GetProperty("SSEKMSKeyId").GetString());
        Assert.True(encrypted.GetProperty("BucketKeyEnabled").GetBoolean());
        Assert.Equal("AES256", Json("HeadObject").GetProperty("ServerSideEncryption").GetString());

        var logging = Json("GetBucketLogging").GetProperty("LoggingEnabled");
        Assert.Equal((S3CliFixture.Plain, "evidence-access/"), (logging.GetProperty("TargetBucket").GetString(), logging.GetProperty("TargetPrefix").GetString()));
        Assert.Equal("InvalidTargetBucketForLogging", Error("PutBucketLoggingUnknownTarget"));
        Assert.Equal(0, Result("GetBucketLoggingOff").ExitCode);
        Assert.DoesNotContain("LoggingEnabled", Result("GetBucketLoggingOff").Output, StringComparison.Ordinal);

        Assert.Equal("audit", Json("GetBucketTagging").GetProperty("TagSet")[0].GetProperty("Value").GetString());
        Assert.Equal("NoSuchTagSet", Error("GetBucketTaggingDeleted"));
    }

    private JsonElement EncryptionRule(string id) =>
        Json(id).GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0];

    private ProcessResult Result(string id) => fixture.Result(id);

    private JsonElement Json(string id) => fixture.Json(id);

    private string Error(string id) => fixture.Error(id);
}
