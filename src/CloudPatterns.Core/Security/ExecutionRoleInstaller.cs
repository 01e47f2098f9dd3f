using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Iam;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Security;

/// <summary>What Install-CloudPatternsRole did to one role: Created, Updated (trust or policy changed) or Unchanged.</summary>
public sealed class InstalledRole
{
    public InstalledRole(string accountId, string region, ExecutionJob job, string roleName, string? roleArn, string action)
    {
        AccountId = accountId;
        Region = region;
        Job = job;
        RoleName = roleName;
        RoleArn = roleArn;
        Action = action;
    }

    public string AccountId { get; }

    /// <summary>The region the session ran in; IAM roles are global.</summary>
    public string Region { get; }

    public ExecutionJob Job { get; }

    public string RoleName { get; }

    public string? RoleArn { get; }

    public string Action { get; }

    /// <summary>True for a job's CloudFormation service role (-WithServiceRole), false for the job's execution role.</summary>
    public bool IsServiceRole { get; internal set; }
}

/// <summary>What a job's role is: its name, the account it trusts with which ExternalId, and its policy's placeholders.</summary>
public sealed class ExecutionRoleSpec
{
    public ExecutionRoleSpec(ExecutionJob job, string roleName, string trustedAccountId, string externalId, string? evidenceBucketName = null)
    {
        Job = job;
        RoleName = roleName;
        TrustedAccountId = trustedAccountId;
        ExternalId = externalId;
        EvidenceBucketName = evidenceBucketName;
    }

    public ExecutionJob Job { get; }

    public string RoleName { get; }

    public string TrustedAccountId { get; }

    public string ExternalId { get; }

    public string? EvidenceBucketName { get; }

    /// <summary>The job's CloudFormation service role: the role then passes it instead of holding its stacks' resource permissions.</summary>
    public string? ServiceRoleName { get; set; }

    /// <summary>The role's default name: CloudPatterns and the job (CloudPatternsDrValidation).</summary>
    public static string DefaultRoleName(ExecutionJob job) => "CloudPatterns" + job;

    /// <summary>The inline policy's name: the job's name.</summary>
    public string PolicyName => Job.ToString();

    /// <summary>Only the trusted account may assume the role, and only with the ExternalId.</summary>
    public string TrustPolicy(string partition) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:{partition}:iam::{TrustedAccountId}:root" },
            ["Action"] = "sts:AssumeRole",
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["sts:ExternalId"] = ExternalId } },
        }),
    }.ToJsonString();
}

/// <summary>
/// Creates or updates a job's execution role in one account (Install-CloudPatternsRole): the role with its ExternalId
/// trust, and one inline policy with the job's statements (<see cref="JobPolicies"/>). Idempotent: what already
/// matches is left alone, so a rerun changes only what differs.
/// </summary>
public static class ExecutionRoleInstaller
{
    public static async Task<InstalledRole> InstallAsync(AwsSession session, FanOutTarget where, ExecutionRoleSpec spec, CancellationToken cancellationToken = default)
    {
        AwsTarget target = await session.GetTargetAsync(where, cancellationToken).ConfigureAwait(false);
        var partition = AwsArn.Parse(session.CallerArn).Partition;
        var policy = spec.ServiceRoleName is { } serviceRole
            ? ServiceRolePolicies.JobPolicy(spec.Job, serviceRole, target.AccountId, spec.EvidenceBucketName)
            : JobPolicies.Get(spec.Job, target.AccountId, spec.EvidenceBucketName);
        var (arn, action) = await InstallRoleAsync(target.Iam, spec.RoleName, spec.TrustPolicy(partition), spec.PolicyName, policy.PolicyDocument, $"CloudPatterns {spec.Job} execution role (Install-CloudPatternsRole)", cancellationToken).ConfigureAwait(false);
        return new InstalledRole(target.AccountId, target.Region, spec.Job, spec.RoleName, arn, action);
    }

    /// <summary>
    /// Creates or updates the CloudFormation service role of <paramref name="job"/> (<see cref="ServiceRolePolicies"/>):
    /// trusted by cloudformation.amazonaws.com only, with the derived policy as one inline policy named after the job.
    /// </summary>
    public static async Task<InstalledRole> InstallServiceRoleAsync(AwsSession session, FanOutTarget where, ExecutionJob job, string roleName, CancellationToken cancellationToken = default)
    {
        AwsTarget target = await session.GetTargetAsync(where, cancellationToken).ConfigureAwait(false);
        var policy = ServiceRolePolicies.Get(job, target.AccountId).PolicyDocument;
        var (arn, action) = await InstallRoleAsync(target.Iam, roleName, ServiceRolePolicies.TrustPolicy(), job + "Stacks", policy, $"CloudPatterns {job} CloudFormation service role (Install-CloudPatternsRole -WithServiceRole)", cancellationToken).ConfigureAwait(false);
        return new InstalledRole(target.AccountId, target.Region, job, roleName, arn, action) { IsServiceRole = true };
    }

    /// <summary>The role with its trust and one inline policy, each written only when it differs; returns its ARN and Created, Updated or Unchanged.</summary>
    private static async Task<(string? Arn, string Action)> InstallRoleAsync(IamClient iam, string roleName, string trust, string policyName, string policy, string description, CancellationToken cancellationToken)
    {
        string action;
        Role? role = await FindRoleAsync(iam, roleName, cancellationToken).ConfigureAwait(false);
        if (role is null)
        {
            role = (await iam.CreateRoleAsync(new CreateRoleRequest { RoleName = roleName, AssumeRolePolicyDocument = trust, Description = description }, cancellationToken).ConfigureAwait(false)).Role;
            action = "Created";
        }
        else if (!SameDocument(role.TrustPolicyDocument, trust))
        {
            await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = roleName, PolicyDocument = trust }, cancellationToken).ConfigureAwait(false);
            action = "Updated";
        }
        else
        {
            action = "Unchanged";
        }

        var current = action == "Created" ? null : await FindRolePolicyAsync(iam, roleName, policyName, cancellationToken).ConfigureAwait(false);
        if (!SameDocument(current, policy))
        {
            await iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = roleName, PolicyName = policyName, PolicyDocument = policy }, cancellationToken).ConfigureAwait(false);
            action = action == "Unchanged" ? "Updated" : action;
        }

        return (role?.Arn, action);
    }

    private static async Task<Role?> FindRoleAsync(IamClient iam, string roleName, CancellationToken cancellationToken)
    {
        try
        {
            return (await iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken).ConfigureAwait(false)).Role;
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return null;
        }
    }

    private static async Task<string?> FindRolePolicyAsync(IamClient iam, string roleName, string policyName, CancellationToken cancellationToken)
    {
        try
        {
            var encoded = (await iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = roleName, PolicyName = policyName }, cancellationToken).ConfigureAwait(false)).PolicyDocument;
            return encoded is null ? null : Uri.UnescapeDataString(encoded);
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return null;
        }
    }

    /// <summary>Equal as JSON (member order and whitespace aside), as IAM may reformat a document it stores.</summary>
    private static bool SameDocument(string? current, string wanted) =>
        current is not null && CanonicalJson.ToBytes(JsonNode.Parse(current)).SequenceEqual(CanonicalJson.ToBytes(JsonNode.Parse(wanted)));
}
