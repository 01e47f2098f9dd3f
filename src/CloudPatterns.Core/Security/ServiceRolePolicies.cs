using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Authorization;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Iam;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Security;

/// <summary>
/// The CloudFormation service roles of the jobs that deploy bundled templates (docs/least-privilege.md, "Service
/// roles"): CloudFormation acts as the role for the stacks' resources, so the job's role needs only its CloudFormation
/// calls and iam:PassRole on the service role. The service role's policy is derived, never listed by hand: one
/// statement per resource type of the job's templates, with the actions the type's handlers call
/// (src/Shared/ResourceTypeActions.cs, the table LocalCloud enforces), and one iam:PassRole statement per service the
/// templates hand a role to.
/// </summary>
public static class ServiceRolePolicies
{
    /// <summary>The service principal the roles trust.</summary>
    public const string CloudFormationService = "cloudformation.amazonaws.com";

    // The bundled templates each job deploys, and the job statements that then move to the service role.
    private static readonly Dictionary<ExecutionJob, (string[] Templates, string[] ResourceSids)> Jobs = new()
    {
        [ExecutionJob.DrSetup] = (
            new[] { "disaster-recovery/central-vault.yaml", "disaster-recovery/evidence-bucket.yaml", "disaster-recovery/member-backup-plan.yaml", "disaster-recovery/pilot-light-dr-account.yaml", OrchestratorTemplate },
            new[]
            {
                JobPolicies.ResourcesSid(ExecutionJob.DrSetup), "DrSetupVaultKeyResources", "DrSetupPassBackupRole", "DrSetupPilotLightResources", "DrSetupPassInstanceRole", "DrSetupPassFlowLogRole",
                "DrSetupOrchestratorResources", "DrSetupPassFunctionRole", "DrSetupPassScheduleRole", "DrSetupPassRuleRole",
            }),
        [ExecutionJob.MultiAzDeploy] = (
            new[] { "multi-az-web-app.yaml" },
            new[] { JobPolicies.ResourcesSid(ExecutionJob.MultiAzDeploy), "MultiAzPassInstanceRole", "MultiAzPassFlowLogRole", "MultiAzPassProxyRole" }),
    };

    /// <summary>The DR-Orchestrator's template, which Set-CrossAccountBackup -DrAccountId deploys into the vault account.</summary>
    internal const string OrchestratorTemplate = "disaster-recovery/orchestrator.yaml";

    /// <summary>The jobs that can run their stacks under a service role.</summary>
    public static IReadOnlyList<ExecutionJob> SupportedJobs => Jobs.Keys.OrderBy(job => job).ToList();

    public static bool Supports(ExecutionJob job) => Jobs.ContainsKey(job);

    /// <summary>The service role's default name: CloudPatterns, the job and CloudFormation (CloudPatternsMultiAzDeployCloudFormation).</summary>
    public static string DefaultRoleName(ExecutionJob job) => "CloudPatterns" + job + "CloudFormation";

    /// <summary>The resource types of the job's templates (conditional ones included), sorted.</summary>
    public static IReadOnlyList<string> ResourceTypes(ExecutionJob job) => TypesOf(Require(job).Templates);

    /// <summary>What CloudFormation's handlers call for the resources of one bundled template, iam:PassRole aside, sorted.</summary>
    internal static IReadOnlyList<string> HandlerActions(string template) => TypesOf(new[] { template })
        .Select(ResourceTypeActions.For)
        .SelectMany(row => row.AllCalls)
        .Where(call => call.PassedTo is null)
        .Select(call => call.Action)
        .Distinct(StringComparer.Ordinal)
        .OrderBy(action => action, StringComparer.Ordinal)
        .ToList();

    private static IReadOnlyList<string> TypesOf(IEnumerable<string> templates) => templates
        .SelectMany(path => TemplateDocument.Parse(BundledTemplate.Body(path)).Section("Resources").Values)
        .OfType<IReadOnlyDictionary<string, object?>>()
        .Select(resource => resource.TryGetValue("Type", out var type) ? type as string : null)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .OrderBy(type => type, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The service role's statements: per resource type, the actions of its handlers on the resources they act on
    /// (Sid: the type without colons; a type whose every action an earlier statement grants has none) and those on
    /// resources of another service its properties name (Sid: the type and References, on that service's resources of the account), then per service handed a role, iam:PassRole on the account's roles with
    /// iam:PassedToService (Sid: PassRoleTo and the service).
    /// </summary>
    public static IReadOnlyList<JobStatement> Statements(ExecutionJob job)
    {
        var statements = new List<JobStatement>();
        var passedTo = new SortedSet<string>(StringComparer.Ordinal);
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ResourceTypes(job).Select(ResourceTypeActions.For))
        {
            var calls = row.AllCalls.ToList();
            foreach (var pass in calls.Where(call => call.PassedTo is not null))
            {
                passedTo.Add(pass.PassedTo!);
            }

            // An action an earlier type's statement already grants on the same resources is not repeated, so that
            // each statement holds only what no other grants (and removing it takes something away). Calls on a
            // resource of another service that a property names (a vault's EncryptionKeyArn) have their own
            // statement (Sid: the type and References) on that service's resources of the account.
            foreach (var group in calls.Where(call => call.PassedTo is null).GroupBy(call => References(row, call)))
            {
                var resource = group.Key ? ReferencedResource(group.First().Action) : Resource(row.Arn);
                var actions = group.Select(call => call.Action).Distinct(StringComparer.Ordinal).Where(action => granted.Add(action + " " + resource)).ToList();
                if (actions.Count > 0)
                {
                    // A KMS key a property names is used by the type's service on the stack's behalf: only through it
                    // (kms:ViaService), so the role reaches no other use of the account's keys.
                    bool viaService = group.Key && actions.All(action => action.StartsWith("kms:", StringComparison.Ordinal));
                    statements.Add(viaService
                        ? new JobStatement(Sid(row.Type) + "References", actions, resource, "kms:ViaService", row.Service.ToLowerInvariant() + ".*.amazonaws.com", "StringLike")
                        : new JobStatement(group.Key ? Sid(row.Type) + "References" : Sid(row.Type), actions, resource));
                }
            }
        }

        statements.AddRange(passedTo.Select(service => new JobStatement(PassRoleSid(service), new[] { "iam:PassRole" }, "arn:aws:iam::{AccountId}:role/*", "iam:PassedToService", service)));
        return statements;
    }

