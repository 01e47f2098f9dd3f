using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>A policy of the organization (SERVICE_CONTROL_POLICY and BACKUP_POLICY are emulated).</summary>
internal sealed record OrganizationPolicy(string Id, string Arn, string Name, string Description, string Type, bool AwsManaged, string Content)
{
    public DateTimeOffset LastUpdated { get; init; }
}

/// <summary>What the state file keeps of the organization's policies (AWS managed ones come back with every start).</summary>
internal sealed record OrganizationPoliciesSnapshot(List<string> EnabledTypes, List<OrganizationPolicy> Policies, Dictionary<string, List<string>> Attachments);

/// <summary>An account's effective policy of a management policy type (DescribeEffectivePolicy).</summary>
internal sealed record EffectivePolicy(JsonObject Content, DateTimeOffset LastUpdated);

/// <summary>
/// The organization's policies (service control and backup policies) and their attachments to the root, OUs and
/// accounts. FullAWSAccess starts attached to every target, as AWS attaches it when SCPs are enabled.
/// <see cref="ServiceControlLevels"/> gives the evaluator the SCPs of every level from the root down to an account;
/// <see cref="EffectivePolicy"/> merges a management policy type's levels (docs/localcloud-backup-policies.md).
/// </summary>
internal sealed class OrganizationPolicyStore
{
    public const string ServiceControlPolicy = "SERVICE_CONTROL_POLICY";
    public const string BackupPolicy = "BACKUP_POLICY";
    public const string FullAwsAccessId = "p-FullAWSAccess";

    /// <summary>The AWS managed SCP every target starts with (Organizations user guide, FullAWSAccess).</summary>
    private const string FullAwsAccessContent = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock gate = new();
    private readonly SeedOrganization organization;
    private readonly Dictionary<string, OrganizationPolicy> policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> attached = new(StringComparer.Ordinal);
    private readonly OrganizationTree tree;
    private readonly Dictionary<string, IReadOnlyList<IReadOnlyList<NamedPolicy>>> levelsCache = new(StringComparer.Ordinal);
    private readonly HashSet<string> enabledTypes = [ServiceControlPolicy];
    private readonly TimeProvider clock;

    public OrganizationPolicyStore(SeedOrganization organization, OrganizationTree tree, TimeProvider clock)
    {
        this.organization = organization;
        this.tree = tree;
        this.clock = clock;
        tree.AccountMoved += (_, _, _) =>
        {
            lock (gate)
            {
                levelsCache.Clear();
            }

            BackupPoliciesChanged?.Invoke();
        };

        policies[FullAwsAccessId] = new OrganizationPolicy(
            FullAwsAccessId,
            $"arn:aws:organizations::aws:policy/service_control_policy/{FullAwsAccessId}",
            "FullAWSAccess",
            "Allows access to every operation",
            ServiceControlPolicy,
            AwsManaged: true,
            FullAwsAccessContent);
        foreach (var target in organization.Accounts.Select(account => account.Id)
                     .Concat(organization.OrganizationalUnits.Select(unit => unit.Id)).Append(organization.RootId))
        {
            attached[target] = [FullAwsAccessId];
        }
    }

    /// <summary>
    /// Raised (outside the store's lock) when what an account's effective backup policy is made of may have changed:
    /// a backup policy's content, its attachments, the policy type, or an account's place.
    /// </summary>
    public event Action? BackupPoliciesChanged;

    /// <summary>Whether SCPs are enabled on the root (the sample organization starts with them enabled).</summary>
    public bool ServiceControlEnabled => IsEnabled(ServiceControlPolicy);

    /// <summary>The policy types enabled on the root, in a stable order.</summary>
    public IReadOnlyList<string> EnabledTypes
    {
        get
        {
            lock (gate)
            {
                return [.. enabledTypes.Order(StringComparer.Ordinal)];
            }
        }
    }

    public bool IsEnabled(string type)
    {
        lock (gate)
        {
            return enabledTypes.Contains(type);
        }
    }

