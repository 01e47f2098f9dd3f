using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>A policy of the organization (only SERVICE_CONTROL_POLICY is emulated).</summary>
internal sealed record OrganizationPolicy(string Id, string Arn, string Name, string Description, string Type, bool AwsManaged, string Content);

/// <summary>
/// The organization's service control policies and their attachments to the root, OUs and accounts. FullAWSAccess
/// starts attached to every target, as AWS attaches it when SCPs are enabled. <see cref="ServiceControlLevels"/> gives
/// the evaluator the SCPs of every level from the root down to an account.
/// </summary>
internal sealed class OrganizationPolicyStore
{
    public const string ServiceControlPolicy = "SERVICE_CONTROL_POLICY";
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
    private bool serviceControlEnabled = true;

    public OrganizationPolicyStore(SeedOrganization organization, OrganizationTree tree)
    {
        this.organization = organization;
        this.tree = tree;
        tree.AccountMoved += (_, _, _) =>
        {
            lock (gate)
            {
                levelsCache.Clear();
            }
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

    /// <summary>Whether SCPs are enabled on the root (the sample organization starts with them enabled).</summary>
    public bool ServiceControlEnabled
    {
        get
        {
            lock (gate)
            {
                return serviceControlEnabled;
            }
        }
    }

    /// <summary>EnablePolicyType / DisablePolicyType for SERVICE_CONTROL_POLICY on the root.</summary>
    public void SetServiceControlEnabled(string type, bool enabled)
    {
        RequireServiceControl(type);
        lock (gate)
        {
            if (serviceControlEnabled == enabled)
            {
                throw enabled
                    ? Error("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.")
                    : Error("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }

            serviceControlEnabled = enabled;
        }
    }

    /// <summary>Every id a policy can be attached to: the root, the OUs, the accounts.</summary>
    public bool IsTarget(string targetId) => attached.ContainsKey(targetId);

    public OrganizationPolicy Create(string name, string description, string type, string content)
    {
        RequireServiceControl(type);
        Validate(content);
        var id = "p-" + new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, 8));
        var policy = new OrganizationPolicy(id, $"arn:aws:organizations::{organization.ManagementAccountId}:policy/{organization.Id}/service_control_policy/{id}", name, description, type, false, content);
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
        if (content is not null)
        {
            Validate(content);
        }

        lock (gate)
        {
            var policy = RequireCustomer(Get(policyId));
            var updated = policy with { Name = name ?? policy.Name, Description = description ?? policy.Description, Content = content ?? policy.Content };
            policies[policyId] = updated;
            levelsCache.Clear();
            return updated;
        }
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
        lock (gate)
        {
            Get(policyId);
            var list = Target(targetId);
            if (list.Contains(policyId))
            {
                throw Error("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
            }

            list.Add(policyId);
            levelsCache.Clear();
        }
    }

    public void Detach(string policyId, string targetId)
    {
        lock (gate)
        {
            Get(policyId);
            var list = Target(targetId);
            if (!list.Contains(policyId))
            {
                throw Error("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
            }

            // Every root, OU and account must keep at least one SCP (Organizations API reference, DetachPolicy).
            if (list.Count == 1)
            {
                throw new AwsServiceException(400, "ConstraintViolationException", "You cannot remove the last service control policy from a target.") { Fields = [new("Reason", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")], JsonMessageMember = "Message" };
            }

            list.Remove(policyId);
            levelsCache.Clear();
        }
    }

    public IReadOnlyList<OrganizationPolicy> List(string type)
    {
        RequireServiceControl(type);
        lock (gate)
        {
            return policies.Values.OrderBy(policy => policy.Name, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<OrganizationPolicy> ListForTarget(string targetId, string type)
    {
        RequireServiceControl(type);
        lock (gate)
        {
            return Target(targetId).Select(id => policies[id]).ToList();
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
            if (!serviceControlEnabled)
            {
                return null;
            }

            if (levelsCache.TryGetValue(accountId, out var cached))
            {
                return cached;
            }

            var chain = new List<string> { accountId };
            for (var parent = tree.ParentOfAccount(accountId); parent is not null; parent = tree.ParentOfUnit(parent))
            {
                chain.Add(parent);
            }

            chain.Reverse();
            var levels = chain
                .Select(target => (IReadOnlyList<NamedPolicy>)attached[target]
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

    private static void RequireServiceControl(string type)
    {
        if (type != ServiceControlPolicy)
        {
            throw new AwsServiceException(400, "InvalidInputException", $"LocalCloud emulates only the {ServiceControlPolicy} policy type, not '{type}'.") { Fields = [new("Reason", "INVALID_ENUM_POLICY_TYPE")], JsonMessageMember = "Message" };
        }
    }

    // SCPs use IAM's grammar without Principal (Organizations user guide, SCP syntax).
    private static void Validate(string content)
    {
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

    internal static AwsServiceException Error(string code, string message) => new(400, code, message) { JsonMessageMember = "Message" };
}
