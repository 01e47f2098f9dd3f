using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// The IAM roles, customer managed policies and instance profiles of every account: the one registry of roles that
/// IAM, STS AssumeRole, Backup's role checks and CloudFormation's AWS::IAM::* resources share. Starts with the seed's
/// roles. Entities are immutable records replaced under one lock, so readers get consistent copies.
/// </summary>
internal sealed partial class IamStore
{
    /// <summary>Every AWS-managed policy (attachable, listed, GetPolicy); others are refused as unknown.</summary>
    public static IReadOnlyList<IamManagedPolicy> AwsManagedPolicies => AwsManagedPolicyCatalogue.All;

    private const int MaxTagsPerEntity = 50;
    private const int MaxManagedPoliciesPerRole = 10;
    private const int MaxTrustPolicySize = 2048;
    private const int MaxInlinePoliciesSizePerRole = 10240;
    private const int MaxManagedPolicySize = 6144;
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private readonly Lock gate = new();
    private readonly Dictionary<string, AccountEntities> accounts = new(StringComparer.Ordinal);

    public IamStore(SeedOrganization organization)
    {
        foreach (var account in organization.Accounts)
        {
            foreach (var seedRole in account.Roles)
            {
                // A seed role name may carry a path: service-role/AWSBackupDefaultServiceRole.
                var slash = seedRole.Name.LastIndexOf('/');
                var path = slash < 0 ? "/" : "/" + seedRole.Name[..(slash + 1)];
                var name = seedRole.Name[(slash + 1)..];
                var role = new IamRole(account.Id, path, name, "", account.Joined, seedRole.TrustPolicyDocument, Description: null,
                    seedRole.MaxSessionDurationSeconds, [], new Dictionary<string, string>(), seedRole.ManagedPolicyArns);
                Entities(account.Id).Roles[name] = role with { RoleId = CredentialStore.UniqueId("AROA", role.Arn) };
            }
        }
    }

    // ---- roles ----

    public IamRole CreateRole(string accountId, string path, string name, string trustPolicy, string? description, int maxSessionDuration, IReadOnlyList<IamTag> tags, DateTimeOffset now)
    {
        IamConstraints.RequireValidRole(name, path, description, maxSessionDuration);
        ValidateTrustPolicy(trustPolicy);
        RequireTagCount(tags.Count);
        var arn = $"arn:aws:iam::{accountId}:role{path}{name}";
        var role = new IamRole(accountId, path, name, NewId("AROA", arn), now, trustPolicy, description, maxSessionDuration, tags,
            new Dictionary<string, string>(StringComparer.Ordinal), []);
        lock (gate)
        {
            if (!Entities(accountId).Roles.TryAdd(name, role))
            {
                throw new AwsServiceException(409, "EntityAlreadyExists", $"Role with name {name} already exists.");
            }
        }

        return role;
    }

    public IamRole GetRole(string accountId, string name)
    {
        lock (gate)
        {
            return Role(accountId, name);
        }
    }

    /// <summary>
    /// The role a role ARN names, or null. As in STS, the role is found by account and name; the path in the ARN
    /// is not compared.
    /// </summary>
    public IamRole? FindRole(string roleArn)
    {
        if (roleArn.Split(':', 6) is not ["arn", "aws", "iam", "", var accountId, var resource] || !resource.StartsWith("role/", StringComparison.Ordinal))
        {
            return null;
        }

        lock (gate)
        {
            return accounts.GetValueOrDefault(accountId)?.Roles.GetValueOrDefault(resource[(resource.LastIndexOf('/') + 1)..]);
        }
    }

    public bool RoleExists(string roleArn) => FindRole(roleArn) is not null;

