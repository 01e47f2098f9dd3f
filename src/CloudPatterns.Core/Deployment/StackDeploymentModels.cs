using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.Deployment;

/// <summary>What to deploy: a template body with its parameter values and the tags every resource gets.</summary>
public sealed class StackDeploymentRequest
{
    public StackDeploymentRequest(string stackName, string templateBody)
    {
        StackName = stackName;
        TemplateBody = templateBody;
    }

    public string StackName { get; }

    public string TemplateBody { get; }

    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Stack tags (CloudFormation propagates them to the resources), e.g. <see cref="PatternTags"/>.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>CAPABILITY_IAM, CAPABILITY_NAMED_IAM ... when the template needs them.</summary>
    public IList<string> Capabilities { get; } = new List<string>();

    /// <summary>
    /// Plan the update against the resources' actual state (a drift-aware change set, DeploymentMode REVERT_DRIFT),
    /// so it also puts back properties changed outside CloudFormation. Ignored when the stack is created.
    /// </summary>
    public bool RevertDrift { get; set; }

    /// <summary>Given to the change set's execution; CloudFormation puts it on every event of the operation.</summary>
    public string? ClientRequestToken { get; set; }

    /// <summary>
    /// Whether a stack whose creation failed (ROLLBACK_COMPLETE) may be deleted and created again. Callers set it only
    /// after the user agreed (or gave -Force), having shown why the creation failed.
    /// </summary>
    public bool ReplaceFailedCreate { get; set; }

    /// <summary>
    /// The CloudFormation service role (RoleARN) the stack's resources are created, updated and deleted as; null uses
    /// the caller's permissions, or the role the stack already has.
    /// </summary>
    public string? ServiceRoleArn { get; set; }
}

/// <summary>Whether a deployment may create the stack, update it, or either (GitOps reconciles both ways).</summary>
public enum StackDeploymentMode
{
    /// <summary>The stack must not exist yet.</summary>
    Create,

    /// <summary>The stack must exist.</summary>
    Update,

    /// <summary>Create when missing, update otherwise.</summary>
    CreateOrUpdate,
}

/// <summary>One resource change of a change set (or, for a stack that does not exist yet, of the template).</summary>
public sealed class StackResourceChange
{
    public StackResourceChange(string action, string logicalResourceId, string resourceType, string? replacement, string? physicalResourceId)
    {
        Action = action;
        LogicalResourceId = logicalResourceId;
        ResourceType = resourceType;
        Replacement = replacement;
        PhysicalResourceId = physicalResourceId;
    }

    /// <summary>Add, Modify, Remove (CloudFormation's ChangeAction).</summary>
    public string Action { get; }

    public string LogicalResourceId { get; }

    public string ResourceType { get; }

    /// <summary>True, False or Conditional for Modify; null for Add and Remove.</summary>
    public string? Replacement { get; }

    public string? PhysicalResourceId { get; }
}

/// <summary>What a deployment would do to one stack in one account and region.</summary>
public sealed class StackChangePreview
{
    internal StackChangePreview(string accountId, string region, string stackName, bool stackExists, IReadOnlyList<StackResourceChange> changes)
    {
        AccountId = accountId;
        Region = region;
        StackName = stackName;
        Operation = stackExists ? "Update" : "Create";
        Changes = changes;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string StackName { get; }

    /// <summary>Create or Update.</summary>
    public string Operation { get; }

    public IReadOnlyList<StackResourceChange> Changes { get; }

    public bool HasChanges => Changes.Count > 0;
}

/// <summary>A stack event, reported as progress while a stack operation runs.</summary>
public sealed class StackProgress
{
    internal StackProgress(string accountId, string region, string stackName, string logicalResourceId, string resourceType, string status, string? reason, DateTimeOffset? timestamp)
    {
        AccountId = accountId;
        Region = region;
        StackName = stackName;
        LogicalResourceId = logicalResourceId;
        ResourceType = resourceType;
        Status = status;
        Reason = reason;
        Timestamp = timestamp;
    }

    public string AccountId { get; }

    public string Region { get; }

    public string StackName { get; }

    public string LogicalResourceId { get; }

    public string ResourceType { get; }

    public string Status { get; }

    public string? Reason { get; }

    public DateTimeOffset? Timestamp { get; }

    public override string ToString() => Reason is null
        ? $"{Status} {LogicalResourceId} ({ResourceType})"
        : $"{Status} {LogicalResourceId} ({ResourceType}): {Reason}";
}

/// <summary>A resource that failed during a stack operation, and CloudFormation's reason.</summary>
public sealed class StackResourceFailure
{
    internal StackResourceFailure(string logicalResourceId, string resourceType, string status, string reason)
    {
        LogicalResourceId = logicalResourceId;
        ResourceType = resourceType;
        Status = status;
        Reason = reason;
    }

    public string LogicalResourceId { get; }

    public string ResourceType { get; }

    public string Status { get; }

    public string Reason { get; }

