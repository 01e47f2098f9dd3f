using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// AWS IAM (Query protocol, 2010-05-08; global, so the region of the credential scope does not matter): roles with
/// trust, inline and attached policies and tags; customer managed policies; instance profiles.
/// </summary>
internal sealed partial class IamService : QueryService
{
    private const int DefaultMaxItems = 100;
    private const int DefaultMaxSessionDuration = 3600;
    private readonly IamStore store;
    private readonly TimeProvider clock;
    private readonly Authorization.PolicySimulator simulator;

    public IamService(IamStore store, TimeProvider clock, Authorization.PolicySimulator simulator)
        : base("iam", "2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/")
    {
        this.store = store;
        this.clock = clock;
        this.simulator = simulator;
        AddOperation("SimulatePrincipalPolicy", mutating: false, SimulatePrincipalPolicy);
        AddPasswordPolicyOperations();
        AddOperation("SimulateCustomPolicy", mutating: false, SimulateCustomPolicy);
        AddOperation("CreateRole", mutating: true, CreateRole);
        AddOperation("GetRole", mutating: false, GetRole);
        AddOperation("DeleteRole", mutating: true, DeleteRole);
        AddOperation("ListRoles", mutating: false, ListRoles);
        AddOperation("UpdateAssumeRolePolicy", mutating: true, UpdateAssumeRolePolicy);
        AddOperation("TagRole", mutating: true, TagRole);
        AddOperation("UntagRole", mutating: true, UntagRole);
        AddOperation("ListRoleTags", mutating: false, ListRoleTags);
        AddOperation("PutRolePolicy", mutating: true, PutRolePolicy);
        AddOperation("GetRolePolicy", mutating: false, GetRolePolicy);
        AddOperation("DeleteRolePolicy", mutating: true, DeleteRolePolicy);
        AddOperation("ListRolePolicies", mutating: false, ListRolePolicies);
        AddOperation("AttachRolePolicy", mutating: true, AttachRolePolicy);
        AddOperation("DetachRolePolicy", mutating: true, DetachRolePolicy);
        AddOperation("ListAttachedRolePolicies", mutating: false, ListAttachedRolePolicies);
        AddOperation("CreatePolicy", mutating: true, CreatePolicy);
        AddOperation("GetPolicy", mutating: false, GetPolicy);
        AddOperation("GetPolicyVersion", mutating: false, GetPolicyVersion);
        AddOperation("DeletePolicy", mutating: true, DeletePolicy);
        AddOperation("ListPolicies", mutating: false, ListPolicies);
        AddOperation("CreateInstanceProfile", mutating: true, CreateInstanceProfile);
        AddOperation("GetInstanceProfile", mutating: false, GetInstanceProfile);
        AddOperation("AddRoleToInstanceProfile", mutating: true, AddRoleToInstanceProfile);
        AddOperation("RemoveRoleFromInstanceProfile", mutating: true, RemoveRoleFromInstanceProfile);
        AddOperation("DeleteInstanceProfile", mutating: true, DeleteInstanceProfile);
    }

    // ---- roles ----

