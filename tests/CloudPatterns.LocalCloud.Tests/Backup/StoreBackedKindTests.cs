using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// The Backup kinds whose resources live in their own service's store, through boto3 (python/backup_kinds_client.py).
/// S3: only a versioned bucket is backed up; a restore into a new bucket gives back the objects as they were at the
/// backup (checked by SHA-256), and a restore into the bucket itself puts back what was deleted without overwriting
/// what changed since. EC2: a backup makes an image with its snapshot; a restore launches an instance from it in the
/// subnet and security group given, which boots and passes its status checks, and terminates. EFS: the point keeps the
/// files; a restore puts them, as they were, into a recovery directory of a new file system or of the source.
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

    [Fact]
    public async Task A_file_system_is_backed_up_with_its_files_and_restored_into_a_new_file_system_and_into_itself()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var region = fixture.Organization.PrimaryRegion;
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "efs_client.py", "backup", production.Id);
        var source = results.Text("Source", "FileSystemId")!;
        var atBackup = new Dictionary<string, string>
        {
            ["/README"] = Sha256("orders share"),
            ["/orders/1.json"] = Sha256("""{"order": 1}"""),
            ["/orders/2.json"] = Sha256("""{"order": 2}"""),
        };

        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("WhileCreating"));
        Assert.Contains("is creating", results.Text("WhileCreating", "message"), StringComparison.Ordinal);
        Assert.Equal(409, results.At("WriteWhileCreating", "status").GetInt32());
        Assert.Equal(atBackup, Contents(results, "Written"));
        Assert.Equal(6144 + 36, results.At("SourceSize", "Value").GetInt64());
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("Missing"));

        Assert.Equal("COMPLETED", results.Text("BackupJob", "State"));
        Assert.Equal("EFS", results.Text("BackupJob", "ResourceType"));
        Assert.Equal($"arn:aws:elasticfilesystem:{region}:{production.Id}:file-system/{source}", results.Text("RecoveryPoint", "ResourceArn"));
        var metadata = results.At("RestoreMetadata", "RestoreMetadata");
        Assert.Equal(source, metadata.Text("file-system-id"));
        Assert.Equal("true", metadata.Text("Encrypted"));
        Assert.Equal(results.Text("Source", "KmsKeyId"), metadata.Text("KmsKeyId"));
        Assert.Equal("generalPurpose", metadata.Text("PerformanceMode"));
        Assert.Equal("kinds-efs", metadata.Text("CreationToken"));
        Assert.Equal("false", metadata.Text("newFileSystem"));

        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("NoId"));
        Assert.Contains("file-system-id", results.Text("NoId", "message"), StringComparison.Ordinal);
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("KeyUnencrypted"));
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("BadNew"));
        Assert.Contains("\"yes\"", results.Text("BadNew", "message"), StringComparison.Ordinal);
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("BadItems"));

        // A new file system holds the files as they were at the backup, in a recovery directory off its root.
        Assert.Equal("COMPLETED", results.Text("RestoreToNew", "Status"));
        var restored = Assert.Single(results.At("Restored", "FileSystems").EnumerateArray());
        Assert.Equal(results.Text("RestoreToNew", "CreatedResourceArn"), restored.Text("FileSystemArn"));
        Assert.NotEqual(source, restored.Text("FileSystemId"));
        Assert.Equal("available", restored.Text("LifeCycleState"));
        Assert.Equal("kinds-efs-restored", restored.Text("CreationToken"));
        Assert.True(restored.GetProperty("Encrypted").GetBoolean());
        Assert.Equal("orders", restored.GetProperty("Tags")[0].Text("Value"));
        var restoredFiles = Contents(results.GetProperty("Files"), "Restored");
        var directory = restoredFiles.Keys.First().Split('/')[1];
        Assert.Matches("^aws-backup-restore_[0-9T:-]+Z$", directory);
        Assert.Equal(atBackup, restoredFiles.ToDictionary(file => file.Key[(directory.Length + 1)..], file => file.Value));

        // Item-level into the source itself: only that item, beside the changed original, never over it.
        Assert.Equal("COMPLETED", results.Text("RestoreItems", "Status"));
        var sourceFiles = Contents(results.GetProperty("Files"), "Source");
        Assert.Equal(Sha256("changed"), sourceFiles["/orders/1.json"]);
        var item = Assert.Single(sourceFiles, file => file.Key.StartsWith("/aws-backup-restore_", StringComparison.Ordinal));
        Assert.EndsWith("/orders/2.json", item.Key, StringComparison.Ordinal);
        Assert.Equal(atBackup["/orders/2.json"], item.Value);

        Assert.Equal("FAILED", results.Text("RestoreToGone", "Status"));
        Assert.Contains("FileSystemNotFound", results.Text("RestoreToGone", "StatusMessage"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Contents(JsonElement results, string name) =>
        results.GetProperty(name).EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString()!);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task An_Aurora_cluster_is_backed_up_as_a_cluster_snapshot_copied_and_restored_alone_into_another_network()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "backup_kinds_client.py", "aurora", production.Id);

        var jobId = results.Text("Backup", "BackupJobId")!;
        Assert.Equal($"arn:aws:rds:us-east-2:{production.Id}:cluster-snapshot:awsbackup:job-{jobId.ToLowerInvariant()}", results.Text("Backup", "RecoveryPointArn"));
        Assert.Equal("COMPLETED", results.Text("BackupJob", "State"));
        Assert.Equal("Aurora", results.Text("BackupJob", "ResourceType"));
        Assert.Equal($"arn:aws:rds:us-east-2:{production.Id}:cluster:kinds-aurora", results.Text("RecoveryPoint", "ResourceArn"));
        var copyId = results.Text("Copy", "CopyJob", "CopyJobId")!;
        Assert.Equal("COMPLETED", results.Text("Copy", "CopyJob", "State"));
        Assert.Equal($"arn:aws:rds:us-west-2:{production.Id}:cluster-snapshot:awsbackup:copyjob-{copyId.ToLowerInvariant()}", results.Text("Copy", "CopyJob", "DestinationRecoveryPointArn"));

        var metadata = results.At("RestoreMetadata", "RestoreMetadata");
        Assert.Equal(
            ["DBClusterIdentifier", "DBSubnetGroupName", "Engine", "EngineVersion", "Port", "VpcSecurityGroupIds"],
            metadata.EnumerateObject().Select(pair => pair.Name).Order(StringComparer.Ordinal));
        Assert.Equal("kinds-aurora", metadata.Text("DBClusterIdentifier"));
        Assert.Equal("aurora-postgresql", metadata.Text("Engine"));
        Assert.Equal("prod-data", metadata.Text("DBSubnetGroupName"));

        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("BadName"));
        Assert.Contains("restored--x", results.Text("BadName", "message"), StringComparison.Ordinal);
        Assert.Equal(("InvalidParameterValueException", 400), results.AwsError("OtherEngine"));
        Assert.Contains("aurora-mysql", results.Text("OtherEngine", "message"), StringComparison.Ordinal);
        Assert.Equal("FAILED", results.Text("TakenJob", "Status"));
        Assert.Contains("kinds-aurora already exists", results.Text("TakenJob", "StatusMessage"), StringComparison.Ordinal);

        Assert.Equal("COMPLETED", results.Text("RestoreJob", "Status"));
        Assert.Equal($"arn:aws:rds:us-east-2:{production.Id}:cluster:kinds-aurora-restored", results.Text("RestoreJob", "CreatedResourceArn"));
        var restored = results.At("Restored");
        Assert.Equal("available", restored.Text("Status"));
        Assert.Equal("16.4", restored.Text("EngineVersion"));
        Assert.Empty(restored.GetProperty("DBClusterMembers").EnumerateArray());
        Assert.Equal("dr-data", restored.Text("DBSubnetGroup"));
        Assert.Equal("sg-0bbbbbbbbbbbbbbb2", Assert.Single(restored.GetProperty("VpcSecurityGroups").EnumerateArray()).GetProperty("VpcSecurityGroupId").GetString());
        Assert.False(restored.GetProperty("DeletionProtection").GetBoolean());
        Assert.Equal("orders", Assert.Single(restored.GetProperty("TagList").EnumerateArray()).GetProperty("Value").GetString());
        Assert.True(results.GetProperty("NewResourceId").GetBoolean());
        var writer = Assert.Single(results.GetProperty("WithInstance").EnumerateArray());
        Assert.Equal("kinds-aurora-restored-1", writer[0].GetString());
        Assert.True(writer[1].GetBoolean());
    }
}
