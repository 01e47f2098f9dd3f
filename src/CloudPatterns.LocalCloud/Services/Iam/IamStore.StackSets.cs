using System.Security.Cryptography;
using System.Text;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

internal sealed partial class IamStore
{
    private const string StackSetsOrgAdminRole = "aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin";

    /// <summary>
    /// The role service-managed StackSets deploy a member account's stack instances as (docs/localcloud-stacksets.md,
    /// "Service-managed permissions"): stacksets-exec-&lt;32 hex digits&gt;, made on first use with AdministratorAccess
    /// and trusting the management account's StackSets service-linked role, as AWS makes it. An ordinary role, so the
    /// SCPs above the member account apply to what it does.
    /// </summary>
    public string StackSetsExecutionRole(string accountId, string managementAccountId, DateTimeOffset now)
    {
        var name = "stacksets-exec-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("stacksets:" + managementAccountId)))[..32];
        var arn = $"arn:aws:iam::{accountId}:role/{name}";
        lock (gate)
        {
            if (FindRole(arn) is null)
            {
                var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{managementAccountId}}:role/{{StackSetsOrgAdminRole}}"},"Action":"sts:AssumeRole"}]}""";
                CreateRole(accountId, "/", name, trust, "Execution role of service-managed CloudFormation StackSets", 3600, [], now);
                AttachRolePolicy(accountId, name, "arn:aws:iam::aws:policy/AdministratorAccess");
            }
        }

        return arn;
    }
}
