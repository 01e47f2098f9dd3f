using System;
using System.Management.Automation;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.Core.GitOps;
using CloudPatterns.Core.MultiAz;
using CloudPatterns.Core.Security;
using System.Linq;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// The closed list of ErrorIds the module writes (the FullyQualifiedErrorId is <c>&lt;Reason&gt;,&lt;cmdlet type&gt;</c>),
/// by cmdlet family. tests/pester/ModuleConventions.Tests.ps1 fails on an ErrorId outside it.
/// </summary>
public enum ErrorReason
{
    // Any AWS cmdlet: connection, fan-out, and AWS's refusals by their classification (AwsErrorKind).
    AwsConnectionFailed,
    FailureToleranceReached,
    InvalidInvocation,
    InvalidRegion,
    AccessDenied,
    AuthenticationFailed,
    NotFound,
    Throttled,
    InvalidRequest,
    Conflict,
    ServiceFailure,
    TargetFailed,

    // Disaster recovery.
    InvalidCrossAccountBackupSettings,
    DrConfigurationNotFound,
    InvalidPeriod,
    InvalidDrValidationInput,
    DrValidationAborted,
    InvalidDrFailoverInput,
    DrFailoverFailed,

    // Multi-AZ and stacks.
    InvalidMultiAzSettings,
    NoPriceForType,
    StackAlreadyExists,
    StackNotFound,
    StackTerminationProtected,
    StackDbDeletionProtected,
    StackDeploymentFailed,
    StackNotOwned,
    StackOperationFailed,

    // GitOps.
    InvalidManifest,
    ManifestNotFound,
    DirtyWorkingTree,
    GitFailed,
    ManifestIdCreated,
    BundleBucketNotVersioned,

    // CloudSandbox.
    SeedNotFound,
    SandboxAlreadyRunning,
    SandboxStartFailed,
    ErrorCodeRequired,
    InvalidSandboxUrl,
    NoSandboxRunning,
    ClockCannotGoBack,
    ClockNotMoved,
}

/// <summary>The one mapping of exceptions to error records: reason, category, target, and AWS's details in the exception's Data.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord Create(Exception exception, ErrorReason reason, ErrorCategory category, object? target) =>
        new(exception, reason.ToString(), category, target);

    /// <summary>
    /// A failure of one target or input item: the reason and category from the exception's type or AWS's
    /// classification, the AWS code, request id, account, region and role on the exception's Data, the hint as the
    /// recommended action.
    /// </summary>
    public static ErrorRecord For(AwsFailure failure, object? target)
    {
        var (reason, category) = Classify(failure);
        var data = failure.Exception.Data;
        Put(data, "AwsErrorCode", failure.ErrorCode);
        Put(data, "AwsRequestId", failure.RequestId);
        Put(data, "AccountId", failure.AccountId);
        Put(data, "Region", failure.Region);
        Put(data, "RoleArn", failure.RoleArn);
        var where = failure.AccountId is null ? string.Empty : $"{failure.AccountId} {failure.Region}: ";
        var what = failure.FromAws ? $"{failure.Message} ({failure.ErrorCode}, request id {failure.RequestId})" : failure.Message;
        var hint = failure.Denial is { } denial ? JobRoleRemedy(denial) : failure.Hint;
        // An access denial's remedy belongs in the one message: the role, the action, the resource and what to add.
        var message = failure.Denial is null ? where + what : $"{where}{what}. {hint}";
        return new ErrorRecord(failure.Exception, reason.ToString(), category, target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = hint ?? string.Empty },
        };
    }

    /// <summary>The denial's remedy and, when a job's execution role has the missing action, the role that has it.</summary>
    private static string JobRoleRemedy(AccessDenial denial)
    {
        if (denial.PolicyType != DenyingPolicyType.IdentityBased || denial.ExplicitDeny)
        {
            return denial.Remedy;
        }

        var jobs = JobPolicies.JobsWith(denial.Action, denial.Resource);
        if (jobs.Count == 0)
        {
            return denial.Remedy;
        }

        var remedy = denial.Remedy.TrimEnd('.');
        var own = jobs.Where(job => ExecutionRoleSpec.DefaultRoleName(job) == denial.RoleName).ToList();
        return own.Count > 0
            ? $"{remedy}, or run Install-CloudPatternsRole -Job {own[0]} to restore the role's policy."
            : $"{remedy}, or run as a role that has it: Install-CloudPatternsRole -Job {string.Join(" or ", jobs)}, then -RoleName CloudPatterns<Job>.";
    }

    private static (ErrorReason, ErrorCategory) Classify(AwsFailure failure) => failure.Exception switch
    {
        AwsConnectionException => (ErrorReason.AwsConnectionFailed, ErrorCategory.AuthenticationError),
        FanOutStoppedException => (ErrorReason.FailureToleranceReached, ErrorCategory.LimitsExceeded),
        StackAlreadyExistsException => (ErrorReason.StackAlreadyExists, ErrorCategory.ResourceExists),
        StackNotFoundException => (ErrorReason.StackNotFound, ErrorCategory.ObjectNotFound),
        StackTerminationProtectedException => (ErrorReason.StackTerminationProtected, ErrorCategory.PermissionDenied),
        StackDbDeletionProtectedException => (ErrorReason.StackDbDeletionProtected, ErrorCategory.PermissionDenied),
        StackDeploymentFailedException => (ErrorReason.StackDeploymentFailed, ErrorCategory.InvalidResult),
        StackNotOwnedException => (ErrorReason.StackNotOwned, ErrorCategory.PermissionDenied),
        StackOperationException => (ErrorReason.StackOperationFailed, ErrorCategory.InvalidOperation),
        Core.DisasterRecovery.Failover.DrFailoverException => (ErrorReason.DrFailoverFailed, ErrorCategory.InvalidResult),
        InvalidMultiAzSettingsException => (ErrorReason.InvalidMultiAzSettings, ErrorCategory.InvalidArgument),
        InvalidCrossAccountBackupSettingsException => (ErrorReason.InvalidCrossAccountBackupSettings, ErrorCategory.InvalidArgument),
        ManifestException => (ErrorReason.InvalidManifest, ErrorCategory.InvalidData),
        _ => failure.Kind switch
        {
            AwsErrorKind.AccessDenied => (ErrorReason.AccessDenied, ErrorCategory.PermissionDenied),
            AwsErrorKind.AuthenticationFailed => (ErrorReason.AuthenticationFailed, ErrorCategory.AuthenticationError),
            AwsErrorKind.NotFound => (ErrorReason.NotFound, ErrorCategory.ObjectNotFound),
            AwsErrorKind.Throttled => (ErrorReason.Throttled, ErrorCategory.LimitsExceeded),
            AwsErrorKind.InvalidRequest => (ErrorReason.InvalidRequest, ErrorCategory.InvalidArgument),
            AwsErrorKind.Conflict => (ErrorReason.Conflict, ErrorCategory.ResourceBusy),
            AwsErrorKind.ServiceFailure => (ErrorReason.ServiceFailure, ErrorCategory.ResourceUnavailable),
            _ => (ErrorReason.TargetFailed, ErrorCategory.NotSpecified),
        },
    };

    private static void Put(System.Collections.IDictionary data, string key, string? value)
    {
        if (value is not null && !data.IsReadOnly)
        {
            data[key] = value;
        }
    }
}
