using System.Net;
using Amazon.Runtime;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

/// <summary>
/// The EC2 client (EC2 protocol: <c>Name.N</c> lists, responses without a Result wrapper, <c>&lt;Response&gt;&lt;Errors&gt;</c>
/// errors) over HTTP against LocalCloud, on the staging account's seeded EBS volume. Its own LocalCloud, because it
/// deletes that volume.
/// </summary>
public sealed class Ec2ClientTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private const string StagingVolumeId = "vol-04444444444440001";
    private readonly LocalCloudFixture cloud;
    private AwsSession session = null!;

    public Ec2ClientTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync() => session = await AwsSession.CreateAsync(cloud.ManagementSettings());

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DescribeVolumesReadsTheVolumeByIdAndByFilter()
    {
        Ec2Client ec2 = (await session.GetTargetAsync(LocalCloudFixture.StagingAccountId)).Ec2;

        DescribeVolumesResponse byId = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [StagingVolumeId] });
        DescribeVolumesResponse byTag = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter { Name = "tag:backup", Values = ["weekly", "daily"] }, new Filter { Name = "status", Values = ["available"] }],
        });
        DescribeVolumesResponse noMatch = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter { Name = "tag:backup", Values = ["never"] }] });

        Volume volume = Assert.Single(byId.Volumes);
        Assert.Equal(StagingVolumeId, volume.VolumeId);
        Assert.Equal("available", volume.State);
        Assert.Equal(20, volume.Size);
        Assert.Equal("us-east-2a", volume.AvailabilityZone);
        Assert.Equal("gp3", volume.VolumeType);
        Assert.True(volume.Encrypted);
        Assert.Equal(DateTimeKind.Utc, volume.CreateTime!.Value.Kind);
        Assert.Equal("daily", Assert.Single(volume.Tags, tag => tag.Key == "backup").Value);
        Assert.False(string.IsNullOrEmpty(byId.ResponseMetadata.RequestId));
        Assert.Equal(StagingVolumeId, Assert.Single(byTag.Volumes).VolumeId);
        Assert.Empty(noMatch.Volumes);
    }

    [Fact]
    public async Task DeleteVolumeRemovesItAndAnUnknownVolumeIsInvalidVolumeNotFound()
    {
        Ec2Client ec2 = (await session.GetTargetAsync(LocalCloudFixture.StagingAccountId, LocalCloudFixture.PrimaryRegion)).Ec2;
        const string otherVolumeId = "vol-0ffffffffffffffff";

        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = StagingVolumeId });
        var described = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [StagingVolumeId] }));
        var deleted = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = otherVolumeId }));

        Assert.Equal("InvalidVolume.NotFound", described.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, described.StatusCode);
        Assert.Equal($"The volume '{StagingVolumeId}' does not exist.", described.Message);
        Assert.False(string.IsNullOrEmpty(described.RequestId));
        Assert.Equal(ErrorType.Sender, described.ErrorType);
        Assert.Equal("InvalidVolume.NotFound", deleted.ErrorCode);
        Assert.Contains(otherVolumeId, deleted.Message, StringComparison.Ordinal);
        LocalCloudFixture.LoggedRequest delete = Assert.Single(await cloud.RequestsAsync(), request => request.Operation == "DeleteVolume" && request.StatusCode == 200);
        Assert.Equal(("ec2", LocalCloudFixture.StagingAccountId, LocalCloudFixture.PrimaryRegion), (delete.Service, delete.AccountId, delete.Region));
    }
}