    private IEnumerable<XElement> CreateRole(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var path = Path(violations, parameters, "Path", IamConstraints.EntityPathPattern);
        var document = PolicyDocument(violations, parameters, "AssumeRolePolicyDocument", "assumeRolePolicyDocument");
        var description = parameters.Get("Description");
        ModelConstraints.CheckString(violations, "description", description, 0, 1000, IamConstraints.DescriptionPattern, required: false);
        var maxSessionDuration = ModelConstraints.CheckInteger(violations, "maxSessionDuration", parameters.Get("MaxSessionDuration"), 3600, 43200);
        var tags = Tags(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var role = store.CreateRole(request.AccountId, path, name!, document!, description, maxSessionDuration ?? DefaultMaxSessionDuration, tags, clock.GetUtcNow());
        return [RoleElement("Role", role)];
    }

    private IEnumerable<XElement> GetRole(AwsRequest request, QueryParameters parameters) =>
        [RoleElement("Role", store.GetRole(request.AccountId, ValidRoleName(parameters)))];

    private IEnumerable<XElement> DeleteRole(AwsRequest request, QueryParameters parameters)
    {
        store.DeleteRole(request.AccountId, ValidRoleName(parameters));
        return [];
    }

    private IEnumerable<XElement> ListRoles(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var prefix = PathPrefix(violations, parameters, IamConstraints.PathPrefixPattern);
        var maxItems = MaxItems(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var (page, marker) = Page(store.ListRoles(request.AccountId, prefix), "ListRoles", parameters, maxItems);
        return [Element("Roles", page.Select(role => RoleElement("member", role, withTags: false))), .. Truncation(marker)];
    }

    private IEnumerable<XElement> UpdateAssumeRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var document = PolicyDocument(violations, parameters, "PolicyDocument", "policyDocument");
        ModelConstraints.ThrowIfAny(violations);
        store.UpdateAssumeRolePolicy(request.AccountId, name!, document!);
        return [];
    }

    private IEnumerable<XElement> TagRole(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var tags = Tags(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        store.TagRole(request.AccountId, name!, tags);
        return [];
    }

    private IEnumerable<XElement> UntagRole(AwsRequest request, QueryParameters parameters)
    {
        store.UntagRole(request.AccountId, ValidRoleName(parameters), parameters.GetList("TagKeys"));
        return [];
    }

    private IEnumerable<XElement> ListRoleTags(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var maxItems = MaxItems(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var (page, marker) = Page(store.GetRole(request.AccountId, name!).Tags, "ListRoleTags", parameters, maxItems);
        return [TagsElement(page), .. Truncation(marker)];
    }

    private IEnumerable<XElement> PutRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var roleName = RoleName(violations, parameters);
        var policyName = PolicyName(violations, parameters);
        var document = PolicyDocument(violations, parameters, "PolicyDocument", "policyDocument");
        ModelConstraints.ThrowIfAny(violations);
        store.PutRolePolicy(request.AccountId, roleName!, policyName!, document!);
        return [];
    }

    private IEnumerable<XElement> GetRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var roleName = RoleName(violations, parameters);
        var policyName = PolicyName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var role = store.GetRole(request.AccountId, roleName!);
        var document = store.GetRolePolicy(request.AccountId, roleName!, policyName!);
        return [Element("RoleName", role.RoleName), Element("PolicyName", policyName), Element("PolicyDocument", Encoded(document))];
    }

    private IEnumerable<XElement> DeleteRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var roleName = RoleName(violations, parameters);
        var policyName = PolicyName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        store.DeleteRolePolicy(request.AccountId, roleName!, policyName!);
        return [];
    }

    private IEnumerable<XElement> ListRolePolicies(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var maxItems = MaxItems(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var names = store.GetRole(request.AccountId, name!).InlinePolicies.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, marker) = Page(names, "ListRolePolicies", parameters, maxItems);
        return [Element("PolicyNames", page.Select(policyName => Element("member", policyName))), .. Truncation(marker)];
    }