    /// <summary>The account's roles whose path starts with <paramref name="pathPrefix"/>, ordered by name as IAM lists them.</summary>
    public IReadOnlyList<IamRole> ListRoles(string accountId, string pathPrefix)
    {
        lock (gate)
        {
            return Entities(accountId).Roles.Values
                .Where(role => role.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
                .OrderBy(role => role.RoleName, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
    }

    /// <summary>Refuses, as IAM does, while the role has inline or attached policies or is in an instance profile.</summary>
    public void DeleteRole(string accountId, string name)
    {
        lock (gate)
        {
            var entities = Entities(accountId);
            var role = Role(accountId, name);
            if (role.AttachedPolicyArns.Count > 0)
            {
                throw DeleteConflict("Cannot delete entity, must detach all policies first.");
            }

            if (role.InlinePolicies.Count > 0)
            {
                throw DeleteConflict("Cannot delete entity, must delete policies first.");
            }

            if (entities.InstanceProfiles.Values.Any(profile => profile.RoleNames.Contains(role.RoleName, StringComparer.OrdinalIgnoreCase)))
            {
                throw DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }

            entities.Roles.Remove(role.RoleName);
        }
    }

    public void UpdateAssumeRolePolicy(string accountId, string name, string trustPolicy)
    {
        ValidateTrustPolicy(trustPolicy);
        UpdateRole(accountId, name, role => role with { AssumeRolePolicyDocument = trustPolicy });
    }

    /// <summary>Sets the description and the maximum session duration (the properties UpdateRole changes).</summary>
    public void UpdateRoleSettings(string accountId, string name, string? description, int maxSessionDuration) =>
        UpdateRole(accountId, name, role =>
        {
            IamConstraints.RequireValidRole(role.RoleName, role.Path, description, maxSessionDuration);
            return role with { Description = description, MaxSessionDuration = maxSessionDuration };
        });

    public void TagRole(string accountId, string name, IReadOnlyList<IamTag> tags) =>
        UpdateRole(accountId, name, role => role with { Tags = Tagged(role.Tags, tags) });

    public void UntagRole(string accountId, string name, IReadOnlyList<string> keys) =>
        UpdateRole(accountId, name, role => role with { Tags = role.Tags.Where(tag => !keys.Contains(tag.Key, StringComparer.OrdinalIgnoreCase)).ToList() });

    public void PutRolePolicy(string accountId, string roleName, string policyName, string document)
    {
        ValidatePermissionPolicy(document);
        UpdateRole(accountId, roleName, role =>
        {
            var policies = new Dictionary<string, string>(role.InlinePolicies, StringComparer.Ordinal) { [policyName] = document };
            if (policies.Values.Sum(PolicySize) > MaxInlinePoliciesSizePerRole)
            {
                throw new AwsServiceException(409, "LimitExceeded", $"Maximum policy size of {MaxInlinePoliciesSizePerRole} bytes exceeded for role {role.RoleName}");
            }

            return role with { InlinePolicies = policies };
        });
    }

    public string GetRolePolicy(string accountId, string roleName, string policyName)
    {
        lock (gate)
        {
            return Role(accountId, roleName).InlinePolicies.GetValueOrDefault(policyName) ?? throw NoSuchRolePolicy(policyName);
        }
    }

    public void DeleteRolePolicy(string accountId, string roleName, string policyName) =>
        UpdateRole(accountId, roleName, role => role.InlinePolicies.ContainsKey(policyName)
            ? role with { InlinePolicies = role.InlinePolicies.Where(pair => pair.Key != policyName).ToDictionary(StringComparer.Ordinal) }
            : throw NoSuchRolePolicy(policyName));

    /// <summary>Attaching a policy that is already attached changes nothing, as in IAM.</summary>
    public void AttachRolePolicy(string accountId, string roleName, string policyArn)
    {
        lock (gate)
        {
            if (FindPolicy(accountId, policyArn) is null)
            {
                throw new AwsServiceException(404, "NoSuchEntity", $"Policy {policyArn} does not exist or is not attachable.");
            }

            UpdateRole(accountId, roleName, role => role.AttachedPolicyArns.Contains(policyArn, StringComparer.Ordinal)
                ? role
                : role.AttachedPolicyArns.Count >= MaxManagedPoliciesPerRole
                    ? throw new AwsServiceException(409, "LimitExceeded", $"Cannot exceed quota for PoliciesPerRole: {MaxManagedPoliciesPerRole}")
                    : role with { AttachedPolicyArns = [.. role.AttachedPolicyArns, policyArn] });
        }
    }

    public void DetachRolePolicy(string accountId, string roleName, string policyArn) =>
        UpdateRole(accountId, roleName, role => role.AttachedPolicyArns.Contains(policyArn, StringComparer.Ordinal)
            ? role with { AttachedPolicyArns = role.AttachedPolicyArns.Where(arn => arn != policyArn).ToList() }
            : throw new AwsServiceException(404, "NoSuchEntity", $"Policy {policyArn} was not found."));

    // ---- state file ----

    public IamSnapshot Snapshot()
    {
        lock (gate)
        {
            return new IamSnapshot(
                [.. accounts.Values.SelectMany(entities => entities.Roles.Values)],
                [.. accounts.Values.SelectMany(entities => entities.Policies.Values)],
                [.. accounts.Values.SelectMany(entities => entities.InstanceProfiles.Values)],
                new Dictionary<string, IamPasswordPolicy>(passwordPolicies, StringComparer.Ordinal));
        }
    }

    /// <summary>Replaces everything, the seed's roles included: the saved state says which of them still exist.</summary>
    public void Restore(IamSnapshot snapshot)
    {
        lock (gate)
        {
            accounts.Clear();
            passwordPolicies.Clear();
            foreach (var (accountId, policy) in snapshot.PasswordPolicies ?? new Dictionary<string, IamPasswordPolicy>())
            {
                passwordPolicies[accountId] = policy;
            }

            foreach (var role in snapshot.Roles)
            {
                Entities(role.AccountId).Roles[role.RoleName] = role with
                {
                    InlinePolicies = new Dictionary<string, string>(role.InlinePolicies, StringComparer.Ordinal),
                };
            }

            foreach (var policy in snapshot.Policies)
            {
                Entities(policy.Arn.Split(':')[4]).Policies[policy.PolicyName] = policy;
            }

            foreach (var profile in snapshot.InstanceProfiles)
            {
                Entities(profile.AccountId).InstanceProfiles[profile.InstanceProfileName] = profile;
            }
        }
    }

    // ---- helpers (callers hold the lock) ----

    private AccountEntities Entities(string accountId)
    {
        if (!accounts.TryGetValue(accountId, out var entities))
        {
            entities = new AccountEntities();
            accounts[accountId] = entities;
        }

        return entities;
    }

    private IamRole Role(string accountId, string name) =>
        Entities(accountId).Roles.GetValueOrDefault(name)
        ?? throw new AwsServiceException(404, "NoSuchEntity", $"The role with name {name} cannot be found.");

    private IamInstanceProfile InstanceProfile(string accountId, string name) =>
        Entities(accountId).InstanceProfiles.GetValueOrDefault(name)
        ?? throw new AwsServiceException(404, "NoSuchEntity", $"Instance Profile {name} cannot be found.");

    private void UpdateRole(string accountId, string name, Func<IamRole, IamRole> change)
    {
        lock (gate)
        {
            var role = Role(accountId, name);
            Entities(accountId).Roles[role.RoleName] = change(role);
        }
    }

    /// <summary>A customer managed policy of this account or a known AWS-managed policy, by ARN.</summary>
    private IamManagedPolicy? FindPolicy(string accountId, string policyArn)
    {
        if (AwsManagedPolicyCatalogue.Find(policyArn) is { } awsManaged)
        {
            return awsManaged;
        }

        var policy = policyArn.StartsWith($"arn:aws:iam::{accountId}:policy/", StringComparison.Ordinal)
            ? Entities(accountId).Policies.GetValueOrDefault(policyArn[(policyArn.LastIndexOf('/') + 1)..])
            : null;
        return policy?.Arn == policyArn ? policy : null;
    }

    private int AttachmentCount(string accountId, string policyArn) =>
        Entities(accountId).Roles.Values.Count(role => role.AttachedPolicyArns.Contains(policyArn, StringComparer.Ordinal));

    private static IReadOnlyList<IamTag> Tagged(IReadOnlyList<IamTag> existing, IReadOnlyList<IamTag> added)
    {
        var tags = existing.Where(tag => !added.Any(update => update.Key.Equals(tag.Key, StringComparison.OrdinalIgnoreCase))).Concat(added).ToList();
        RequireTagCount(tags.Count);
        return tags;
    }

    private static void RequireTagCount(int count)
    {
        if (count > MaxTagsPerEntity)
        {
            throw new AwsServiceException(409, "LimitExceeded", $"The number of tags has reached the maximum limit of {MaxTagsPerEntity}.");
        }
    }

    private static AwsServiceException DeleteConflict(string message) => new(409, "DeleteConflict", message);

    private static AwsServiceException NoSuchRolePolicy(string policyName) =>
        new(404, "NoSuchEntity", $"The role policy with name {policyName} cannot be found.");

    private static AwsServiceException NoSuchPolicy(string policyArn) =>
        new(404, "NoSuchEntity", $"Policy {policyArn} does not exist or is not attachable.");

    /// <summary>A new unique id: the prefix IAM uses for the entity kind and 17 random base-32 characters.</summary>
    private static string NewId(string prefix, string arn) => CredentialStore.UniqueId(prefix, arn + "/" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));

    /// <summary>One account's entities, by name; IAM names are unique regardless of case.</summary>
    private sealed class AccountEntities
    {
        public Dictionary<string, IamRole> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, IamManagedPolicy> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, IamInstanceProfile> InstanceProfiles { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
