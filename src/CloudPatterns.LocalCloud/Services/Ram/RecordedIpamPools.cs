using CloudPatterns.LocalCloud.CloudFormation.Provisioning;

namespace CloudPatterns.LocalCloud.Services.Ram;

/// <summary>
/// IPAM pools as CloudFormation recorded them (LocalCloud has no IPAM API): what RAM may share. A pool's ARN names no
/// region (arn:aws:ec2::ACCOUNT:ipam-pool/ID); the pool is the account's in the region its stack made it
/// (docs/localcloud-ram.md).
/// </summary>
internal static class RecordedIpamPools
{
    public static bool Owns(GenericResourceProvisioner generic, string accountId, string region, string arn)
    {
        var prefix = $"arn:aws:ec2::{accountId}:ipam-pool/";
        return arn.StartsWith(prefix, StringComparison.Ordinal)
            && generic.Recorded(accountId, region, "AWS::EC2::IPAMPool").ContainsKey(arn[prefix.Length..]);
    }
}
