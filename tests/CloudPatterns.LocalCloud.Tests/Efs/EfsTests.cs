using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Efs;

/// <summary>
/// EFS through boto3 (python/efs_client.py "api"): the CloudFormation types and their attributes, CreateFileSystem's
/// idempotency and refusals, life cycles on the sandbox clock, one mount target per zone in a known subnet, access
/// points, backup policies and tags, FileSystemInUse while mount targets exist, and the refusal of an unauthorized call.
/// </summary>
public sealed class EfsTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_VPCs_default_security_group_is_a_group_EFS_and_EC2_know()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "efs_client.py", "default-group", production.Id);

        Assert.Equal("CREATE_COMPLETE", results.Text("Stack"));
        var group = results.Text("Outputs", "DefaultGroup")!;
        Assert.Matches("^sg-[0-9a-f]{17}$", group);
        var described = Assert.Single(results.At("ById", "SecurityGroups").EnumerateArray());
        Assert.Equal(("default", results.Text("Outputs", "Vpc")), (described.Text("GroupName"), described.Text("VpcId")));
        Assert.Equal(group, described.At("IpPermissions")[0].At("UserIdGroupPairs")[0].Text("GroupId"));
        Assert.Equal(group, Assert.Single(results.At("ByName", "SecurityGroups").EnumerateArray()).Text("GroupId"));
        Assert.Equal(("InvalidGroup.NotFound", 400), results.AwsError("AfterDelete"));
    }

    [Fact]
    public async Task File_systems_mount_targets_and_access_points_behave_as_in_AWS()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var region = fixture.Organization.PrimaryRegion;
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "efs_client.py", "api", production.Id);
        var outputs = results.GetProperty("Outputs");

        // CloudFormation: Ref and GetAtt FileSystemId are the id, Arn the ARN; the stack's file system is available,
        // encrypted with the template's key, with its tags, backup policy, mount target and access point.
        Assert.Equal("CREATE_COMPLETE", results.Text("Stack"));
        var shared = outputs.Text("Shared")!;
        Assert.Matches("^fs-[0-9a-f]{17}$", shared);
        Assert.Equal(shared, outputs.Text("SharedId"));
        Assert.Equal($"arn:aws:elasticfilesystem:{region}:{production.Id}:file-system/{shared}", outputs.Text("SharedArn"));
        var described = Assert.Single(results.At("Shared", "FileSystems").EnumerateArray());
        Assert.Equal("available", described.Text("LifeCycleState"));
        Assert.True(described.GetProperty("Encrypted").GetBoolean());
        Assert.Equal(outputs.Text("KeyArn"), described.Text("KmsKeyId"));
        Assert.Equal("shared", described.Text("Name"));
        Assert.Equal(1, described.GetProperty("NumberOfMountTargets").GetInt32());
        Assert.Equal(6144, described.At("SizeInBytes", "Value").GetInt64());
        Assert.Equal("ENABLED", results.Text("SharedBackupPolicy", "BackupPolicy", "Status"));
        var sharedTarget = Assert.Single(results.At("SharedMountTargets", "MountTargets").EnumerateArray());
        Assert.Equal(outputs.Text("SharedInA"), sharedTarget.Text("MountTargetId"));
        Assert.Equal(outputs.Text("SubnetA"), sharedTarget.Text("SubnetId"));
        Assert.Equal($"{region}a", sharedTarget.Text("AvailabilityZoneName"));
        var entry = Assert.Single(results.At("SharedAccessPoints", "AccessPoints").EnumerateArray());
        Assert.Equal(outputs.Text("AppEntryArn"), entry.Text("AccessPointArn"));
        Assert.Equal(1000, entry.At("PosixUser", "Uid").GetInt64());
        Assert.Equal("0755", entry.Text("RootDirectory", "CreationInfo", "Permissions"));

        // CreateFileSystem's refusals, each naming what is wrong.
        Assert.Equal(("BadRequest", 400), results.AwsError("ProvisionedWithoutRate"));
        Assert.Contains("ProvisionedThroughputInMibps", results.Text("ProvisionedWithoutRate", "message"), StringComparison.Ordinal);
        Assert.Equal(("BadRequest", 400), results.AwsError("KeyUnencrypted"));
        Assert.Contains("Encrypted", results.Text("KeyUnencrypted", "message"), StringComparison.Ordinal);
        Assert.Equal(("BadRequest", 400), results.AwsError("UnknownKey"));
        Assert.Contains("alias/no-such-key", results.Text("UnknownKey", "message"), StringComparison.Ordinal);
        Assert.Equal(("BadRequest", 400), results.AwsError("BadMode"));
        Assert.Contains("'fast'", results.Text("BadMode", "message"), StringComparison.Ordinal);

        // Created: creating, then available on the clock; the creation token makes a second create refuse with the id.
        var created = results.GetProperty("Created");
        var id = created.Text("FileSystemId")!;
        Assert.Equal("creating", created.Text("LifeCycleState"));
        Assert.Equal("orders", created.Text("Name"));
        Assert.Equal("maxIO", created.Text("PerformanceMode"));
        Assert.Equal(64.0, created.GetProperty("ProvisionedThroughputInMibps").GetDouble());
        Assert.StartsWith($"arn:aws:kms:{region}:{production.Id}:key/", created.Text("KmsKeyId"), StringComparison.Ordinal);
        Assert.Equal(("FileSystemAlreadyExists", 409), results.AwsError("SameToken"));
        Assert.Contains(id, results.Text("SameToken", "message"), StringComparison.Ordinal);
        Assert.Equal(id, Assert.Single(results.At("ByToken", "FileSystems").EnumerateArray()).Text("FileSystemId"));
        Assert.Equal(("IncorrectFileSystemLifeCycleState", 409), results.AwsError("MountWhileCreating"));
        Assert.Equal("available", results.At("AfterCreation", "FileSystems")[0].Text("LifeCycleState"));

        // Mount targets: one per zone, in a subnet that exists, with security groups that exist.
        var mount = results.GetProperty("Mount");
        Assert.Matches("^fsmt-[0-9a-f]{17}$", mount.Text("MountTargetId"));
        Assert.Equal("creating", mount.Text("LifeCycleState"));
        Assert.Equal($"{region}b", mount.Text("AvailabilityZoneName"));
        Assert.Equal(("MountTargetConflict", 409), results.AwsError("SameZone"));
        Assert.Equal(("SubnetNotFound", 400), results.AwsError("UnknownSubnet"));
        Assert.Contains("subnet-0000000000000000f", results.Text("UnknownSubnet", "message"), StringComparison.Ordinal);
        Assert.Equal(("SecurityGroupNotFound", 400), results.AwsError("UnknownGroup"));
        Assert.Single(results.At("MountTargets", "MountTargets").EnumerateArray());
        Assert.Equal("available", results.At("MountTargetAfter", "MountTargets")[0].Text("LifeCycleState"));
        Assert.Equal(("FileSystemInUse", 409), results.AwsError("DeleteInUse"));

        // Access points: the client token is idempotent; DescribeMountTargets by access point finds its file system's.
        Assert.Matches("^fsap-[0-9a-f]{17}$", results.Text("AccessPoint", "AccessPointId"));
        Assert.Equal(("AccessPointAlreadyExists", 409), results.AwsError("SameClientToken"));
        Assert.Equal(("FileSystemNotFound", 404), results.AwsError("AccessPointOfUnknown"));
        Assert.Single(results.At("AccessPoints", "AccessPoints").EnumerateArray());
        Assert.Equal(mount.Text("MountTargetId"), results.At("MountTargetsByAccessPoint", "MountTargets")[0].Text("MountTargetId"));
        Assert.Equal(("AccessPointNotFound", 404), results.AwsError("DeleteAccessPointAgain"));

        // Backup policy and tags.
        Assert.Equal("ENABLED", results.Text("BackupPolicy", "BackupPolicy", "Status"));
        Assert.Equal(("ValidationException", 400), results.AwsError("BadBackupPolicy"));
        var tag = Assert.Single(results.At("Tags", "Tags").EnumerateArray());
        Assert.Equal(("Name", "orders-2"), (tag.Text("Key"), tag.Text("Value")));
        Assert.Equal(("BadRequest", 400), results.AwsError("AwsTag"));

        // Deleting: the mount target first, then the file system; the stack's delete removes its own.
        Assert.Equal(("MountTargetNotFound", 404), results.AwsError("DeleteMountTargetAgain"));
        Assert.Equal(JsonValueKind.Object, results.GetProperty("Delete").ValueKind);
        Assert.Equal(("FileSystemNotFound", 404), results.AwsError("AfterDelete"));
        Assert.Equal("DELETE_COMPLETE", results.Text("StackDeleted"));
        Assert.Equal(("FileSystemNotFound", 404), results.AwsError("AfterStackDelete"));

        // A role without elasticfilesystem:CreateFileSystem is refused as EFS refuses (403 AccessDeniedException).
        Assert.Equal(("AccessDeniedException", 403), results.AwsError("Refused"));
        Assert.Contains($"is not authorized to perform: elasticfilesystem:CreateFileSystem on resource: arn:aws:elasticfilesystem:{region}:{production.Id}:file-system/*", results.Text("Refused", "message"), StringComparison.Ordinal);
    }
}