    public override string ToString() => $"{LogicalResourceId} ({ResourceType}) {Status}: {Reason}";
}

/// <summary>A deployment that ran: the stack as it ended, and the changes it applied (none when nothing differed).</summary>
public sealed class StackDeploymentResult
{
    internal StackDeploymentResult(PatternStack stack, IReadOnlyList<StackResourceChange> changes)
    {
        Stack = stack;
        Changes = changes;
    }

    public PatternStack Stack { get; }

    public IReadOnlyList<StackResourceChange> Changes { get; }
}

/// <summary>A stack operation CloudFormation refused or that ended in a failed or rolled-back state.</summary>
public class StackOperationException : Exception
{
    public StackOperationException(string message, string stackName)
        : base(message)
    {
        StackName = stackName;
    }

    public string StackName { get; }
}

public sealed class StackAlreadyExistsException : StackOperationException
{
    internal StackAlreadyExistsException(string stackName, string accountId, string region, string status)
        : base($"Stack '{stackName}' already exists in account {accountId} region {region} (status {status}). Update it instead, or remove it first (Remove-PatternStack).", stackName)
    {
    }
}

/// <summary>
/// The stack's creation failed and rolled back (ROLLBACK_COMPLETE): it holds nothing and CloudFormation can only
/// delete it. Deploying again needs the caller's consent to delete it first (<see cref="StackDeploymentRequest.ReplaceFailedCreate"/>).
/// </summary>
public sealed class StackCreateFailedException : StackOperationException
{
    internal StackCreateFailedException(string stackName, string accountId, string region, string reason)
        : base($"Stack '{stackName}' in account {accountId} region {region} is ROLLBACK_COMPLETE: its creation failed ({reason}) and CloudFormation cannot update it. Fix the cause, then run again and confirm (or give -Force) to delete the empty stack and create it again.", stackName)
    {
        Reason = reason;
    }

    /// <summary>Why the creation failed, from the stack's events.</summary>
    public string Reason { get; }
}

public sealed class StackNotFoundException : StackOperationException
{
    public StackNotFoundException(string stackName, string accountId, string region)
        : base($"Stack '{stackName}' does not exist in account {accountId} region {region}. Check the name, account and region (Get-PatternStack lists them).", stackName)
    {
    }
}

public sealed class StackTerminationProtectedException : StackOperationException
{
    internal StackTerminationProtectedException(string stackName, string accountId, string region)
        : base($"Stack '{stackName}' in account {accountId} region {region} has termination protection on and cannot be deleted. "
            + $"Turn it off first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {stackName} --region {region} "
            + "(console: Stack actions > Edit termination protection).", stackName)
    {
    }
}

/// <summary>
/// The stack holds DB instances with deletion protection on: CloudFormation could not delete them and would leave the
/// stack DELETE_FAILED, half deleted. The message names the instances and how to turn the protection off.
/// </summary>
public sealed class StackDbDeletionProtectedException : StackOperationException
{
    internal StackDbDeletionProtectedException(string stackName, string accountId, string region, IReadOnlyList<string> dbInstances, bool multiAzParameter)
        : base($"Stack '{stackName}' in account {accountId} region {region} cannot be deleted: its DB instance(s) or Aurora cluster(s) {string.Join(", ", dbInstances)} "
            + "have deletion protection on. Turn it off first: "
            + (multiAzParameter
                ? $"Update-MultiAzStack -StackName {stackName} -AccountId {accountId} -Region {region} -DbDeletionProtection $false"
                : $"aws rds modify-db-instance --db-instance-identifier {dbInstances[0]} --no-deletion-protection --apply-immediately --region {region}")
            + ", then remove the stack again.", stackName)
    {
        DbInstances = dbInstances;
    }

    /// <summary>The identifiers of the protected DB instances and Aurora clusters.</summary>
    public IReadOnlyList<string> DbInstances { get; }
}

/// <summary>
/// The operation ended in a failed or rolled-back state. <see cref="Failures"/> names the resources that failed and
/// CloudFormation's reasons, which the stack status alone (ROLLBACK_COMPLETE) does not tell.
/// </summary>
public sealed class StackDeploymentFailedException : StackOperationException
{
    internal StackDeploymentFailedException(PatternStack? stack, string stackName, string status, string? statusReason, IReadOnlyList<StackResourceFailure> failures)
        : base(Describe(stackName, status, statusReason, failures), stackName)
    {
        Stack = stack;
        Status = status;
        Failures = failures;
    }

    /// <summary>The stack as it ended; null when the change set itself failed before anything ran.</summary>
    public PatternStack? Stack { get; }

    public string Status { get; }

    public IReadOnlyList<StackResourceFailure> Failures { get; }

    private static string Describe(string stackName, string status, string? statusReason, IReadOnlyList<StackResourceFailure> failures)
    {
        var message = $"Stack '{stackName}' ended in {status}";
        if (!string.IsNullOrEmpty(statusReason))
        {
            message += $" ({statusReason})";
        }

        return failures.Count == 0
            ? message + "."
            : message + ". Failed resources: " + string.Join("; ", failures.Select(f => f.ToString())) + ".";
    }
}
