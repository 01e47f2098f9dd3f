using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Restore;

/// <summary>Amazon RDS (Query protocol): the DB instances and Aurora clusters a restore creates.</summary>
public sealed class RdsClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Rds);

    internal RdsClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Rds, new QueryProtocol(AwsServiceDescription.Rds))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeDBInstancesResponse> DescribeDBInstancesAsync(DescribeDBInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeDBInstancesResponse>(request, cancellationToken);

    public Task<DeleteDBInstanceResponse> DeleteDBInstanceAsync(DeleteDBInstanceRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteDBInstanceResponse>(request, cancellationToken);

    public Task<CreateDBInstanceResponse> CreateDBInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateDBInstanceResponse>(request, cancellationToken);

    public Task<DescribeDBClustersResponse> DescribeDBClustersAsync(DescribeDBClustersRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeDBClustersResponse>(request, cancellationToken);

    public Task<DeleteDBClusterResponse> DeleteDBClusterAsync(DeleteDBClusterRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteDBClusterResponse>(request, cancellationToken);

    public Task<DescribeEventsResponse> DescribeEventsAsync(DescribeEventsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeEventsResponse>(request, cancellationToken);
}

/// <summary>Amazon DynamoDB (JSON 1.0): the tables a restore creates.</summary>
public sealed class DynamoDbClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.DynamoDb);

    internal DynamoDbClient(AwsClientContext context)
        : base(context, AwsServiceDescription.DynamoDb, new Json11Protocol(AwsServiceDescription.DynamoDb, "DynamoDB_20120810", jsonVersion: "1.0"))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeTableResponse> DescribeTableAsync(DescribeTableRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeTableResponse>(request, cancellationToken);

    public Task<DeleteTableResponse> DeleteTableAsync(DeleteTableRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteTableResponse>(request, cancellationToken);
}

/// <summary>Amazon EC2 (EC2 protocol): the EBS volumes and instances a restore creates.</summary>
public sealed class Ec2Client : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Ec2);

    internal Ec2Client(AwsClientContext context)
        : base(context, AwsServiceDescription.Ec2, new Ec2Protocol(AwsServiceDescription.Ec2))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeVolumesResponse> DescribeVolumesAsync(DescribeVolumesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeVolumesResponse>(request, cancellationToken);

    public Task<DeleteVolumeResponse> DeleteVolumeAsync(DeleteVolumeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DeleteVolumeResponse>(request, cancellationToken);

    public Task<DescribeInstancesResponse> DescribeInstancesAsync(DescribeInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeInstancesResponse>(request, cancellationToken);

    public Task<DescribeInstanceStatusResponse> DescribeInstanceStatusAsync(DescribeInstanceStatusRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeInstanceStatusResponse>(request, cancellationToken);

    public Task<TerminateInstancesResponse> TerminateInstancesAsync(TerminateInstancesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<TerminateInstancesResponse>(request, cancellationToken);

    public Task<DescribeRegionsResponse> DescribeRegionsAsync(DescribeRegionsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeRegionsResponse>(request, cancellationToken);
}