    /// <summary>
    /// EnablePolicyType / DisablePolicyType on the root. Disabling a type detaches every policy of that type (the
    /// policies themselves stay).
    /// </summary>
    public void SetEnabled(string type, bool enabled)
    {
        RequireSupported(type);
        lock (gate)
        {
            if (enabledTypes.Contains(type) == enabled)
            {
                throw enabled
                    ? Error("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.")
                    : Error("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }

            if (enabled)
            {
                enabledTypes.Add(type);
            }
            else
            {
                enabledTypes.Remove(type);
                if (type != ServiceControlPolicy)
                {
                    foreach (var list in attached.Values)
                    {
                        list.RemoveAll(id => policies[id].Type == type);
                    }
                }
            }

            levelsCache.Clear();
        }

        Changed(type);
    }

    /// <summary>The customer policies, the enabled types and every attachment, for the state file.</summary>
    public OrganizationPoliciesSnapshot Snapshot()
    {
        lock (gate)
        {
            return new OrganizationPoliciesSnapshot(
                [.. enabledTypes.Order(StringComparer.Ordinal)],
                [.. policies.Values.Where(policy => !policy.AwsManaged).OrderBy(policy => policy.Id, StringComparer.Ordinal)],
                attached.ToDictionary(entry => entry.Key, entry => new List<string>(entry.Value), StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// Puts a snapshot back: its policies, types and attachments replace the start's (targets the seed no longer has
    /// are dropped); then the org-managed backup plans are recomputed.
    /// </summary>
    public void Restore(OrganizationPoliciesSnapshot snapshot)
    {
        lock (gate)
        {
            foreach (var id in policies.Keys.Where(id => !policies[id].AwsManaged).ToList())
            {
                policies.Remove(id);
            }

            foreach (var policy in snapshot.Policies.Where(policy => !policy.AwsManaged))
            {
                policies[policy.Id] = policy;
            }

            enabledTypes.Clear();
            enabledTypes.UnionWith(snapshot.EnabledTypes);
            foreach (var (target, ids) in snapshot.Attachments.Where(entry => attached.ContainsKey(entry.Key)))
            {
                attached[target] = [.. ids.Where(policies.ContainsKey)];
            }

            levelsCache.Clear();
        }

        BackupPoliciesChanged?.Invoke();
    }

    /// <summary>Every id a policy can be attached to: the root, the OUs, the accounts.</summary>
    public bool IsTarget(string targetId) => attached.ContainsKey(targetId);

    public OrganizationPolicy Create(string name, string description, string type, string content)
    {
        RequireSupported(type);
        Validate(type, content);
        var id = "p-" + new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, 8));
        var policy = new OrganizationPolicy(id, $"arn:aws:organizations::{organization.ManagementAccountId}:policy/{organization.Id}/{type.ToLowerInvariant()}/{id}", name, description, type, false, content)
        {
            LastUpdated = clock.GetUtcNow(),
        };
        lock (gate)
        {
            if (policies.Values.Any(existing => existing.Name == name && existing.Type == type))
            {
                throw Error("DuplicatePolicyException", "A policy with the same name already exists.");
            }

            policies[id] = policy;
        }

        return policy;
    }

    public OrganizationPolicy Get(string policyId)
    {
        lock (gate)
        {
            return policies.GetValueOrDefault(policyId) ?? throw Error("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
        }
    }

    public OrganizationPolicy Update(string policyId, string? name, string? description, string? content)
    {
        OrganizationPolicy updated;
        lock (gate)
        {
            var policy = RequireCustomer(Get(policyId));
            if (content is not null)
            {
                Validate(policy.Type, content);
            }

            updated = policy with { Name = name ?? policy.Name, Description = description ?? policy.Description, Content = content ?? policy.Content, LastUpdated = clock.GetUtcNow() };
            policies[policyId] = updated;
            levelsCache.Clear();
        }

        Changed(updated.Type);
        return updated;
    }

    public void Delete(string policyId)
    {
        lock (gate)
        {
            var policy = RequireCustomer(Get(policyId));
            if (attached.Values.Any(ids => ids.Contains(policy.Id)))
            {
                throw Error("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.");
            }

            policies.Remove(policyId);
        }
    }

    public void Attach(string policyId, string targetId)
    {
        string type;
        lock (gate)
        {
            type = Get(policyId).Type;
            if (!enabledTypes.Contains(type))
            {
                throw Error("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }

            var list = Target(targetId);
            if (list.Contains(policyId))
            {
                throw Error("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
            }

            list.Add(policyId);
            levelsCache.Clear();
        }

        Changed(type);
    }

    public void Detach(string policyId, string targetId)
    {
        string type;
        lock (gate)
        {
            type = Get(policyId).Type;
            var list = Target(targetId);
            if (!list.Contains(policyId))
            {
                throw Error("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
            }

            // Every root, OU and account must keep at least one SCP (Organizations API reference, DetachPolicy).
            if (type == ServiceControlPolicy && list.Count(id => policies[id].Type == ServiceControlPolicy) == 1)
            {
                throw new AwsServiceException(400, "ConstraintViolationException", "You cannot remove the last service control policy from a target.") { Fields = [new("Reason", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")], JsonMessageMember = "Message" };
            }

            list.Remove(policyId);
            levelsCache.Clear();
        }

        Changed(type);
    }

    public IReadOnlyList<OrganizationPolicy> List(string type)
    {
        RequireSupported(type);
        lock (gate)
        {
            return policies.Values.Where(policy => policy.Type == type).OrderBy(policy => policy.Name, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<OrganizationPolicy> ListForTarget(string targetId, string type)
    {
        RequireSupported(type);
        lock (gate)
        {
            return Target(targetId).Select(id => policies[id]).Where(policy => policy.Type == type).ToList();
        }
    }

    /// <summary>
    /// The account's effective policy of a management policy type: the policies attached from the root down to the
    /// account, merged; null when the type is not enabled or nothing applies.
    /// </summary>
    public EffectivePolicy? EffectivePolicy(string accountId, string type)
    {
        lock (gate)
        {
            if (!enabledTypes.Contains(type) || tree.ParentOfAccount(accountId) is null)
            {
                return null;
            }

            var levels = Chain(accountId).Select(target => attached[target].Select(id => policies[id]).Where(policy => policy.Type == type).ToList()).ToList();
            var content = ManagementPolicyMerge.Effective(levels.Select(level => (IReadOnlyList<string>)[.. level.Select(policy => policy.Content)]));
            return content is null ? null : new EffectivePolicy(content, levels.SelectMany(level => level).Max(policy => policy.LastUpdated));
        }
    }

    /// <summary>The targets from the root down to the account.</summary>
    private List<string> Chain(string accountId)
    {
        var chain = new List<string> { accountId };
        for (var parent = tree.ParentOfAccount(accountId); parent is not null; parent = tree.ParentOfUnit(parent))
        {
            chain.Add(parent);
        }

        chain.Reverse();
        return chain;
    }

    private void Changed(string type)
    {
        if (type == BackupPolicy)
        {
            BackupPoliciesChanged?.Invoke();
        }
    }

    public IReadOnlyList<string> TargetsOf(string policyId)
    {
        lock (gate)
        {
            Get(policyId);
            return attached.Where(entry => entry.Value.Contains(policyId)).Select(entry => entry.Key).ToList();
        }
    }

    /// <summary>
    /// The SCPs that bound a principal of <paramref name="accountId"/>: one list per level from the root down to the
    /// account; null for the management account, which SCPs never restrict.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<NamedPolicy>>? ServiceControlLevels(string accountId)
    {
        if (accountId == organization.ManagementAccountId || tree.ParentOfAccount(accountId) is null)
        {
            return null;
        }

        lock (gate)
        {
            if (!enabledTypes.Contains(ServiceControlPolicy))
            {
                return null;
            }

            if (levelsCache.TryGetValue(accountId, out var cached))
            {
                return cached;
            }

            var levels = Chain(accountId)
                .Select(target => (IReadOnlyList<NamedPolicy>)attached[target]
                    .Where(id => policies[id].Type == ServiceControlPolicy)
                    .Select(id => new NamedPolicy(policies[id].Arn, PolicyDocument.Cached(policies[id].Content)))
                    .ToList())
                .ToList();
            levelsCache[accountId] = levels;
            return levels;
        }
    }

    private List<string> Target(string targetId) =>
        attached.GetValueOrDefault(targetId) ?? throw Error("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.");

    private static OrganizationPolicy RequireCustomer(OrganizationPolicy policy) => policy.AwsManaged
        ? throw Error("AccessDeniedException", "You don't have permissions to access this resource.")
        : policy;

    /// <summary>Refuses a policy type LocalCloud does not emulate (the others of the model's list).</summary>
    public static void RequireSupported(string type)
    {
        if (type is not (ServiceControlPolicy or BackupPolicy))
        {
            throw new AwsServiceException(400, "InvalidInputException", $"LocalCloud emulates only the {ServiceControlPolicy} and {BackupPolicy} policy types, not '{type}'.") { Fields = [new("Reason", "INVALID_ENUM_POLICY_TYPE")], JsonMessageMember = "Message" };
        }
    }

    private static void Validate(string type, string content)
    {
        if (type == BackupPolicy)
        {
            ValidateBackupPolicy(content);
            return;
        }

        // SCPs use IAM's grammar without Principal (Organizations user guide, SCP syntax).
        try
        {
            var document = PolicyDocument.Parse(content);
            if (document.Statements.Any(statement => statement.Principals is not null))
            {
                throw new FormatException("A service control policy cannot have Principal or NotPrincipal.");
            }
        }
        catch (FormatException error)
        {
            throw Error("MalformedPolicyDocumentException", $"The provided policy document doesn't meet the requirements of the specified policy type: {error.Message}");
        }
    }

    // docs/localcloud-backup-policies.md: a backup policy holds at most 10,000 characters; a document that breaks the
    // grammar is MalformedPolicyDocumentException, here naming every problem.
    private static void ValidateBackupPolicy(string content)
    {
        if (content.Length > BackupPolicySyntax.MaxContentLength)
        {
            throw new AwsServiceException(400, "ConstraintViolationException", $"You have exceeded the maximum size of a policy: a backup policy holds at most {BackupPolicySyntax.MaxContentLength} characters, this one has {content.Length}.") { Fields = [new("Reason", "POLICY_CONTENT_LIMIT_EXCEEDED")], JsonMessageMember = "Message" };
        }

        if (BackupPolicySyntax.Problems(content) is { Count: > 0 } problems)
        {
            throw Error("MalformedPolicyDocumentException", $"The provided policy document doesn't meet the requirements of the specified policy type: {string.Join("; ", problems)}.");
        }
    }

    internal static AwsServiceException Error(string code, string message) => new(400, code, message) { JsonMessageMember = "Message" };
}
