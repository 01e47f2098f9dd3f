using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// S3 buckets in Backup through boto3 (python/backup_kinds_client.py): only a versioned bucket is backed up; a
/// restore into a new bucket gives back the objects as they were at the backup (checked by SHA-256), and a restore
/// into the bucket itself puts back what was deleted without overwriting what changed since.
/// </summary>
public sealed class S3BackupTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_versioned_bucket_is_backed_up_and_restored_into_a_new_bucket_and_into_itself()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "backup_kinds_client.py", "s3", production.Id);

        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("Unversioned"));
        Assert.Contains("kinds-unversioned has versioning never enabled", results.Text("Unversioned", "message"), StringComparison.Ordinal);
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("Missing"));
        Assert.Contains("arn:aws:s3:::kinds-no-such-bucket", results.Text("Missing", "message"), StringComparison.Ordinal);

        Assert.Equal("COMPLETED", results.Text("BackupJob", "State"));
        Assert.Equal("S3", results.Text("BackupJob", "ResourceType"));
        Assert.Equal("arn:aws:s3:::kinds-source", results.Text("RecoveryPoint", "ResourceArn"));
        Assert.Equal("COMPLETED", results.Text("RecoveryPoint", "Status"));
        var metadata = results.At("RestoreMetadata", "RestoreMetadata");
        Assert.Equal("kinds-source", metadata.Text("DestinationBucketName"));
        Assert.Equal("false", metadata.Text("NewBucket"));
        Assert.Equal(2, metadata.EnumerateObject().Count());

        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("NoName"));
        Assert.Contains("DestinationBucketName", results.Text("NoName", "message"), StringComparison.Ordinal);
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("BadNewBucket"));
        Assert.Contains("\"yes\"", results.Text("BadNewBucket", "message"), StringComparison.Ordinal);

        var atBackup = new Dictionary<string, string>
        {
            ["orders/1.json"] = Sha256("""{"order": 1}"""),
            ["orders/2.json"] = Sha256("""{"order": 2, "v": 2}"""),
        };
        Assert.Equal(atBackup, Contents(results, "SourceBefore"));
        Assert.Equal("COMPLETED", results.Text("RestoreToNew", "Status"));
        Assert.Equal("arn:aws:s3:::kinds-restored", results.Text("RestoreToNew", "CreatedResourceArn"));
        Assert.Equal(atBackup, Contents(results, "Restored"));
        Assert.Equal("Enabled", results.Text("RestoredVersioning", "Status"));
        Assert.Equal("orders", results.At("RestoredTags", "TagSet")[0].Text("Value"));

        // Non-destructive: the changed object keeps its new content, the deleted one comes back, the new one stays.
        Assert.Equal("COMPLETED", results.Text("RestoreInPlace", "Status"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["orders/1.json"] = Sha256("""{"order": 1, "changed": true}"""),
                ["orders/2.json"] = Sha256("""{"order": 2, "v": 2}"""),
                ["orders/3.json"] = Sha256("""{"order": 3}"""),
            },
            Contents(results, "SourceAfterInPlace"));

        Assert.Equal("FAILED", results.Text("RestoreToTakenName", "Status"));
        Assert.Contains("kinds-unversioned", results.Text("RestoreToTakenName", "StatusMessage"), StringComparison.Ordinal);
        Assert.Contains("BucketAlreadyOwnedByYou", results.Text("RestoreToTakenName", "StatusMessage"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Contents(JsonElement results, string name) =>
        results.GetProperty(name).EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString()!);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