    /// <summary>The service role's policy for one account (null = any).</summary>
    public static JobPolicy Get(ExecutionJob job, string? accountId = null) => JobPolicies.Create(job, Statements(job), accountId, null);

    /// <summary>
    /// The job's own policy when its stacks run under <paramref name="serviceRoleName"/>: its statements without those
    /// for its stacks' resources, plus iam:PassRole (to CloudFormation) and iam:GetRole (the cmdlets check the role
    /// before any change) on the service role.
    /// </summary>
    public static JobPolicy JobPolicy(ExecutionJob job, string serviceRoleName, string? accountId = null, string? evidenceBucket = null)
    {
        var moved = new HashSet<string>(Require(job).ResourceSids, StringComparer.Ordinal);
        var role = "arn:aws:iam::{AccountId}:role/" + serviceRoleName;
        var statements = JobPolicies.Get(job).Statements.Where(statement => !moved.Contains(statement.Sid)).ToList();
        statements.Add(new JobStatement(job + "PassServiceRole", new[] { "iam:PassRole" }, role, "iam:PassedToService", CloudFormationService));
        statements.Add(new JobStatement(job + "CheckServiceRole", new[] { "iam:GetRole" }, role));
        return JobPolicies.Create(job, statements, accountId, evidenceBucket);
    }

    /// <summary>Only CloudFormation may assume a service role.</summary>
    public static string TrustPolicy() => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = CloudFormationService },
            ["Action"] = "sts:AssumeRole",
        }),
    }.ToJsonString();

    /// <summary>
    /// The ARN of the service role <paramref name="roleName"/> in the target's account, or why CloudFormation could not
    /// use it: the role does not exist, or its trust policy does not let cloudformation.amazonaws.com assume it.
    /// </summary>
    public static async Task<(string? RoleArn, string? Problem)> CheckAsync(AwsTarget target, string roleName, CancellationToken cancellationToken)
    {
        var arn = $"arn:aws:iam::{target.AccountId}:role/{roleName}";
        var remedy = $"give a role of account {target.AccountId} whose trust policy allows sts:AssumeRole to the service principal {CloudFormationService} (Install-CloudPatternsRole -WithServiceRole creates one).";
        Role? role;
        try
        {
            role = (await target.Iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken).ConfigureAwait(false)).Role;
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return (null, $"ServiceRoleName '{roleName}': the role {arn} does not exist; {remedy}");
        }

        return ResourcePolicy.TrustsService(role?.TrustPolicyDocument, CloudFormationService)
            ? (role?.Arn ?? arn, null)
            : (null, $"ServiceRoleName '{roleName}': the trust policy of {arn} does not let {CloudFormationService} assume it; {remedy}");
    }

    /// <summary>The service role's ARN when one is named (null when not), or <paramref name="refuse"/>'s exception naming the problem.</summary>
    public static async Task<string?> RequireAsync(AwsTarget target, string? roleName, Func<string, Exception> refuse, CancellationToken cancellationToken)
    {
        if (roleName is null)
        {
            return null;
        }

        var (arn, problem) = await CheckAsync(target, roleName, cancellationToken).ConfigureAwait(false);
        return problem is null ? arn : throw refuse(problem);
    }

    private static (string[] Templates, string[] ResourceSids) Require(ExecutionJob job) =>
        Jobs.TryGetValue(job, out var entry) ? entry : throw new ArgumentException($"The {job} job deploys no bundled template, so it has no CloudFormation service role; jobs with one: {string.Join(", ", SupportedJobs)}.", nameof(job));

    /// <summary>AWS::EC2::VPC → EC2VPC.</summary>
    private static string Sid(string type) => new string(type.Replace("AWS::", string.Empty).Where(char.IsLetterOrDigit).ToArray());

    /// <summary>vpc-flow-logs.amazonaws.com → PassRoleToVpcFlowLogs.</summary>
    private static string PassRoleSid(string service) => "PassRoleTo" + string.Concat(service.Split('.')[0].Split('-').Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

    /// <summary>Whether a call acts on a resource of another service that a property names (kms: on a vault's EncryptionKeyArn).</summary>
    private static bool References(ResourceTypeRow row, HandlerCall call) =>
        call.OnProperty is not null && !row.Arn.StartsWith("arn:aws:" + call.Action.Substring(0, call.Action.IndexOf(':')) + ":", StringComparison.Ordinal);

    /// <summary>The resources of the account a referenced call may act on (its template names one of its own keys).</summary>
    private static string ReferencedResource(string action) =>
        action.StartsWith("kms:", StringComparison.Ordinal) ? "arn:aws:kms:*:{AccountId}:key/*" : "*";

    /// <summary>The resource of a row's calls in a policy: any region, the role's account, any name.</summary>
    private static string Resource(string arn) =>
        arn.Replace("{Region}", "*").Replace("{Account}", "{AccountId}").Replace("{Path}", string.Empty).Replace("{Name}", "*").Replace("{LoadBalancerKind}", "*");
}
