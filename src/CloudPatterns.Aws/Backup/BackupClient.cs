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

    public Task<GetBackupVaultAccessPolicyResponse> GetBackupVaultAccessPolicyAsync(GetBackupVaultAccessPolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetBackupVaultAccessPolicyResponse>(request, cancellationToken);

    public Task<ListCopyJobsResponse> ListCopyJobsAsync(ListCopyJobsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListCopyJobsResponse>(request, cancellationToken);

    public IAsyncEnumerable<CopyJob> ListAllCopyJobsAsync(ListCopyJobsRequest request, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(request, ListCopyJobsAsync, page => page.CopyJobs, cancellationToken);

    public Task<StartCopyJobResponse> StartCopyJobAsync(StartCopyJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<StartCopyJobResponse>(request, cancellationToken);

    public Task<DescribeCopyJobResponse> DescribeCopyJobAsync(DescribeCopyJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeCopyJobResponse>(request, cancellationToken);

    public Task<StartBackupJobResponse> StartBackupJobAsync(StartBackupJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<StartBackupJobResponse>(request, cancellationToken);

    public Task<DescribeBackupJobResponse> DescribeBackupJobAsync(DescribeBackupJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeBackupJobResponse>(request, cancellationToken);

    public Task<ListRecoveryPointsByBackupVaultResponse> ListRecoveryPointsByBackupVaultAsync(ListRecoveryPointsByBackupVaultRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListRecoveryPointsByBackupVaultResponse>(request, cancellationToken);

    public IAsyncEnumerable<RecoveryPointByBackupVault> ListAllRecoveryPointsByBackupVaultAsync(ListRecoveryPointsByBackupVaultRequest request, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(request, ListRecoveryPointsByBackupVaultAsync, page => page.RecoveryPoints, cancellationToken);

    public Task<GetRecoveryPointRestoreMetadataResponse> GetRecoveryPointRestoreMetadataAsync(GetRecoveryPointRestoreMetadataRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetRecoveryPointRestoreMetadataResponse>(request, cancellationToken);

    public Task<StartRestoreJobResponse> StartRestoreJobAsync(StartRestoreJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<StartRestoreJobResponse>(request, cancellationToken);

    public IAsyncEnumerable<RestoreJobsListMember> ListAllRestoreJobsAsync(ListRestoreJobsRequest request, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(request, (page, token) => CallAsync<ListRestoreJobsResponse>(page, token), page => page.RestoreJobs, cancellationToken);

    public Task<DescribeRestoreJobResponse> DescribeRestoreJobAsync(DescribeRestoreJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeRestoreJobResponse>(request, cancellationToken);

    public Task<ListProtectedResourcesResponse> ListProtectedResourcesAsync(ListProtectedResourcesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListProtectedResourcesResponse>(request, cancellationToken);

    public IAsyncEnumerable<ProtectedResource> ListAllProtectedResourcesAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListProtectedResourcesRequest(), ListProtectedResourcesAsync, page => page.Results, cancellationToken);
}
