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

    /// <summary>
    /// Also the CloudFormation service role of each job that deploys bundled templates (DrSetup, MultiAzDeploy); that
    /// job's role then carries iam:PassRole on it instead of its stacks' resource permissions.
    /// </summary>
    [Parameter]
    public SwitchParameter WithServiceRole { get; set; }

    /// <summary>The service role's name; default CloudPatterns, the job's name and CloudFormation. Only with one job.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    public string? ServiceRoleName { get; set; }

    protected override void ValidateInvocation()
    {
        if (ServiceRoleName is not null && (!WithServiceRole || Job.Distinct().Count() != 1 || !ServiceRolePolicies.Supports(Job[0])))
        {
            ThrowInvalidInvocation($"-ServiceRoleName names the CloudFormation service role of one job with -WithServiceRole; jobs with one: {string.Join(", ", ServiceRolePolicies.SupportedJobs)}. Given: -Job {string.Join(", ", Job.Distinct())}{(WithServiceRole ? "" : " without -WithServiceRole")}.", ServiceRoleName);
        }

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

    protected override IEnumerable<PlannedStep> StepsFor(FanOutTarget target) => Job.Distinct().SelectMany(job => ServiceRoleOf(job) is { } serviceRole
        ? new[]
        {
            PlannedStep.Change(target, $"role {serviceRole} in {target.AccountId}", $"Install the {job} CloudFormation service role", (job, true)),
            PlannedStep.Change(target, $"role {RoleNameOf(job)} in {target.AccountId}", $"Install the {job} execution role passing {serviceRole}", (job, false)),
        }
        : new[] { PlannedStep.Change(target, $"role {RoleNameOf(job)} in {target.AccountId}", $"Install the {job} execution role", (job, false)) });

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, IReadOnlyList<PlannedStep> steps, [EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var step in steps)
        {
            var (job, isServiceRole) = ((ExecutionJob, bool))step.Item!;
            if (isServiceRole)
            {
                yield return await ExecutionRoleInstaller.InstallServiceRoleAsync(session, target, job, ServiceRoleOf(job)!, cancellation).ConfigureAwait(false);
                continue;
            }

            var spec = new ExecutionRoleSpec(job, RoleNameOf(job), session.CallerAccountId, TrustExternalId, EvidenceBucketName) { ServiceRoleName = ServiceRoleOf(job) };
            yield return await ExecutionRoleInstaller.InstallAsync(session, target, spec, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The job's service role with -WithServiceRole, for the jobs that deploy stacks; null otherwise.</summary>
    private string? ServiceRoleOf(ExecutionJob job) => WithServiceRole && ServiceRolePolicies.Supports(job) ? ServiceRoleName ?? ServiceRolePolicies.DefaultRoleName(job) : null;

    private string RoleNameOf(ExecutionJob job) => ExecutionRoleName ?? ExecutionRoleSpec.DefaultRoleName(job);
}
