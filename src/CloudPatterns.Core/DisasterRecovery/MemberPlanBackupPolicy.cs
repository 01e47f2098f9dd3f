using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Organizations;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The member backup plan as an AWS Organizations backup policy (docs/localcloud-backup-policies.md): one policy,
/// owned by its name, attached to the OUs and accounts given; AWS Backup then keeps the plan in every account it
/// reaches. The vault, its key and the role the policy names come from the member stack (PlanSource=BackupPolicy), as
/// AWS recommends. Applying is idempotent; a failed attach puts back the content and attachments it found.
/// </summary>
public sealed class MemberPlanBackupPolicy
{
    public const string PolicyName = "cloudpatterns-dr-member-backup";
    public const string PolicyType = "BACKUP_POLICY";

    /// <summary>The role the member stack names CloudPatternsBackupRole under /service-role/ when a policy holds the plan.</summary>
    public const string BackupRolePath = "service-role/CloudPatternsBackupRole";

    private readonly CrossAccountBackupSettings settings;

    internal MemberPlanBackupPolicy(CrossAccountBackupSettings settings)
    {
        this.settings = settings;
    }

    /// <summary>Whether the organization's root has the BACKUP_POLICY type enabled (false for a caller that cannot read the root).</summary>
    internal static async Task<bool> EnabledAsync(AwsTarget caller, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (Root root in caller.Organizations.ListAllRootsAsync(cancellationToken).ConfigureAwait(false))
            {
                return root.PolicyTypes.Any(type => type.Type == PolicyType && type.Status == "ENABLED");
            }

            return false;
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "AccessDeniedException" or "AWSOrganizationsNotInUseException")
        {
            return false;
        }
    }

    /// <summary>The OUs and accounts the policy is attached to.</summary>
    internal IReadOnlyList<string> Targets => settings.OrganizationalUnitIds.Concat(settings.AccountIds).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The policy's content: the plan of member-backup-plan.yaml in the backup policy grammar.</summary>
    public string Content()
    {
        string retention = settings.RetentionDays.ToString(CultureInfo.InvariantCulture);
        JsonObject Lifecycle() => new() { ["delete_after_days"] = Assign(retention) };
        var copies = new JsonObject();
        // With the orchestrator, the plan copies to the primary region's central vault only: the orchestrator carries
        // each recovery point on, one legal hop at a time (docs/orchestrator.md).
        var copyRegions = settings.WithOrchestrator ? new[] { settings.PrimaryRegion } : new[] { settings.PrimaryRegion, settings.DrRegion };
        foreach (string region in copyRegions.Distinct(StringComparer.Ordinal))
        {
            string vault = $"arn:aws:backup:{region}:{settings.VaultAccountId}:backup-vault:{settings.VaultName}";
            copies[vault] = new JsonObject { ["target_backup_vault_arn"] = Assign(vault), ["lifecycle"] = Lifecycle() };
        }

        var plan = new JsonObject
        {
            ["regions"] = Assign(new JsonArray(settings.PrimaryRegion)),
            ["rules"] = new JsonObject
            {
                ["daily"] = new JsonObject
                {
                    ["schedule_expression"] = Assign(settings.ScheduleExpression),
                    ["target_backup_vault_name"] = Assign(settings.MemberVaultName),
                    ["lifecycle"] = Lifecycle(),
                    ["copy_actions"] = copies,
                },
            },
            ["selections"] = new JsonObject
            {
                ["tags"] = new JsonObject
                {
                    ["tagged"] = new JsonObject
                    {
                        ["iam_role_arn"] = Assign($"arn:aws:iam::$account:role/{BackupRolePath}"),
                        ["tag_key"] = Assign(settings.ResourceTagKey),
                        ["tag_value"] = Assign(new JsonArray(settings.ResourceTagValue)),
                    },
                },
            },
        };
        if (settings.ContinuousBackup)
        {
            // Point-in-time recovery for the types that support it (docs/localcloud-backup-policies.md).
            ((JsonObject)((JsonObject)plan["rules"]!)["daily"]!)["enable_continuous_backup"] = Assign(JsonValue.Create(true));
        }

        return new JsonObject { ["plans"] = new JsonObject { [$"{settings.MemberVaultName}-daily"] = plan } }.ToJsonString();
    }

    /// <summary>Creates or updates the policy and attaches it to every target; -WhatIf shows the policy and targets.</summary>
    internal async Task<DrSetupOutcome> ApplyAsync(AwsTarget caller, DrSetupStep step, bool preview, CancellationToken cancellationToken)
    {
        string content = Content();
        var organizations = caller.Organizations;
        Policy? existing = await FindAsync(organizations, cancellationToken).ConfigureAwait(false);
        var attached = existing?.PolicySummary?.Id is { } id ? await AttachedAsync(organizations, id, cancellationToken).ConfigureAwait(false) : new HashSet<string>(StringComparer.Ordinal);
        var missing = Targets.Where(target => !attached.Contains(target)).ToList();
        string reach = $"{Targets.Count} target(s) ({string.Join(", ", Targets)}) reaching {step.ReachedAccounts.Count} account(s): {string.Join(", ", step.ReachedAccounts)}";
        bool sameContent = existing?.Content is { } current && JsonNode.DeepEquals(JsonNode.Parse(current), JsonNode.Parse(content));
        if (existing is not null && sameContent && missing.Count == 0)
        {
            return DrSetupOutcome.Setting(step, DrSetupAction.NoChange, $"backup policy {PolicyName} ({existing.PolicySummary?.Id}): content as wanted, attached to {reach}");
        }

        if (preview)
        {
            string verb = existing is null ? "create" : sameContent ? "keep" : "update";
            return DrSetupOutcome.Setting(step, DrSetupAction.WouldChange,
                $"-DeploymentMode BackupPolicy: would {verb} backup policy {PolicyName} and attach it to {missing.Count} more of {reach}. Policy: {content}");
        }

        string policyId;
        if (existing is null)
        {
            var created = await organizations.CreatePolicyAsync(new CreatePolicyRequest
            {
                Name = PolicyName,
                Description = "CloudPatterns disaster recovery: the member backup plan, copying to the central vault",
                Type = PolicyType,
                Content = content,
            }, cancellationToken).ConfigureAwait(false);
            policyId = created.Policy?.PolicySummary?.Id ?? throw new InvalidOperationException("CreatePolicy returned no policy id.");
        }
        else
        {
            policyId = existing.PolicySummary!.Id!;
            if (!sameContent)
            {
                await organizations.UpdatePolicyAsync(new UpdatePolicyRequest { PolicyId = policyId, Content = content }, cancellationToken).ConfigureAwait(false);
            }
        }

        var done = new List<string>();
        try
        {
            foreach (string target in missing)
            {
                await organizations.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = policyId, TargetId = target }, cancellationToken).ConfigureAwait(false);
                done.Add(target);
            }
        }
        catch (Exception) when (existing?.Content is not null || done.Count > 0)
        {
            await RollBackAsync(organizations, policyId, existing?.Content, sameContent, done).ConfigureAwait(false);
            throw;
        }

        string change = existing is null ? "created" : sameContent ? "kept" : "updated";
        return DrSetupOutcome.Setting(step, DrSetupAction.Changed, $"backup policy {PolicyName} ({policyId}) {change}, attached to {reach}");
    }

    /// <summary>Puts back what the run changed: detaches what it attached and restores the content it replaced.</summary>
    private static async Task RollBackAsync(OrganizationsClient organizations, string policyId, string? previousContent, bool sameContent, IEnumerable<string> attachedNow)
    {
        foreach (string target in attachedNow)
        {
            await organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = policyId, TargetId = target }, CancellationToken.None).ConfigureAwait(false);
        }

        if (previousContent is not null && !sameContent)
        {
            await organizations.UpdatePolicyAsync(new UpdatePolicyRequest { PolicyId = policyId, Content = previousContent }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<Policy?> FindAsync(OrganizationsClient organizations, CancellationToken cancellationToken)
    {
        await foreach (PolicySummary summary in organizations.ListAllPoliciesAsync(PolicyType, cancellationToken).ConfigureAwait(false))
        {
            if (summary.Name == PolicyName)
            {
                return (await organizations.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = summary.Id }, cancellationToken).ConfigureAwait(false)).Policy;
            }
        }

        return null;
    }

    private static async Task<HashSet<string>> AttachedAsync(OrganizationsClient organizations, string policyId, CancellationToken cancellationToken)
    {
        var attached = new HashSet<string>(StringComparer.Ordinal);
        await foreach (PolicyTargetSummary target in organizations.ListAllTargetsForPolicyAsync(policyId, cancellationToken).ConfigureAwait(false))
        {
            attached.Add(target.TargetId ?? string.Empty);
        }

        return attached;
    }

    private static JsonObject Assign(JsonNode value) => new() { ["@@assign"] = value };

    private static JsonObject Assign(string value) => Assign(JsonValue.Create(value)!);
}
