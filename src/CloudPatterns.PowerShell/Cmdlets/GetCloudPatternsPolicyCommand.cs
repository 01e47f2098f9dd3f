using System.Management.Automation;
using CloudPatterns.Aws;
using CloudPatterns.Core.Security;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Get-CloudPatternsPolicy: the least-privilege identity policy of a job (CloudPatterns.Core.Security.JobPolicies),
/// for an organization that creates its roles with its own pipeline. Calls no AWS API.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudPatternsPolicy")]
[OutputType(typeof(JobPolicy), typeof(string))]
public sealed class GetCloudPatternsPolicyCommand : CloudPatternsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public ExecutionJob[] Job { get; set; } = [];

    /// <summary>The account the role lives in; default: any (*).</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? AccountId { get; set; }

    /// <summary>The evidence bucket the role writes to; default: any (*).</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string? EvidenceBucketName { get; set; }

    /// <summary>The policy of the job's CloudFormation service role instead of its execution role (DrSetup, MultiAzDeploy).</summary>
    [Parameter]
    public SwitchParameter ServiceRole { get; set; }

    /// <summary>The execution role's policy when the job's stacks run under this CloudFormation service role.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    public string? ServiceRoleName { get; set; }

    /// <summary>Writes only the policy document's JSON.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in Job)
        {
            if ((ServiceRole || ServiceRoleName is not null) && !ServiceRolePolicies.Supports(job))
            {
                ThrowTerminating(new System.ArgumentException($"The {job} job deploys no bundled template, so it has no CloudFormation service role; jobs with one: {string.Join(", ", ServiceRolePolicies.SupportedJobs)}."), ErrorReason.InvalidInvocation, ErrorCategory.InvalidArgument, job);
            }

            var policy = ServiceRole ? ServiceRolePolicies.Get(job, AccountId)
                : ServiceRoleName is { } serviceRole ? ServiceRolePolicies.JobPolicy(job, serviceRole, AccountId, EvidenceBucketName)
                : JobPolicies.Get(job, AccountId, EvidenceBucketName);
            WriteObject(AsJson ? policy.PolicyDocument : policy);
        }
    }
}