    private IEnumerable<XElement> AttachRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var (roleName, policyArn) = RoleAndPolicyArn(parameters);
        store.AttachRolePolicy(request.AccountId, roleName, policyArn);
        return [];
    }

    private IEnumerable<XElement> DetachRolePolicy(AwsRequest request, QueryParameters parameters)
    {
        var (roleName, policyArn) = RoleAndPolicyArn(parameters);
        store.DetachRolePolicy(request.AccountId, roleName, policyArn);
        return [];
    }

    private IEnumerable<XElement> ListAttachedRolePolicies(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        var prefix = PathPrefix(violations, parameters, IamConstraints.PolicyPathPattern);
        var maxItems = MaxItems(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var attached = store.GetRole(request.AccountId, name!).AttachedPolicyArns
            .Select(arn => store.GetPolicy(request.AccountId, arn).Policy)
            .Where(policy => policy.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var (page, marker) = Page(attached, "ListAttachedRolePolicies", parameters, maxItems);
        return
        [
            Element("AttachedPolicies", page.Select(policy => Element("member", new[] { Element("PolicyName", policy.PolicyName), Element("PolicyArn", policy.Arn) }))),
            .. Truncation(marker),
        ];
    }

    // ---- managed policies ----

    private IEnumerable<XElement> CreatePolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = PolicyName(violations, parameters);
        var path = Path(violations, parameters, "Path", IamConstraints.PolicyPathPattern);
        var document = PolicyDocument(violations, parameters, "PolicyDocument", "policyDocument");
        var description = parameters.Get("Description");
        ModelConstraints.CheckString(violations, "description", description, 0, 1000, pattern: null, required: false);
        var tags = Tags(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var policy = store.CreatePolicy(request.AccountId, path, name!, document!, description, tags, clock.GetUtcNow());
        return [PolicyElement("Policy", policy, attachmentCount: 0, withDescriptionAndTags: false)];
    }

    private IEnumerable<XElement> GetPolicy(AwsRequest request, QueryParameters parameters)
    {
        var (policy, attachmentCount) = store.GetPolicy(request.AccountId, ValidPolicyArn(parameters));
        return [PolicyElement("Policy", policy, attachmentCount, withDescriptionAndTags: true)];
    }

    private IEnumerable<XElement> GetPolicyVersion(AwsRequest request, QueryParameters parameters)
    {
        var policyArn = ValidPolicyArn(parameters);
        var versionId = parameters.Get("VersionId");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "versionId", versionId, 1, int.MaxValue, IamConstraints.PolicyVersionPattern);
        ModelConstraints.ThrowIfAny(violations);

        var (policy, _) = store.GetPolicy(request.AccountId, policyArn);
        if (policy.Document is null || versionId != IamManagedPolicy.DefaultVersionId)
        {
            throw new AwsServiceException(404, "NoSuchEntity", $"Policy {policyArn} version {versionId} does not exist or is not attachable.");
        }

        return
        [
            Element("PolicyVersion", new[]
            {
                Element("Document", Encoded(policy.Document)),
                Element("VersionId", versionId),
                Element("IsDefaultVersion", "true"),
                Element("CreateDate", Timestamp(policy.CreateDate)),
            }),
        ];
    }

    private IEnumerable<XElement> DeletePolicy(AwsRequest request, QueryParameters parameters)
    {
        store.DeletePolicy(request.AccountId, ValidPolicyArn(parameters));
        return [];
    }

    private IEnumerable<XElement> ListPolicies(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var scope = parameters.Get("Scope") ?? "All";
        if (scope is not ("All" or "AWS" or "Local"))
        {
            violations.Add($"Value '{scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
        }

        var prefix = PathPrefix(violations, parameters, IamConstraints.PolicyPathPattern);
        var maxItems = MaxItems(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var onlyAttached = string.Equals(parameters.Get("OnlyAttached"), "true", StringComparison.OrdinalIgnoreCase);
        var (page, marker) = Page(store.ListPolicies(request.AccountId, scope, prefix, onlyAttached), "ListPolicies", parameters, maxItems);
        return [Element("Policies", page.Select(entry => PolicyElement("member", entry.Policy, entry.AttachmentCount, withDescriptionAndTags: false))), .. Truncation(marker)];
    }

    // ---- instance profiles ----

    private IEnumerable<XElement> CreateInstanceProfile(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = InstanceProfileName(violations, parameters);
        var path = Path(violations, parameters, "Path", IamConstraints.EntityPathPattern);
        var tags = Tags(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var profile = store.CreateInstanceProfile(request.AccountId, path, name!, tags, clock.GetUtcNow());
        return [InstanceProfileElement(profile, [])];
    }

    private IEnumerable<XElement> GetInstanceProfile(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = InstanceProfileName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        var (profile, roles) = store.GetInstanceProfile(request.AccountId, name!);
        return [InstanceProfileElement(profile, roles)];
    }

    private IEnumerable<XElement> AddRoleToInstanceProfile(AwsRequest request, QueryParameters parameters)
    {
        var (profileName, roleName) = ProfileAndRole(parameters);
        store.AddRoleToInstanceProfile(request.AccountId, profileName, roleName);
        return [];
    }

    private IEnumerable<XElement> RemoveRoleFromInstanceProfile(AwsRequest request, QueryParameters parameters)
    {
        var (profileName, roleName) = ProfileAndRole(parameters);
        store.RemoveRoleFromInstanceProfile(request.AccountId, profileName, roleName);
        return [];
    }

    private IEnumerable<XElement> DeleteInstanceProfile(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = InstanceProfileName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        store.DeleteInstanceProfile(request.AccountId, name!);
        return [];
    }

    // ---- response shapes ----

    private XElement RoleElement(string elementName, IamRole role, bool withTags = true) => Element(elementName, new object?[]
    {
        Element("Path", role.Path),
        Element("RoleName", role.RoleName),
        Element("RoleId", role.RoleId),
        Element("Arn", role.Arn),
        Element("CreateDate", Timestamp(role.CreateDate)),
        Element("AssumeRolePolicyDocument", Encoded(role.AssumeRolePolicyDocument)),
        role.Description is null ? null : Element("Description", role.Description),
        Element("MaxSessionDuration", role.MaxSessionDuration.ToString(CultureInfo.InvariantCulture)),
        withTags && role.Tags.Count > 0 ? TagsElement(role.Tags) : null,
        withTags ? Element("RoleLastUsed", null) : null,
    });

    private XElement PolicyElement(string elementName, IamManagedPolicy policy, int attachmentCount, bool withDescriptionAndTags) => Element(elementName, new object?[]
    {
        Element("PolicyName", policy.PolicyName),
        Element("PolicyId", policy.PolicyId),
        Element("Arn", policy.Arn),
        Element("Path", policy.Path),
        Element("DefaultVersionId", IamManagedPolicy.DefaultVersionId),
        Element("AttachmentCount", attachmentCount.ToString(CultureInfo.InvariantCulture)),
        Element("PermissionsBoundaryUsageCount", "0"),
        Element("IsAttachable", "true"),
        withDescriptionAndTags && policy.Description is not null ? Element("Description", policy.Description) : null,
        Element("CreateDate", Timestamp(policy.CreateDate)),
        Element("UpdateDate", Timestamp(policy.CreateDate)),
        withDescriptionAndTags && policy.Tags.Count > 0 ? TagsElement(policy.Tags) : null,
    });

    private XElement InstanceProfileElement(IamInstanceProfile profile, IReadOnlyList<IamRole> roles) => Element("InstanceProfile", new object?[]
    {
        Element("Path", profile.Path),
        Element("InstanceProfileName", profile.InstanceProfileName),
        Element("InstanceProfileId", profile.InstanceProfileId),
        Element("Arn", profile.Arn),
        Element("CreateDate", Timestamp(profile.CreateDate)),
        Element("Roles", roles.Select(role => RoleElement("member", role, withTags: false))),
        profile.Tags.Count > 0 ? TagsElement(profile.Tags) : null,
    });

    private XElement TagsElement(IEnumerable<IamTag> tags) =>
        Element("Tags", tags.Select(tag => Element("member", new[] { Element("Key", tag.Key), Element("Value", tag.Value) })));

    /// <summary>IAM returns policy documents URL-encoded (RFC 3986); SDKs and the CLI decode them.</summary>
    private static string Encoded(string document) => Uri.EscapeDataString(document);

    private IEnumerable<XElement> Truncation(string? marker) => marker is null
        ? [Element("IsTruncated", "false")]
        : [Element("IsTruncated", "true"), Element("Marker", marker)];

    // ---- request members, checked against the model's constraints ----

    private static (IReadOnlyList<T> Page, string? Marker) Page<T>(IReadOnlyList<T> items, string operation, QueryParameters parameters, int maxItems) =>
        PageTokens.Page(items, operation, parameters.Get("Marker"), maxItems, () => new AwsServiceException(400, "ValidationError", "Invalid Marker."));

    private static int MaxItems(List<string> violations, QueryParameters parameters) =>
        ModelConstraints.CheckInteger(violations, "maxItems", parameters.Get("MaxItems"), 1, 1000) ?? DefaultMaxItems;

    private static string? RoleName(List<string> violations, QueryParameters parameters)
    {
        var name = parameters.Get("RoleName");
        ModelConstraints.CheckString(violations, "roleName", name, 1, 64, IamConstraints.EntityNamePattern);
        return name;
    }

    private static string ValidRoleName(QueryParameters parameters)
    {
        var violations = new List<string>();
        var name = RoleName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        return name!;
    }

    private static string? PolicyName(List<string> violations, QueryParameters parameters)
    {
        var name = parameters.Get("PolicyName");
        ModelConstraints.CheckString(violations, "policyName", name, 1, 128, IamConstraints.EntityNamePattern);
        return name;
    }

    private static string? InstanceProfileName(List<string> violations, QueryParameters parameters)
    {
        var name = parameters.Get("InstanceProfileName");
        ModelConstraints.CheckString(violations, "instanceProfileName", name, 1, 128, IamConstraints.EntityNamePattern);
        return name;
    }

    private static string? PolicyArn(List<string> violations, QueryParameters parameters)
    {
        var arn = parameters.Get("PolicyArn");
        ModelConstraints.CheckString(violations, "policyArn", arn, 20, 2048, pattern: null);
        return arn;
    }

    private static string ValidPolicyArn(QueryParameters parameters)
    {
        var violations = new List<string>();
        var arn = PolicyArn(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        return arn!;
    }

    private static (string RoleName, string PolicyArn) RoleAndPolicyArn(QueryParameters parameters)
    {
        var violations = new List<string>();
        var roleName = RoleName(violations, parameters);
        var policyArn = PolicyArn(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        return (roleName!, policyArn!);
    }

    private static (string ProfileName, string RoleName) ProfileAndRole(QueryParameters parameters)
    {
        var violations = new List<string>();
        var profileName = InstanceProfileName(violations, parameters);
        var roleName = RoleName(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        return (profileName!, roleName!);
    }

    private static string? PolicyDocument(List<string> violations, QueryParameters parameters, string name, string member)
    {
        var document = parameters.Get(name);
        ModelConstraints.CheckString(violations, member, document, 1, 131072, IamConstraints.PolicyDocumentPattern);
        return document;
    }

    private static string Path(List<string> violations, QueryParameters parameters, string name, string pattern)
    {
        var path = parameters.Get(name);
        ModelConstraints.CheckString(violations, "path", path, 1, 512, pattern, required: false);
        return path ?? "/";
    }

    private static string PathPrefix(List<string> violations, QueryParameters parameters, string pattern)
    {
        var prefix = parameters.Get("PathPrefix");
        ModelConstraints.CheckString(violations, "pathPrefix", prefix, 1, 512, pattern, required: false);
        return prefix ?? "/";
    }

    private static List<IamTag> Tags(List<string> violations, QueryParameters parameters)
    {
        var tags = new List<IamTag>();
        for (var index = 1; parameters.Get($"Tags.member.{index}.Key") is { } key; index++)
        {
            var value = parameters.Get($"Tags.member.{index}.Value");
            ModelConstraints.CheckString(violations, $"tags.{index}.member.key", key, 1, 128, IamConstraints.TagPattern);
            ModelConstraints.CheckString(violations, $"tags.{index}.member.value", value, 0, 256, IamConstraints.TagValuePattern);
            tags.Add(new IamTag(key, value ?? ""));
        }

        return tags;
    }
}
