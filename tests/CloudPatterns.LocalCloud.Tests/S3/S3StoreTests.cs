using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>Versioning states as S3 keeps them: never versioned, enabled, suspended.</summary>
public sealed class S3StoreTests
{
    private const string Account = "111111111111";
    private const string Bucket = "versions";
    private static readonly GovernanceBypass NoBypass = new(false, false);
    private readonly S3Store store = new(new LocalCloudClock());

    public S3StoreTests() => store.CreateBucket(Account, "us-east-2", Bucket, objectLockEnabled: false);

    [Fact]
    public void NeverVersionedBucket_OverwritesInPlace_AndDeleteRemovesTheKey()
    {
        Put("k", "one");
        Put("k", "two");

        Assert.Equal("two", Read("k", null));
        Assert.Single(store.Read(Account, Bucket, bucket => bucket.Objects["k"].ToList()));
        Assert.Equal(new DeleteOutcome("k", null, false), store.DeleteObject(Account, Bucket, "k", null, NoBypass));
        Assert.Equal("NoSuchKey", Assert.Throws<AwsServiceException>(() => store.GetVersion(Account, Bucket, "k", null)).Code);
    }

    [Fact]
    public void EnabledVersioning_KeepsEveryVersion_AndDeleteAddsAMarker()
    {
        store.Update(Account, Bucket, bucket => bucket.Versioning = "Enabled");
        var first = Put("k", "one");
        Put("k", "two");

        var deleted = store.DeleteObject(Account, Bucket, "k", null, NoBypass);

        Assert.True(deleted.DeleteMarker);
        Assert.True(store.GetVersion(Account, Bucket, "k", null).IsDeleteMarker);
        Assert.Equal("one", Read("k", first.VersionId));
        Assert.Equal(3, store.Read(Account, Bucket, bucket => bucket.Objects["k"].Count));
    }

    [Fact]
    public void SuspendedVersioning_ReplacesOnlyTheNullVersion()
    {
        store.Update(Account, Bucket, bucket => bucket.Versioning = "Enabled");
        var kept = Put("k", "versioned");
        store.Update(Account, Bucket, bucket => bucket.Versioning = "Suspended");
        Put("k", "null one");
        var latest = Put("k", "null two");

        Assert.Equal(S3ObjectVersion.NullVersionId, latest.VersionId);
        Assert.Equal(["versioned", "null two"], store.Read(Account, Bucket, bucket => bucket.Objects["k"].Select(version => System.Text.Encoding.UTF8.GetString(version.Data)).ToList()));
        Assert.Equal("versioned", Read("k", kept.VersionId));
    }

    [Fact]
    public void BucketNames_AreGlobal_AndValidated()
    {
        Assert.Equal("BucketAlreadyExists", Assert.Throws<AwsServiceException>(() => store.CreateBucket("222222222222", "us-east-2", Bucket, false)).Code);
        Assert.Equal("InvalidBucketName", Assert.Throws<AwsServiceException>(() => store.CreateBucket(Account, "us-east-2", "Not_Valid", false)).Code);
        Assert.Equal("AccessDenied", Assert.Throws<AwsServiceException>(() => store.GetVersion("222222222222", Bucket, "k", null)).Code);
    }

    private S3ObjectVersion Put(string key, string content) =>
        store.PutObject(Account, Bucket, new NewObject(key, System.Text.Encoding.UTF8.GetBytes(content), null, [], [], null, null, null));

    private string Read(string key, string? versionId) => System.Text.Encoding.UTF8.GetString(store.GetVersion(Account, Bucket, key, versionId).Data);
}
