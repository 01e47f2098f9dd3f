using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

// Shapes of Amazon EFS 2015-02-01 (botocore model efs/2015-02-01, REST-JSON, PascalCase members): only what a
// validation of a restored file system reads and deletes.
namespace CloudPatterns.Aws.Restore;

/// <summary>Amazon Elastic File System (REST-JSON): the file systems a restore creates, and their mount targets.</summary>
public sealed class EfsClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Efs);

    internal EfsClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Efs, new RestJsonProtocol(AwsServiceDescription.Efs))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeFileSystemsResponse> DescribeFileSystemsAsync(DescribeFileSystemsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeFileSystemsResponse>(request, cancellationToken);

    public Task<DescribeMountTargetsResponse> DescribeMountTargetsAsync(DescribeMountTargetsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeMountTargetsResponse>(request, cancellationToken);

    public Task<EfsEmptyResponse> DeleteMountTargetAsync(DeleteMountTargetRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<EfsEmptyResponse>(request, cancellationToken);

    public Task<EfsEmptyResponse> DeleteFileSystemAsync(DeleteFileSystemRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<EfsEmptyResponse>(request, cancellationToken);
}

[RestOperation("GET", "/2015-02-01/file-systems")]
public sealed class DescribeFileSystemsRequest : AmazonWebServiceRequest
{
    [RestQuery("FileSystemId")]
    public string? FileSystemId { get; set; }

    [RestQuery("CreationToken")]
    public string? CreationToken { get; set; }
}

public sealed class DescribeFileSystemsResponse : AmazonWebServiceResponse
{
    public List<FileSystemDescription> FileSystems { get; set; } = new();
}

public sealed class FileSystemDescription
{
    public string? FileSystemId { get; set; }

    public string? FileSystemArn { get; set; }

    public string? CreationToken { get; set; }

    public string? LifeCycleState { get; set; }

    public int NumberOfMountTargets { get; set; }

    public FileSystemSize? SizeInBytes { get; set; }
}

public sealed class FileSystemSize
{
    public long Value { get; set; }
}

[RestOperation("GET", "/2015-02-01/mount-targets")]
public sealed class DescribeMountTargetsRequest : AmazonWebServiceRequest
{
    [RestQuery("FileSystemId")]
    public string? FileSystemId { get; set; }
}

public sealed class DescribeMountTargetsResponse : AmazonWebServiceResponse
{
    public List<MountTargetDescription> MountTargets { get; set; } = new();
}

public sealed class MountTargetDescription
{
    public string? MountTargetId { get; set; }

    public string? LifeCycleState { get; set; }
}

[RestOperation("DELETE", "/2015-02-01/mount-targets/{MountTargetId}")]
public sealed class DeleteMountTargetRequest : AmazonWebServiceRequest
{
    [RestPath("MountTargetId")]
    public string? MountTargetId { get; set; }
}

[RestOperation("DELETE", "/2015-02-01/file-systems/{FileSystemId}")]
public sealed class DeleteFileSystemRequest : AmazonWebServiceRequest
{
    [RestPath("FileSystemId")]
    public string? FileSystemId { get; set; }
}

/// <summary>The answer of EFS's delete operations (204, no body).</summary>
public sealed class EfsEmptyResponse : AmazonWebServiceResponse
{
}
