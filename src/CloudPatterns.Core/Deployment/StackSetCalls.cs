using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.Organizations;

namespace CloudPatterns.Core.Deployment;

/// <summary>
/// Calls on service-managed stack sets from the caller's account (the management account, or a delegated
/// administrator calling with CallAs DELEGATED_ADMIN): describe, wait for an operation, and the deployment targets
/// for accounts given one by one. AWS's rules: docs/localcloud-stacksets.md.
/// </summary>
internal sealed class StackSetCalls
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public StackSetCalls(AwsTarget administrator, string callerAccountId, string managementAccountId)
    {
        Administrator = administrator;
        CallAs = callerAccountId == managementAccountId ? "SELF" : "DELEGATED_ADMIN";
    }

    /// <summary>The caller's account in the stack sets' region.</summary>
    public AwsTarget Administrator { get; }

    /// <summary>SELF from the management account, DELEGATED_ADMIN from a delegated administrator.</summary>
    public string CallAs { get; }

    /// <summary>
    /// Whether StackSets' trusted access is on (false also when the account may not ask: StackSets' ValidationError to one
    /// that is neither the management account nor a delegated administrator). An IAM refusal is not "off": it surfaces
    /// as the error naming the action (a role without cloudformation:DescribeOrganizationsAccess).
    /// </summary>
    public async Task<bool> TrustedAccessAsync(CancellationToken cancellationToken)
    {
        try
        {
            var access = await Administrator.CloudFormation.DescribeOrganizationsAccessAsync(new DescribeOrganizationsAccessRequest { CallAs = CallAs }, cancellationToken).ConfigureAwait(false);
            return access.Status == "ENABLED";
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "ValidationError")
        {
            return false;
        }
    }

    /// <summary>The stack set, or null when there is none of that name.</summary>
    public async Task<StackSet?> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await Administrator.CloudFormation.DescribeStackSetAsync(new DescribeStackSetRequest { StackSetName = name, CallAs = CallAs }, cancellationToken).ConfigureAwait(false)).StackSet;
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "StackSetNotFoundException")
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<StackInstanceSummary>> InstancesAsync(string name, CancellationToken cancellationToken)
    {
        var instances = new List<StackInstanceSummary>();
        await foreach (var instance in Administrator.CloudFormation.ListAllStackInstancesAsync(name, CallAs, cancellationToken).ConfigureAwait(false))
        {
            instances.Add(instance);
        }

        return instances;
    }

    /// <summary>Polls the operation until it ends (SUCCEEDED, FAILED or STOPPED).</summary>
    public async Task<StackSetOperation> WaitAsync(string name, string operationId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var operation = (await Administrator.CloudFormation.DescribeStackSetOperationAsync(
                new DescribeStackSetOperationRequest { StackSetName = name, OperationId = operationId, CallAs = CallAs }, cancellationToken).ConfigureAwait(false)).StackSetOperation
                ?? throw new InvalidOperationException("DescribeStackSetOperation returned no operation.");
            if (operation.Status is not ("RUNNING" or "QUEUED" or "STOPPING"))
            {
                return operation;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Service-managed targets: OUs as given (UNION with accounts given too); accounts given without OUs as their
    /// OUs intersected with them (a service-managed set cannot target an account by itself).
    /// </summary>
    public static async Task<DeploymentTargets> TargetsAsync(AwsSession session, ICollection<string> units, ICollection<string> accounts, CancellationToken cancellationToken)
    {
        if (units.Count > 0)
        {
            return new DeploymentTargets
            {
                OrganizationalUnitIds = units.Distinct(StringComparer.Ordinal).ToList(),
                Accounts = accounts.Count > 0 ? accounts.Distinct(StringComparer.Ordinal).ToList() : null,
                AccountFilterType = accounts.Count > 0 ? "UNION" : null,
            };
        }

        var wanted = new HashSet<string>(accounts, StringComparer.Ordinal);
        var parents = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (OrgAccount account in OrgAccountQuery.RunAsync(session, new OrgAccountFilter { Recurse = true }, cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(account.AccountId))
            {
                parents.Add(account.ParentId);
            }
        }

        return new DeploymentTargets { OrganizationalUnitIds = parents.ToList(), Accounts = wanted.OrderBy(id => id, StringComparer.Ordinal).ToList(), AccountFilterType = "INTERSECTION" };
    }
}

/// <summary>A stack set operation that ended other than SUCCEEDED; the message says how many instances failed.</summary>
public sealed class StackSetOperationException : Exception
{
    public StackSetOperationException(string message)
        : base(message)
    {
    }
}
