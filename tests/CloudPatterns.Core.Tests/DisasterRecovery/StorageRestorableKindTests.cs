using System.Net.Http.Json;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// The checks of the S3, EC2 and EFS restorable kinds against LocalCloud over SigV4: a bucket is usable when every object
/// reads back matching its ETag, an instance when it runs with both status checks ok, a file system when it is available
/// and holds files; removal leaves nothing.
/// </summary>
public sealed class StorageRestorableKindTests(LocalCloudFixture cloud) : ProductionTargetTests(cloud)
{
    private const string Fleet = """
        Resources:
          Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
          Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-2a}}
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties: {LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.small}}
          Group:
            Type: AWS::AutoScaling::AutoScalingGroup
            Properties:
              MinSize: 1
              MaxSize: 1
              VPCZoneIdentifier: [!Ref Subnet]
              LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
        """;

    private const string FileSystem = """
        Resources:
          Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
          Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: us-east-2a}}
          Shared: {Type: AWS::EFS::FileSystem, Properties: {Encrypted: true}}
          SharedInA: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: !Ref Shared, SubnetId: !Ref Subnet, SecurityGroups: []}}
        """;

    [Fact]
    public async Task A_bucket_is_usable_when_its_objects_read_back_and_is_removed_with_every_version()
    {
        RestorableKind kind = RestorableKind.For("S3")!;
        var metadata = new Dictionary<string, string> { ["DestinationBucketName"] = "orders-data", ["NewBucket"] = "false" };
        kind.NameRestore(metadata, "drv-abc123-1");
        Assert.Equal("drv-abc123-1", metadata["DestinationBucketName"]);
        Assert.Equal("true", metadata["NewBucket"]);

        Assert.Null(await kind.DescribeAsync(Target, "drv-kind-missing", CancellationToken.None));

        await Target.S3.PutBucketAsync(new PutBucketRequest { BucketName = "drv-kind-empty", BucketRegionName = Target.Region });
        var empty = await kind.DescribeAsync(Target, "drv-kind-empty", CancellationToken.None);
        Assert.False(empty!.Value.Available);
        Assert.Equal("the bucket holds no objects", empty.Value.Status);

        await Target.S3.PutBucketAsync(new PutBucketRequest { BucketName = "drv-kind-s3", BucketRegionName = Target.Region });
        await Target.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = "drv-kind-s3", VersioningConfig = new S3BucketVersioningConfig { Status = Amazon.S3.VersionStatus.Enabled } });
        foreach (var (key, body) in new[] { ("orders/1.json", "{\"order\":1}"), ("orders/2.json", "{\"order\":2}"), ("orders/2.json", "{\"order\":2,\"v\":2}") })
        {
            await Target.S3.PutObjectAsync(new PutObjectRequest { BucketName = "drv-kind-s3", Key = key, ContentBody = body });
        }

        var restored = await kind.DescribeAsync(Target, "drv-kind-s3", CancellationToken.None);
        Assert.Equal(("arn:aws:s3:::drv-kind-s3", true, "2 objects read back, each matching its ETag"), restored);

        await kind.DeleteAsync(Target, "drv-kind-s3", CancellationToken.None);
        Assert.Null(await kind.DescribeAsync(Target, "drv-kind-s3", CancellationToken.None));
        Assert.DoesNotContain((await Target.S3.ListBucketsAsync()).Buckets ?? [], bucket => bucket.BucketName == "drv-kind-s3");
    }

    [Fact]
    public async Task An_instance_is_usable_once_running_with_its_status_checks_ok_and_is_removed_by_termination()
    {
        RestorableKind kind = RestorableKind.For("EC2")!;
        Assert.False(kind.NamedByCaller);
        Assert.Equal("i-0123456789abcdef0", kind.RestoredName("drv-abc123-1", "arn:aws:ec2:us-east-2:333333333333:instance/i-0123456789abcdef0"));

        await new StackDeployment(Target).DeployAsync(new StackDeploymentRequest("drv-kind-fleet", Fleet), StackDeploymentMode.Create);
        // The stack's one instance, beside the seed's production instance.
        string id = (await Target.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations.SelectMany(reservation => reservation.Instances)
            .Single(instance => instance.InstanceId != "i-03333333333330001").InstanceId!;
        Assert.Null(await kind.DescribeAsync(Target, "i-0000000000000000f", CancellationToken.None));

        await AdvanceClockAsync("PT5M");
        var running = await kind.DescribeAsync(Target, id, CancellationToken.None);
        Assert.Equal((null, true, "running, system status ok, instance status ok"), running);

        await kind.DeleteAsync(Target, id, CancellationToken.None);
        Assert.Null(await kind.DescribeAsync(Target, id, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_system_is_usable_when_available_and_holding_files_and_is_removed_with_its_mount_targets()
    {
        RestorableKind kind = RestorableKind.For("EFS")!;
        var metadata = new Dictionary<string, string> { ["file-system-id"] = "fs-0123456789abcdef0", ["CreationToken"] = "orders", ["newFileSystem"] = "false" };
        kind.NameRestore(metadata, "drv-abc123-1");
        Assert.Equal("drv-abc123-1", metadata["CreationToken"]);
        Assert.Equal("true", metadata["newFileSystem"]);
        Assert.Equal("fs-0123456789abcdef0", metadata["file-system-id"]);
        Assert.Null(await kind.DescribeAsync(Target, "drv-kind-no-such-token", CancellationToken.None));

        await new StackDeployment(Target).DeployAsync(new StackDeploymentRequest("drv-kind-efs", FileSystem), StackDeploymentMode.Create);
        var created = (await Target.Efs.DescribeFileSystemsAsync(new DescribeFileSystemsRequest())).FileSystems.Single(found => found.CreationToken!.StartsWith("drv-kind-efs-", StringComparison.Ordinal));
        Assert.Equal(1, created.NumberOfMountTargets);
        var empty = await kind.DescribeAsync(Target, created.CreationToken!, CancellationToken.None);
        Assert.Equal((created.FileSystemArn, false, "available but empty (6144 bytes metered, the size of a file system with no files)"), empty);

        using var admin = new HttpClient { BaseAddress = Cloud.Server.Url };
        var files = new { accountId = Target.AccountId, region = Target.Region, fileSystemId = created.FileSystemId, files = new Dictionary<string, string> { ["/orders/1.json"] = "{\"order\":1}" } };
        (await admin.PutAsJsonAsync("/_localcloud/efs/files", files)).EnsureSuccessStatusCode();
        var holding = await kind.DescribeAsync(Target, created.CreationToken!, CancellationToken.None);
        Assert.Equal((created.FileSystemArn, true, "available, 6155 bytes metered"), holding);

        await kind.DeleteAsync(Target, created.CreationToken!, CancellationToken.None);
        Assert.Null(await kind.DescribeAsync(Target, created.CreationToken!, CancellationToken.None));
        Assert.DoesNotContain((await Target.Efs.DescribeFileSystemsAsync(new DescribeFileSystemsRequest())).FileSystems, found => found.FileSystemId == created.FileSystemId);
    }

    private async Task AdvanceClockAsync(string duration)
    {
        using var admin = new HttpClient { BaseAddress = Cloud.Server.Url };
        (await admin.PostAsJsonAsync("/_localcloud/clock", new { advance = duration })).EnsureSuccessStatusCode();
    }
}
