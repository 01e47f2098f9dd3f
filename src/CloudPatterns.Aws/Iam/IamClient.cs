using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Iam;

/// <summary>AWS IAM (Query protocol; global, signed for the partition's global region).</summary>
public sealed class IamClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Iam);

    internal IamClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Iam, new QueryProtocol(AwsServiceDescription.Iam))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<GetRoleResponse> GetRoleAsync(GetRoleRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetRoleResponse>(request, cancellationToken);

    public Task<CreateRoleResponse> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<CreateRoleResponse>(request, cancellationToken);

    public Task<UpdateAssumeRolePolicyResponse> UpdateAssumeRolePolicyAsync(UpdateAssumeRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<UpdateAssumeRolePolicyResponse>(request, cancellationToken);

    public Task<GetRolePolicyResponse> GetRolePolicyAsync(GetRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetRolePolicyResponse>(request, cancellationToken);

    /// <summary>IAM's policy simulator: the principal's policies (and the SCPs above it) on each action and resource.</summary>
    public Task<SimulatePrincipalPolicyResponse> SimulatePrincipalPolicyAsync(SimulatePrincipalPolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<SimulatePrincipalPolicyResponse>(request, cancellationToken);

    public Task<PutRolePolicyResponse> PutRolePolicyAsync(PutRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PutRolePolicyResponse>(request, cancellationToken);
}
