using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

// IamStore: managed policies.
internal sealed partial class IamStore
{
    public IamManagedPolicy CreatePolicy(string accountId, string path, string name, string document, string? description, IReadOnlyList<IamTag> tags, DateTimeOffset now)
    {
        IamConstraints.RequireValidPolicy(name, path);
        ValidatePermissionPolicy(document);
        if (PolicySize(document) > MaxManagedPolicySize)
        {
            throw new AwsServiceException(409, "LimitExceeded", $"Cannot exceed quota for PolicySize: {MaxManagedPolicySize}");
        }

        RequireTagCount(tags.Count);
        var arn = $"arn:aws:iam::{accountId}:policy{path}{name}";
        var policy = new IamManagedPolicy(arn, name, path, NewId("ANPA", arn), description, document, now, tags);
        lock (gate)
        {
            if (!Entities(accountId).Policies.TryAdd(name, policy))
            {
                throw new AwsServiceException(409, "EntityAlreadyExists", $"A policy called {name} already exists. Duplicate names are not allowed.");
            }
        }

        return policy;
    }

    /// <summary>The document of a customer managed policy of the account, or null (for authorization).</summary>
    public string? FindPolicyDocument(string accountId, string policyArn)
    {
        lock (gate)
        {
            return FindPolicy(accountId, policyArn)?.Document;
        }
    }

    /// <summary>A customer managed policy of the account or a known AWS-managed one, with the number of the account's roles it is attached to.</summary>
    public (IamManagedPolicy Policy, int AttachmentCount) GetPolicy(string accountId, string policyArn)
    {
        lock (gate)
        {
            var policy = FindPolicy(accountId, policyArn) ?? throw NoSuchPolicy(policyArn);
            return (policy, AttachmentCount(accountId, policy.Arn));
        }
    }

    /// <summary>
    /// Managed policies by scope (All, AWS, Local) and path prefix, ordered by name; with <paramref name="onlyAttached"/>
    /// only those attached to a role of the account.
    /// </summary>
    public IReadOnlyList<(IamManagedPolicy Policy, int AttachmentCount)> ListPolicies(string accountId, string scope, string pathPrefix, bool onlyAttached)
    {
        lock (gate)
        {
            IEnumerable<IamManagedPolicy> local = scope is "All" or "Local" ? Entities(accountId).Policies.Values : [];
            IEnumerable<IamManagedPolicy> awsManaged = scope is "All" or "AWS" ? AwsManagedPolicies : [];
            return awsManaged.Concat(local)
                .Where(policy => policy.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
                .Select(policy => (policy, AttachmentCount(accountId, policy.Arn)))
                .Where(entry => !onlyAttached || entry.Item2 > 0)
                .OrderBy(entry => entry.policy.PolicyName, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
    }

    /// <summary>Refuses while the policy is attached, as IAM does.</summary>
    public void DeletePolicy(string accountId, string policyArn)
    {
        lock (gate)
        {
            var policy = FindPolicy(accountId, policyArn);
            if (policy is null || policy.IsAwsManaged)
            {
                throw NoSuchPolicy(policyArn);
            }

            if (AttachmentCount(accountId, policy.Arn) > 0)
            {
                throw DeleteConflict("Cannot delete a policy attached to entities.");
            }

            Entities(accountId).Policies.Remove(policy.PolicyName);
        }
    }

    /// <summary>Changes a customer managed policy's document in place (what a new default version does).</summary>
    public void SetPolicyDocument(string accountId, string policyArn, string document)
    {
        ValidatePermissionPolicy(document);
        lock (gate)
        {
            var policy = FindPolicy(accountId, policyArn);
            if (policy is null || policy.IsAwsManaged)
            {
                throw NoSuchPolicy(policyArn);
            }

            Entities(accountId).Policies[policy.PolicyName] = policy with { Document = document };
        }
    }

    /// <summary>The roles of the account a managed policy is attached to.</summary>
    public IReadOnlyList<string> RolesAttachedTo(string accountId, string policyArn)
    {
        lock (gate)
        {
            return Entities(accountId).Roles.Values
                .Where(role => role.AttachedPolicyArns.Contains(policyArn, StringComparer.Ordinal))
                .Select(role => role.RoleName)
                .ToList();
        }
    }
}
