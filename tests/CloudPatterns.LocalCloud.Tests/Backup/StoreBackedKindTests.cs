using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// The Backup kinds whose resources live in their own service's store, through boto3 (python/backup_kinds_client.py).
/// S3: only a versioned bucket is backed up; a restore into a new bucket gives back the objects as they were at the
/// backup (checked by SHA-256), and a restore into the bucket itself puts back what was deleted without overwriting
/// what changed since. EC2: a backup makes an image with its snapshot; a restore launches an instance from it in the
/// subnet and security group given, which boots and passes its status checks, and terminates.
/// </summary>
public sealed class StoreBackedKindTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
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

    [Fact]
    public async Task An_instance_is_backed_up_as_an_image_and_restored_as_a_new_instance_that_boots()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "backup_kinds_client.py", "ec2", production.Id);
        var source = results.Text("Source")!;

        Assert.Equal("CREATE_COMPLETE", results.Text("Stack"));
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("Missing"));
        Assert.Equal("COMPLETED", results.Text("BackupJob", "State"));
        Assert.Equal("EC2", results.Text("BackupJob", "ResourceType"));

        var image = Assert.Single(results.At("Images", "Images").EnumerateArray());
        Assert.Matches("^ami-[0-9a-f]{17}$", image.Text("ImageId"));
        Assert.Equal("available", image.Text("State"));
        Assert.StartsWith($"AwsBackup_{source}_", image.Text("Name"), StringComparison.Ordinal);
        Assert.Matches("^snap-[0-9a-f]{17}$", image.GetProperty("BlockDeviceMappings")[0].Text("Ebs", "SnapshotId"));
        Assert.Equal(image.Text("ImageId"), Assert.Single(results.At("ImagesBySource", "Images").EnumerateArray()).Text("ImageId"));
        Assert.Equal(("InvalidAMIID.NotFound", 400), results.AwsError("UnknownImage"));

        var metadata = results.At("RestoreMetadata", "RestoreMetadata");
        Assert.Equal("t3.small", metadata.Text("InstanceType"));
        Assert.StartsWith("subnet-", metadata.Text("SubnetId"), StringComparison.Ordinal);
        // The group of the launch template's network interface, which the Auto Scaling group's instance runs in.
        Assert.Equal($"[\"{results.Text("Outputs", "Web")}\"]", metadata.Text("SecurityGroupIds"));
        Assert.Equal(3, metadata.EnumerateObject().Count());
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("BadGroups"));
        Assert.Contains("not sg-1", results.Text("BadGroups", "message"), StringComparison.Ordinal);

        Assert.Equal("COMPLETED", results.Text("RestoreJob", "Status"));
        var restored = results.At("Restored", "Reservations")[0].GetProperty("Instances")[0];
        Assert.Equal(results.Text("RestoreJob", "CreatedResourceArn"), $"arn:aws:ec2:{fixture.Organization.PrimaryRegion}:{production.Id}:instance/{restored.Text("InstanceId")}");
        Assert.NotEqual(source, restored.Text("InstanceId"));
        Assert.Equal("running", restored.Text("State", "Name"));
        Assert.Equal(image.Text("ImageId"), restored.Text("ImageId"));
        Assert.Equal("t3.micro", restored.Text("InstanceType"));
        Assert.Equal(results.Text("Outputs", "SubnetB"), restored.Text("SubnetId"));
        Assert.Equal(results.Text("Outputs", "Web"), restored.GetProperty("SecurityGroups")[0].Text("GroupId"));
        Assert.Equal("orders", restored.GetProperty("Tags").EnumerateArray().Single(tag => tag.Text("Key") == "app").Text("Value"));
        var status = Assert.Single(results.At("RestoredStatus", "InstanceStatuses").EnumerateArray());
        Assert.Equal("ok", status.Text("InstanceStatus", "Status"));
        Assert.Equal("ok", status.Text("SystemStatus", "Status"));

        Assert.Equal("FAILED", results.Text("UnknownGroupJob", "Status"));
        Assert.Contains("InvalidGroup.NotFound", results.Text("UnknownGroupJob", "StatusMessage"), StringComparison.Ordinal);
        Assert.Equal("FAILED", results.Text("UnknownSubnetJob", "Status"));
        Assert.Contains("subnet-0000000000000000f", results.Text("UnknownSubnetJob", "StatusMessage"), StringComparison.Ordinal);

        Assert.Equal("running", results.At("Terminate", "TerminatingInstances")[0].Text("PreviousState", "Name"));
        Assert.Equal("terminated", results.At("Terminate", "TerminatingInstances")[0].Text("CurrentState", "Name"));
        Assert.Equal(("InvalidInstanceID.NotFound", 400), results.AwsError("TerminateUnknown"));
        Assert.Equal("terminated", results.At("AfterTerminate", "Reservations")[0].GetProperty("Instances")[0].Text("State", "Name"));
        Assert.Equal("running", results.At("SourceAfter", "Reservations")[0].GetProperty("Instances")[0].Text("State", "Name"));

        Assert.True(results.At("Deregister", "Return").GetBoolean());
        Assert.Equal(("InvalidAMIID.NotFound", 400), results.AwsError("DeregisterAgain"));
        Assert.Equal("FAILED", results.Text("ImageGoneJob", "Status"));
        Assert.Contains("InvalidAMIID.NotFound", results.Text("ImageGoneJob", "StatusMessage"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Contents(JsonElement results, string name) =>
        results.GetProperty(name).EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString()!);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
