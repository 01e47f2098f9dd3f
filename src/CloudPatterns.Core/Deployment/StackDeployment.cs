using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Core.Stacks;
using Tag = CloudPatterns.Aws.CloudFormation.Tag;

namespace CloudPatterns.Core.Deployment;

/// <summary>
/// Deploys CloudFormation stacks into one account and region the way an operator would: through a change set
/// (previewed, then executed), stack events streamed as progress, a wait for a terminal status, and on failure the
/// failing resources with CloudFormation's reasons. Shared by the patterns (Multi-AZ, GitOps, DR).
/// </summary>
public sealed class StackDeployment
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);

    private readonly CloudFormationClient cloudFormation;
    private readonly RdsClient rds;

    public StackDeployment(AwsTarget target)
    {
        cloudFormation = target.CloudFormation;
        rds = target.Rds;
        AccountId = target.AccountId;
        Region = target.Region;
    }

    public string AccountId { get; }

    public string Region { get; }

    /// <summary>The stack, or null when it does not exist (a stack left in REVIEW_IN_PROGRESS by an unexecuted create counts as absent).</summary>
    public async Task<PatternStack?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var stack = await DescribeRawAsync(stackName, cancellationToken).ConfigureAwait(false);
        return stack is null ? null : new PatternStack(AccountId, Region, stack);
    }

    /// <summary>
    /// What deploying <paramref name="request"/> would change. For an existing stack: a change set, described and
    /// deleted (the stack itself is untouched). For a new stack, the template's resources in effect, all Add, after
    /// CloudFormation has validated it: a CREATE change set would itself create the stack (REVIEW_IN_PROGRESS).
    /// </summary>
    public async Task<StackChangePreview> PreviewAsync(StackDeploymentRequest request, StackDeploymentMode mode, CancellationToken cancellationToken = default)
    {
        var existing = await RequireModeAsync(request.StackName, mode, cancellationToken).ConfigureAwait(false);
        // A stack whose creation rolled back holds nothing: deploying creates it anew.
        if (existing is null || existing.StackStatus == FailedCreateStatus)
        {
            await cloudFormation.ValidateTemplateAsync(new ValidateTemplateRequest { TemplateBody = request.TemplateBody }, cancellationToken).ConfigureAwait(false);
            var template = TemplateDocument.Parse(request.TemplateBody);
            var values = template.ParameterValues(new Dictionary<string, string>(request.Parameters));
            var adds = template.Resources(values, Region, AccountId)
                .Select(r => new StackResourceChange("Add", r.LogicalId, r.Type, null, null))
                .ToList();
            return new StackChangePreview(AccountId, Region, request.StackName, stackExists: false, adds);
        }

        var changeSet = await CreateChangeSetAsync(request, existing, cancellationToken).ConfigureAwait(false);
        try
        {
            return new StackChangePreview(AccountId, Region, request.StackName, stackExists: true, changeSet.Changes);
        }
        finally
        {
            await DeleteChangeSetAsync(request.StackName, changeSet.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates or updates the stack through a change set and waits until CloudFormation is done, reporting each
    /// stack event. Nothing to change is not an error: the result has no changes. Throws
    /// <see cref="StackDeploymentFailedException"/> (with the failed resources) when the stack ends failed or rolled back.
    /// </summary>
    public async Task<StackDeploymentResult> DeployAsync(StackDeploymentRequest request, StackDeploymentMode mode, IProgress<StackProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var existing = await RequireModeAsync(request.StackName, mode, cancellationToken).ConfigureAwait(false);
        if (existing?.StackStatus == FailedCreateStatus)
        {
            if (!request.ReplaceFailedCreate)
            {
                throw new StackCreateFailedException(request.StackName, AccountId, Region, await FailureReasonAsync(existing, cancellationToken).ConfigureAwait(false));
            }

            await DeleteAsync(request.StackName, progress, cancellationToken).ConfigureAwait(false);
            existing = null;
        }

        var changeSet = await CreateChangeSetAsync(request, existing, cancellationToken).ConfigureAwait(false);
        if (changeSet.Changes.Count == 0 && existing is not null)
        {
            await DeleteChangeSetAsync(request.StackName, changeSet.Name, cancellationToken).ConfigureAwait(false);
            return new StackDeploymentResult(new PatternStack(AccountId, Region, existing), changeSet.Changes);
        }

        var started = DateTime.UtcNow;
        await cloudFormation.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = request.StackName, ChangeSetName = changeSet.Name, ClientRequestToken = request.ClientRequestToken }, cancellationToken).ConfigureAwait(false);
        var stack = await WaitAsync(changeSet.StackId, request.StackName, started, progress, cancellationToken).ConfigureAwait(false);
        return new StackDeploymentResult(stack, changeSet.Changes);
    }

    /// <summary>
    /// Deletes the stack and waits until it is gone. Refuses, saying how to turn the protection off, while termination
    /// protection is on or a DB instance of the stack has deletion protection on (CloudFormation would otherwise start
    /// deleting and end DELETE_FAILED with part of the stack gone).
    /// </summary>
    public async Task DeleteAsync(string stackName, IProgress<StackProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stack = await DescribeRawAsync(stackName, cancellationToken).ConfigureAwait(false) ?? throw new StackNotFoundException(stackName, AccountId, Region);
        if (stack.EnableTerminationProtection == true)
        {
            throw new StackTerminationProtectedException(stackName, AccountId, Region);
        }

        var protectedInstances = await DeletionProtectedDbInstancesAsync(stack.StackId!, cancellationToken).ConfigureAwait(false);
        if (protectedInstances.Count > 0)
        {
            var hasProtectionParameter = stack.Parameters.Any(parameter => parameter.ParameterKey == MultiAzDeletionProtectionParameter);
            throw new StackDbDeletionProtectedException(stackName, AccountId, Region, protectedInstances, hasProtectionParameter);
        }

        var started = DateTime.UtcNow;
        await cloudFormation.DeleteStackAsync(new DeleteStackRequest { StackName = stack.StackId }, cancellationToken).ConfigureAwait(false);
        await WaitAsync(stack.StackId!, stackName, started, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Why the stack's creation failed when it is ROLLBACK_COMPLETE (it can then only be deleted and created again);
    /// null for a stack in any other state, or none.
    /// </summary>
    public async Task<string?> FailedCreateReasonAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var stack = await DescribeRawAsync(stackName, cancellationToken).ConfigureAwait(false);
        return stack?.StackStatus == FailedCreateStatus ? await FailureReasonAsync(stack, cancellationToken).ConfigureAwait(false) : null;
    }

    private const string FailedCreateStatus = "ROLLBACK_COMPLETE";

    private async Task<string> FailureReasonAsync(Stack stack, CancellationToken cancellationToken)
    {
        var events = new List<StackEvent>();
        await foreach (var item in cloudFormation.DescribeAllStackEventsAsync(stack.StackId!, cancellationToken).ConfigureAwait(false))
        {
            events.Add(item);
        }

        var failures = FailuresFrom(events, stack.StackId!);
        return failures.Count > 0
            ? string.Join("; ", failures)
            : stack.StackStatusReason ?? "CloudFormation recorded no reason";
    }

    /// <summary>The template parameter of the Multi-AZ pattern that sets its databases' deletion protection.</summary>
    private const string MultiAzDeletionProtectionParameter = "DbDeletionProtection";

    /// <summary>
    /// The stack's DB instances and Aurora DB clusters whose deletion protection is on (those already gone are not in
    /// the way). An Aurora cluster's protection is the cluster's own; its instances have none (docs/multi-az-aurora.md).
    /// </summary>
    private async Task<IReadOnlyList<string>> DeletionProtectedDbInstancesAsync(string stackId, CancellationToken cancellationToken)
    {
        var databases = (await GetResourcesAsync(stackId, cancellationToken).ConfigureAwait(false))
            .Where(resource => resource.ResourceType is "AWS::RDS::DBInstance" or "AWS::RDS::DBCluster" && resource.PhysicalResourceId is not null && resource.Status != "DELETE_COMPLETE");
        var protectedDatabases = new List<string>();
        foreach (var database in databases)
        {
            try
            {
                var isProtected = database.ResourceType == "AWS::RDS::DBCluster"
                    ? (await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = database.PhysicalResourceId }, cancellationToken).ConfigureAwait(false)).DBClusters.Any(db => db.DeletionProtection == true)
                    : (await rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = database.PhysicalResourceId }, cancellationToken).ConfigureAwait(false)).DBInstances.Any(db => db.DeletionProtection == true);
                if (isProtected)
                {
                    protectedDatabases.Add(database.PhysicalResourceId!);
                }
            }
            catch (AmazonServiceException error) when (error.ErrorCode is "DBInstanceNotFound" or "DBClusterNotFoundFault")
            {
                // Deleted outside CloudFormation: nothing protects it any more.
            }
        }

        return protectedDatabases;
    }

    public async Task SetTerminationProtectionAsync(string stackName, bool enabled, CancellationToken cancellationToken = default) =>
        await cloudFormation.UpdateTerminationProtectionAsync(new UpdateTerminationProtectionRequest { StackName = stackName, EnableTerminationProtection = enabled }, cancellationToken).ConfigureAwait(false);

    /// <summary>The template the stack runs (as submitted).</summary>
    public async Task<string> GetTemplateBodyAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var response = await cloudFormation.GetTemplateAsync(new GetTemplateRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
        return response.TemplateBody ?? string.Empty;
    }

    /// <summary>Logical id to physical id and status of every resource of the stack.</summary>
    public async Task<IReadOnlyList<DeployedResource>> GetResourcesAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var response = await cloudFormation.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
        return response.StackResources
            .Select(r => new DeployedResource(r.LogicalResourceId ?? string.Empty, r.ResourceType ?? string.Empty, r.PhysicalResourceId, r.ResourceStatus ?? string.Empty))
            .ToList();
    }

    /// <summary>
    /// Runs CloudFormation drift detection on the stack and returns its drifted resources (MODIFIED or DELETED) with
    /// the properties that differ. Read-only: detection changes nothing in the stack or its resources.
    /// </summary>
    public async Task<IReadOnlyList<DriftedResource>> DetectDriftAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var started = await cloudFormation.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
        var delay = FirstPoll;
        while (true)
        {
            var detection = await cloudFormation.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = started.StackDriftDetectionId }, cancellationToken).ConfigureAwait(false);
            if (detection.DetectionStatus == "DETECTION_FAILED")
            {
                throw new StackOperationException($"Drift detection of stack '{stackName}' in account {AccountId} region {Region} failed: {detection.DetectionStatusReason}", stackName);
            }

            if (detection.DetectionStatus == "DETECTION_COMPLETE")
            {
                if (detection.StackDriftStatus != "DRIFTED")
                {
                    return Array.Empty<DriftedResource>();
                }

                var drifts = new List<DriftedResource>();
                await foreach (var drift in cloudFormation.DescribeAllStackResourceDriftsAsync(stackName, new[] { "MODIFIED", "DELETED" }, cancellationToken).ConfigureAwait(false))
                {
                    drifts.Add(new DriftedResource(drift.LogicalResourceId ?? string.Empty, drift.ResourceType ?? string.Empty, drift.PhysicalResourceId, drift.StackResourceDriftStatus ?? string.Empty,
                        drift.PropertyDifferences.Select(d => new PropertyDrift(d.PropertyPath ?? string.Empty, d.ExpectedValue, d.ActualValue, d.DifferenceType ?? string.Empty)).ToList()));
                }

                return drifts;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Next(delay);
        }
    }

    /// <summary>A stack status CloudFormation will not move on from by itself.</summary>
    public static bool IsTerminal(string status) => !status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    /// <summary>A terminal status that means the requested operation did not do what was asked.</summary>
    public static bool IsFailure(string status) =>
        status.EndsWith("_FAILED", StringComparison.Ordinal) || status.IndexOf("ROLLBACK", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// The resources that failed, oldest first, from events newest first as CloudFormation returns them. Rollback
    /// noise ("Resource creation cancelled", the stack's own summary) is left out: it names no cause.
    /// </summary>
    internal static IReadOnlyList<StackResourceFailure> FailuresFrom(IEnumerable<StackEvent> eventsNewestFirst, string stackId)
    {
        return eventsNewestFirst
            .Reverse()
            .Where(e => e.ResourceStatus is { } status && status.EndsWith("_FAILED", StringComparison.Ordinal)
                && e.ResourceType != "AWS::CloudFormation::Stack"
                && !string.Equals(e.ResourceStatusReason, "Resource creation cancelled", StringComparison.Ordinal)
                && e.PhysicalResourceId != stackId)
            .Select(e => new StackResourceFailure(e.LogicalResourceId ?? string.Empty, e.ResourceType ?? string.Empty, e.ResourceStatus!, e.ResourceStatusReason ?? "(no reason given)"))
            .ToList();
    }

    private async Task<Stack?> RequireModeAsync(string stackName, StackDeploymentMode mode, CancellationToken cancellationToken)
    {
        var existing = await DescribeRawAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (existing is not null && mode == StackDeploymentMode.Create)
        {
            throw new StackAlreadyExistsException(stackName, AccountId, Region, existing.StackStatus ?? "unknown");
        }

        if (existing is null && mode == StackDeploymentMode.Update)
        {
            throw new StackNotFoundException(stackName, AccountId, Region);
        }

        return existing;
    }

    private async Task<Stack?> DescribeRawAsync(string stackName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
            var stack = response.Stacks.FirstOrDefault();
            return stack is null || stack.StackStatus is "REVIEW_IN_PROGRESS" or "DELETE_COMPLETE" ? null : stack;
        }
        catch (AmazonServiceException ex) when (IsMissingStack(ex))
        {
            return null;
        }
    }

    private static bool IsMissingStack(AmazonServiceException ex) =>
        ex.ErrorCode == "ValidationError" && ex.Message.IndexOf("does not exist", StringComparison.Ordinal) >= 0;

    private async Task<CreatedChangeSet> CreateChangeSetAsync(StackDeploymentRequest request, Stack? existing, CancellationToken cancellationToken)
    {
        var name = "cloudpatterns-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var created = await cloudFormation.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = request.StackName,
            ChangeSetName = name,
            ChangeSetType = existing is null ? "CREATE" : "UPDATE",
            DeploymentMode = request.RevertDrift && existing is not null ? "REVERT_DRIFT" : null,
            TemplateBody = request.TemplateBody,
            Parameters = request.Parameters.Select(p => new Parameter { ParameterKey = p.Key, ParameterValue = p.Value }).ToList(),
            Tags = request.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
            Capabilities = request.Capabilities.Count == 0 ? null : request.Capabilities.ToList(),
            RoleARN = request.ServiceRoleArn,
            Description = "Created by CloudPatterns",
        }, cancellationToken).ConfigureAwait(false);

        var delay = FirstPoll;
        while (true)
        {
            var described = await cloudFormation.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = request.StackName, ChangeSetName = name }, cancellationToken).ConfigureAwait(false);
            if (described.Status == "FAILED")
            {
                if (existing is not null && IsNoChanges(described.StatusReason))
                {
                    return new CreatedChangeSet(name, created.StackId ?? existing.StackId!, Array.Empty<StackResourceChange>());
                }

                await DeleteChangeSetAsync(request.StackName, name, cancellationToken).ConfigureAwait(false);
                throw new StackDeploymentFailedException(null, request.StackName, "change set FAILED", described.StatusReason, Array.Empty<StackResourceFailure>());
            }

            if (described.Status == "CREATE_COMPLETE")
            {
                var changes = new List<StackResourceChange>();
                await foreach (var change in cloudFormation.DescribeAllChangesAsync(request.StackName, name, cancellationToken).ConfigureAwait(false))
                {
                    if (change.ResourceChange is { } resource)
                    {
                        changes.Add(new StackResourceChange(resource.Action ?? string.Empty, resource.LogicalResourceId ?? string.Empty, resource.ResourceType ?? string.Empty,
                            string.IsNullOrEmpty(resource.Replacement) ? null : resource.Replacement, resource.PhysicalResourceId));
                    }
                }

                return new CreatedChangeSet(name, created.StackId ?? described.StackId!, changes);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Next(delay);
        }
    }

    // CloudFormation's wording for an update change set with nothing to do.
    private static bool IsNoChanges(string? reason) =>
        reason is not null && (reason.IndexOf("didn't contain changes", StringComparison.Ordinal) >= 0 || reason.IndexOf("No updates are to be performed", StringComparison.Ordinal) >= 0);

    private async Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken)
    {
        await cloudFormation.DeleteChangeSetAsync(new DeleteChangeSetRequest { StackName = stackName, ChangeSetName = changeSetName }, cancellationToken).ConfigureAwait(false);
        // Deleting the only change set of a stack that never ran leaves an empty stack in REVIEW_IN_PROGRESS behind.
        var stack = await DescribeStackByIdAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (stack?.StackStatus == "REVIEW_IN_PROGRESS")
        {
            await cloudFormation.DeleteStackAsync(new DeleteStackRequest { StackName = stack.StackId }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Stack?> DescribeStackByIdAsync(string stackNameOrId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackNameOrId }, cancellationToken).ConfigureAwait(false);
            return response.Stacks.FirstOrDefault();
        }
        catch (AmazonServiceException ex) when (IsMissingStack(ex))
        {
            return null;
        }
    }

    /// <summary>Polls until the stack reaches a terminal status, reporting the events since <paramref name="since"/> oldest first.</summary>
    private async Task<PatternStack> WaitAsync(string stackId, string stackName, DateTime since, IProgress<StackProgress>? progress, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<StackEvent>();
        var delay = FirstPoll;
        while (true)
        {
            var stack = await DescribeStackByIdAsync(stackId, cancellationToken).ConfigureAwait(false);
            var fresh = await NewEventsAsync(stackId, since, seen, cancellationToken).ConfigureAwait(false);
            events.InsertRange(0, fresh);
            foreach (var item in Enumerable.Reverse(fresh))
            {
                progress?.Report(new StackProgress(AccountId, Region, stackName, item.LogicalResourceId ?? string.Empty, item.ResourceType ?? string.Empty,
                    item.ResourceStatus ?? string.Empty, item.ResourceStatusReason, item.Timestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null));
            }

            var status = stack?.StackStatus ?? "DELETE_COMPLETE";
            if (IsTerminal(status))
            {
                var result = stack is null ? null : new PatternStack(AccountId, Region, stack);
                if (IsFailure(status))
                {
                    throw new StackDeploymentFailedException(result, stackName, status, stack?.StackStatusReason, FailuresFrom(events, stackId));
                }

                return result!;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Next(delay);
        }
    }

    // Events newest first, paged until one already seen or older than the operation.
    private async Task<List<StackEvent>> NewEventsAsync(string stackId, DateTime since, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var fresh = new List<StackEvent>();
        await foreach (var item in cloudFormation.DescribeAllStackEventsAsync(stackId, cancellationToken).ConfigureAwait(false))
        {
            if (item.EventId is null || seen.Contains(item.EventId) || (item.Timestamp is { } time && time < since.AddSeconds(-1)))
            {
                break;
            }

            seen.Add(item.EventId);
            fresh.Add(item);
        }

        return fresh;
    }

    private static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 3 / 2, LongestPoll.Ticks));

    private sealed class CreatedChangeSet
    {
        public CreatedChangeSet(string name, string stackId, IReadOnlyList<StackResourceChange> changes)
        {
            Name = name;
            StackId = stackId;
            Changes = changes;
        }

        public string Name { get; }

        public string StackId { get; }

        public IReadOnlyList<StackResourceChange> Changes { get; }
    }
}

/// <summary>A resource of a deployed stack.</summary>
public sealed class DeployedResource
{
    internal DeployedResource(string logicalResourceId, string resourceType, string? physicalResourceId, string status)
    {
        LogicalResourceId = logicalResourceId;
        ResourceType = resourceType;
        PhysicalResourceId = physicalResourceId;
        Status = status;
    }

    public string LogicalResourceId { get; }

    public string ResourceType { get; }

    public string? PhysicalResourceId { get; }

    public string Status { get; }
}
