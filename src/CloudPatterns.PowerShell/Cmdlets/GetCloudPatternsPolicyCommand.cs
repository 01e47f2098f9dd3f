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

    /// <summary>Writes only the policy document's JSON.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in Job)
        {
            var policy = JobPolicies.Get(job, AccountId, EvidenceBucketName);
            WriteObject(AsJson ? policy.PolicyDocument : policy);
        }
    }
}
