using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Backup;

/// <summary>AWS Backup (REST-JSON).</summary>
public sealed class BackupClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Backup);

    internal BackupClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Backup, new RestJsonProtocol(AwsServiceDescription.Backup))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeGlobalSettingsResponse> DescribeGlobalSettingsAsync(DescribeGlobalSettingsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeGlobalSettingsResponse>(request, cancellationToken);

    public Task<UpdateGlobalSettingsResponse> UpdateGlobalSettingsAsync(UpdateGlobalSettingsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<UpdateGlobalSettingsResponse>(request, cancellationToken);

    public Task<ListBackupVaultsResponse> ListBackupVaultsAsync(ListBackupVaultsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListBackupVaultsResponse>(request, cancellationToken);

    public IAsyncEnumerable<BackupVaultListMember> ListAllBackupVaultsAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListBackupVaultsRequest(), ListBackupVaultsAsync, page => page.BackupVaultList, cancellationToken);

    public Task<DescribeBackupVaultResponse> DescribeBackupVaultAsync(DescribeBackupVaultRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeBackupVaultResponse>(request, cancellationToken);

    public Task<CreateBackupVaultResponse> CreateBackupVaultAsync(CreateBackupVaultRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateBackupVaultResponse>(request, cancellationToken);
}
