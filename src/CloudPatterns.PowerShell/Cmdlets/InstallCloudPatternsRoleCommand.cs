using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Organizations;
using CloudPatterns.Core.Security;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Install-CloudPatternsRole: creates or updates each job's least-privilege execution role (JobPolicies) in the
/// accounts given, trusting the caller's account with an ExternalId. Idempotent.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "CloudPatternsRole", SupportsShouldProcess = true)]
[OutputType(typeof(InstalledRole))]
public sealed class InstallCloudPatternsRoleCommand : FanOutCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public ExecutionJob[] Job { get; set; } = [];

    /// <summary>The ExternalId the role's trust policy requires of the caller's account.</summary>
    [Parameter(Mandatory = true)]
    [ValidatePattern("^[A-Za-z0-9+=,.@:/-]{2,1224}$")]
    public string TrustExternalId { get; set; } = string.Empty;

    /// <summary>Also every account in these OUs (or roots), at any depth.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganizationalUnitCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.OrganizationalUnitId))]
    public string[]? OrganizationalUnit { get; set; }

    /// <summary>The role's name; default CloudPatterns and the job's name. Only with one job.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    public string? ExecutionRoleName { get; set; }

    /// <summary>The evidence bucket the DrValidation role writes to; default: any.</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string? EvidenceBucketName { get; set; }

    protected override void ValidateInvocation()
    {
        if (ExecutionRoleName is not null && Job.Distinct().Count() > 1)
        {
            ThrowInvalidInvocation($"-ExecutionRoleName names one role, but -Job gives {Job.Distinct().Count()} jobs ({string.Join(", ", Job.Distinct())}). Give one job, or leave -ExecutionRoleName out to name each role CloudPatterns<Job>.", ExecutionRoleName);
        }
    }

    /// <summary>The accounts given, and those below the OUs given, in the session's region (IAM is global).</summary>
    protected override async Task<IReadOnlyList<FanOutTarget>> ResolveTargetsAsync(AwsSession session, CancellationToken cancellation)
    {
        var accounts = new List<string>(RequestedAccountIds ?? (OrganizationalUnit is null ? new[] { session.CallerAccountId } : new string[0]));
        foreach (var unit in OrganizationalUnit ?? new string[0])
        {
            var filter = new OrgAccountFilter { OrganizationalUnitId = unit, Recurse = true, Status = new[] { "ACTIVE" } };
            await foreach (var account in OrgAccountQuery.RunAsync(session, filter, cancellation).ConfigureAwait(false))
            {
                accounts.Add(account.AccountId);
            }
        }

        return session.CreateTargets(accounts.Distinct(), new[] { session.Region });
    }

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => Job.Distinct().Select(job =>
        PlannedStep.Change(target, $"role {RoleNameOf(job)} in {target.AccountId}", $"Install the {job} execution role", job));

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var step in steps)
        {
            var job = (ExecutionJob)step.Item!;
            var spec = new ExecutionRoleSpec(job, RoleNameOf(job), session.CallerAccountId, TrustExternalId, EvidenceBucketName);
            yield return await ExecutionRoleInstaller.InstallAsync(session, target, spec, cancellation).ConfigureAwait(false);
        }
    }

    private string RoleNameOf(ExecutionJob job) => ExecutionRoleName ?? ExecutionRoleSpec.DefaultRoleName(job);
}
