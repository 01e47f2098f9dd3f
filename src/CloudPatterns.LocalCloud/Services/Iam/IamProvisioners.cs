using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// Base of the AWS::IAM::* provisioners: IAM is global, so every resource lives in the stack's account whatever its
/// region. Drift reads the entity back from <see cref="IamStore"/> and reports each property that differs.
/// </summary>
internal abstract class IamProvisioner(IamStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    /// <summary>
    /// An attribute no template can reach (GetAtt names are checked against the spec) that records what this
    /// provisioner applied, so an update removes what the template no longer has and nothing another resource added.
    /// </summary>
    protected const string AppliedAttribute = "LocalCloud::Applied";

    protected IamStore Store { get; } = store;

    protected static string Account(ResourceRequest request) => request.Stack.AccountId;

    protected static IReadOnlyList<IamTag> Tags(JsonElement properties) =>
        properties.GetArrayOrEmpty("Tags").Select(tag => new IamTag(tag.GetStringOrNull("Key") ?? "", tag.GetStringOrNull("Value") ?? "")).ToList();

    protected static IReadOnlyList<string> Applied(ProvisionedResource current, string name) =>
        current.Attributes.GetValueOrDefault(AppliedAttribute)?[name] is JsonArray applied
            ? applied.Select(item => item!.GetValue<string>()).ToList()
            : [];

    protected static ProvisionedResource WithApplied(ProvisionedResource provisioned, params (string Name, IEnumerable<string> Values)[] applied)
    {
        var attributes = new Dictionary<string, JsonNode>(provisioned.Attributes, StringComparer.Ordinal)
        {
            [AppliedAttribute] = new JsonObject(applied.Select(entry => KeyValuePair.Create(entry.Name, (JsonNode?)new JsonArray(entry.Values.Select(value => (JsonNode?)value).ToArray())))),
        };
        return provisioned with { Attributes = attributes };
    }

    /// <summary>Runs an IAM call whose target may already be gone; CloudFormation's delete treats NotFound as done.</summary>
    protected static void IgnoringMissing(Action action)
    {
        try
        {
            action();
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchEntity")
        {
        }
    }

    /// <summary>
    /// Puts the actual value of a property into the drift result where it differs from the template's (policy
    /// documents compared as JSON, scalars as text); <paramref name="defaultValue"/> is what IAM has when the
    /// template leaves the property out.
    /// </summary>
    protected static void Reconcile(JsonObject result, string name, JsonNode? actual, JsonNode? defaultValue = null)
    {
        var expected = result[name];
        if (Same(expected, actual) || (expected is null && Same(defaultValue, actual)))
        {
            return;
        }

        if (actual is null)
        {
            result.Remove(name);
        }
        else
        {
            result[name] = actual.DeepClone();
        }
    }

    /// <summary>A policy document (JSON text) as a JSON node; CloudFormation templates give documents as objects.</summary>
    protected static JsonNode? Document(string? document) => document is null ? null : JsonNode.Parse(document);

    protected static JsonArray TagNodes(IEnumerable<IamTag> tags) =>
        new(tags.Select(tag => (JsonNode?)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value }).ToArray());

    protected static JsonArray Strings(IEnumerable<string> values) => new(values.Select(value => (JsonNode?)value).ToArray());

    private static bool Same(JsonNode? left, JsonNode? right) => (Normalized(left), Normalized(right)) switch
    {
        (null, null) => true,
        (JsonObject a, JsonObject b) => a.Count == b.Count && a.All(pair => b.ContainsKey(pair.Key) && Same(pair.Value, b[pair.Key])),
        (JsonArray a, JsonArray b) => a.Count == b.Count && a.Zip(b).All(pair => Same(pair.First, pair.Second)),
        (JsonValue a, JsonValue b) => Text(a) == Text(b),
        _ => false,
    };

    // A policy document may be given as a string holding JSON.
    private static JsonNode? Normalized(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : node;

    private static string Text(JsonValue value) => value.TryGetValue<string>(out var text) ? text : value.ToJsonString();
}

/// <summary>AWS::IAM::Role: Ref is the role name (RoleName or stack-logicalId-SUFFIX); GetAtt Arn and RoleId.</summary>
internal sealed class IamRoleProvisioner(IamStore store, TimeProvider clock) : IamProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = properties.GetStringOrNull("RoleName") ?? ResourceIdentities.GeneratedName(request);
        var role = Store.CreateRole(
            Account(request),
            properties.GetStringOrNull("Path") ?? "/",
            name,
            PolicyDocument(properties, "AssumeRolePolicyDocument") ?? "",
            properties.GetStringOrNull("Description"),
            MaxSessionDuration(properties),
            Tags(properties),
            Now);
        try
        {
            return Apply(request, properties, Provisioned(role.RoleName, ("Arn", role.Arn), ("RoleId", role.RoleId)));
        }
        catch (AwsServiceException)
        {
            // As CloudFormation's handler does, a role whose policies were refused is not left behind.
            Delete(request, Provisioned(role.RoleName));
            throw;
        }
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Store.UpdateAssumeRolePolicy(Account(request), current.PhysicalId, PolicyDocument(properties, "AssumeRolePolicyDocument") ?? "");
        Store.UpdateRoleSettings(Account(request), current.PhysicalId, properties.GetStringOrNull("Description"), MaxSessionDuration(properties));
        var role = Store.GetRole(Account(request), current.PhysicalId);
        Store.UntagRole(Account(request), role.RoleName, role.Tags.Select(tag => tag.Key).ToList());
        Store.TagRole(Account(request), role.RoleName, Tags(properties));
        return Apply(request, properties, current);
    }

    /// <summary>CloudFormation removes the role's inline and managed policies itself before deleting it.</summary>
    protected override void Delete(ResourceRequest request, ProvisionedResource current) => IgnoringMissing(() =>
    {
        var role = Store.GetRole(Account(request), current.PhysicalId);
        foreach (var policyName in role.InlinePolicies.Keys)
        {
            Store.DeleteRolePolicy(role.AccountId, role.RoleName, policyName);
        }

        foreach (var policyArn in role.AttachedPolicyArns)
        {
            Store.DetachRolePolicy(role.AccountId, role.RoleName, policyArn);
        }

        Store.DeleteRole(role.AccountId, role.RoleName);
    });

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        Store.FindRole($"arn:aws:iam::{Account(request)}:role/{current.PhysicalId}") is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        if (Store.FindRole($"arn:aws:iam::{Account(request)}:role/{current.PhysicalId}") is not { } role)
        {
            return null;
        }

        var result = (JsonObject)request.Properties.DeepClone();
        Reconcile(result, "AssumeRolePolicyDocument", Document(role.AssumeRolePolicyDocument));
        Reconcile(result, "Description", role.Description);
        Reconcile(result, "MaxSessionDuration", role.MaxSessionDuration, defaultValue: 3600);
        Reconcile(result, "Path", role.Path, defaultValue: "/");
        if (result["Policies"] is JsonArray templatePolicies)
        {
            // The template's inline policies as the role has them now: changed documents, and missing ones left out.
            Reconcile(result, "Policies", new JsonArray(templatePolicies
                .Select(policy => policy?["PolicyName"]?.GetValue<string>())
                .Where(name => name is not null && role.InlinePolicies.ContainsKey(name))
                .Select(name => (JsonNode?)new JsonObject { ["PolicyDocument"] = Document(role.InlinePolicies[name!]), ["PolicyName"] = name })
                .ToArray()));
        }

        if (result["ManagedPolicyArns"] is JsonArray templateArns)
        {
            Reconcile(result, "ManagedPolicyArns", Strings(templateArns.Select(arn => arn!.GetValue<string>()).Where(role.AttachedPolicyArns.Contains)));
        }

        if (result.ContainsKey("Tags") || role.Tags.Count > 0)
        {
            Reconcile(result, "Tags", TagNodes(role.Tags));
        }

        return result;
    }

    /// <summary>Puts the template's inline policies and attaches its managed ones; removes those a former version applied.</summary>
    private ProvisionedResource Apply(ResourceRequest request, JsonElement properties, ProvisionedResource provisioned)
    {
        var account = Account(request);
        var roleName = provisioned.PhysicalId;
        var policies = properties.GetArrayOrEmpty("Policies")
            .Select(policy => (Name: policy.GetStringOrNull("PolicyName") ?? "", Document: PolicyDocument(policy, "PolicyDocument") ?? ""))
            .ToList();
        var managedArns = properties.GetStringsOrEmpty("ManagedPolicyArns");
        foreach (var stale in Applied(provisioned, "Policies").Except(policies.Select(policy => policy.Name)))
        {
            IgnoringMissing(() => Store.DeleteRolePolicy(account, roleName, stale));
        }

        foreach (var stale in Applied(provisioned, "ManagedPolicyArns").Except(managedArns))
        {
            IgnoringMissing(() => Store.DetachRolePolicy(account, roleName, stale));
        }

        foreach (var (name, document) in policies)
        {
            Store.PutRolePolicy(account, roleName, name, document);
        }

        foreach (var arn in managedArns)
        {
            Store.AttachRolePolicy(account, roleName, arn);
        }

        return WithApplied(provisioned, ("Policies", policies.Select(policy => policy.Name)), ("ManagedPolicyArns", managedArns));
    }

    private static int MaxSessionDuration(JsonElement properties) =>
        properties.TryGetProperty("MaxSessionDuration", out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString() ?? "", CultureInfo.InvariantCulture)
            : 3600;
}

/// <summary>AWS::IAM::Policy: an inline policy put on each of its Roles. Ref is a generated id; GetAtt Id.</summary>
internal sealed class IamPolicyProvisioner(IamStore store, TimeProvider clock) : IamProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var id = ResourceIdentities.GeneratedName(request);
        return Apply(request, properties, Provisioned(id, ("Id", id)));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) =>
        Apply(request, properties, current);

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        var policyName = request.Properties["PolicyName"]?.GetValue<string>() ?? "";
        foreach (var roleName in Applied(current, "Roles"))
        {
            IgnoringMissing(() => Store.DeleteRolePolicy(Account(request), roleName, policyName));
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => ReadActual(request, current) is not null;

    /// <summary>The document as the first of its roles has it; the Roles that still have it. Gone when no role has it.</summary>
    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        var policyName = request.Properties["PolicyName"]?.GetValue<string>() ?? "";
        var holders = Applied(current, "Roles")
            .Select(roleName => Store.FindRole($"arn:aws:iam::{Account(request)}:role/{roleName}"))
            .Where(role => role is not null && role.InlinePolicies.ContainsKey(policyName))
            .ToList();
        if (holders.Count == 0)
        {
            return null;
        }

        var result = (JsonObject)request.Properties.DeepClone();
        Reconcile(result, "PolicyDocument", Document(holders[0]!.InlinePolicies[policyName]));
        if (result["Roles"] is JsonArray)
        {
            Reconcile(result, "Roles", Strings(holders.Select(role => role!.RoleName)));
        }

        return result;
    }

    private ProvisionedResource Apply(ResourceRequest request, JsonElement properties, ProvisionedResource provisioned)
    {
        var policyName = properties.GetStringOrNull("PolicyName") ?? "";
        var document = PolicyDocument(properties, "PolicyDocument") ?? "";
        var roles = properties.GetStringsOrEmpty("Roles");
        foreach (var stale in Applied(provisioned, "Roles").Except(roles))
        {
            IgnoringMissing(() => Store.DeleteRolePolicy(Account(request), stale, policyName));
        }

        foreach (var roleName in roles)
        {
            Store.PutRolePolicy(Account(request), roleName, policyName, document);
        }

        return WithApplied(provisioned, ("Roles", roles));
    }
}

/// <summary>AWS::IAM::RolePolicy: one inline policy of one role. Ref is a generated id.</summary>
internal sealed class IamRolePolicyProvisioner(IamStore store, TimeProvider clock) : IamProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        Put(request, properties);
        return Provisioned(ResourceIdentities.GeneratedName(request));
    }

    /// <summary>A new document in place (a new role or policy name replaces the resource).</summary>
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Put(request, properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        IgnoringMissing(() => Store.DeleteRolePolicy(Account(request), RoleName(request), PolicyName(request)));

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => ReadActual(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        var role = Store.FindRole($"arn:aws:iam::{Account(request)}:role/{RoleName(request)}");
        if (role?.InlinePolicies.GetValueOrDefault(PolicyName(request)) is not { } document)
        {
            return null;
        }

        var result = (JsonObject)request.Properties.DeepClone();
        Reconcile(result, "PolicyDocument", Document(document));
        return result;
    }

    private void Put(ResourceRequest request, JsonElement properties) =>
        Store.PutRolePolicy(Account(request), properties.GetStringOrNull("RoleName") ?? "", properties.GetStringOrNull("PolicyName") ?? "", PolicyDocument(properties, "PolicyDocument") ?? "");

    private static string RoleName(ResourceRequest request) => request.Properties["RoleName"]?.GetValue<string>() ?? "";

    private static string PolicyName(ResourceRequest request) => request.Properties["PolicyName"]?.GetValue<string>() ?? "";
}

/// <summary>AWS::IAM::ManagedPolicy: a customer managed policy, attached to its Roles. Ref is the policy ARN; GetAtt PolicyArn, PolicyId.</summary>
internal sealed class IamManagedPolicyProvisioner(IamStore store, TimeProvider clock) : IamProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var policy = Store.CreatePolicy(
            Account(request),
            properties.GetStringOrNull("Path") ?? "/",
            properties.GetStringOrNull("ManagedPolicyName") ?? ResourceIdentities.GeneratedName(request),
            PolicyDocument(properties, "PolicyDocument") ?? "",
            properties.GetStringOrNull("Description"),
            [],
            Now);
        AttachTo(request, policy.Arn, properties.GetStringsOrEmpty("Roles"));
        return Provisioned(policy.Arn, ("PolicyArn", policy.Arn), ("PolicyId", policy.PolicyId));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Store.SetPolicyDocument(Account(request), current.PhysicalId, PolicyDocument(properties, "PolicyDocument") ?? "");
        var roles = properties.GetStringsOrEmpty("Roles");
        foreach (var stale in Store.RolesAttachedTo(Account(request), current.PhysicalId).Except(roles, StringComparer.OrdinalIgnoreCase))
        {
            Store.DetachRolePolicy(Account(request), stale, current.PhysicalId);
        }

        AttachTo(request, current.PhysicalId, roles);
        return current;
    }

    /// <summary>CloudFormation detaches the policy from every entity before deleting it.</summary>
    protected override void Delete(ResourceRequest request, ProvisionedResource current) => IgnoringMissing(() =>
    {
        foreach (var roleName in Store.RolesAttachedTo(Account(request), current.PhysicalId))
        {
            Store.DetachRolePolicy(Account(request), roleName, current.PhysicalId);
        }

        Store.DeletePolicy(Account(request), current.PhysicalId);
    });

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => ReadActual(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        IamManagedPolicy policy;
        try
        {
            policy = Store.GetPolicy(Account(request), current.PhysicalId).Policy;
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchEntity")
        {
            return null;
        }

        var result = (JsonObject)request.Properties.DeepClone();
        Reconcile(result, "PolicyDocument", Document(policy.Document));
        Reconcile(result, "Description", policy.Description);
        if (result.ContainsKey("Roles") || Store.RolesAttachedTo(Account(request), policy.Arn).Count > 0)
        {
            Reconcile(result, "Roles", Strings(Store.RolesAttachedTo(Account(request), policy.Arn)));
        }

        return result;
    }

    private void AttachTo(ResourceRequest request, string policyArn, IReadOnlyList<string> roles)
    {
        foreach (var roleName in roles)
        {
            Store.AttachRolePolicy(Account(request), roleName, policyArn);
        }
    }
}

/// <summary>AWS::IAM::InstanceProfile: Ref is the profile name (InstanceProfileName or generated); GetAtt Arn.</summary>
internal sealed class IamInstanceProfileProvisioner(IamStore store, TimeProvider clock) : IamProvisioner(store, clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var profile = Store.CreateInstanceProfile(
            Account(request),
            properties.GetStringOrNull("Path") ?? "/",
            properties.GetStringOrNull("InstanceProfileName") ?? ResourceIdentities.GeneratedName(request),
            [],
            Now);
        try
        {
            SetRoles(request, profile.InstanceProfileName, properties.GetStringsOrEmpty("Roles"));
        }
        catch (AwsServiceException)
        {
            // A profile whose role was refused is not left behind: the stack's rollback could not delete it, and the
            // next create of the same name would fail "already exists".
            Store.DeleteInstanceProfile(Account(request), profile.InstanceProfileName);
            throw;
        }

        return Provisioned(profile.InstanceProfileName, ("Arn", profile.Arn));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        SetRoles(request, current.PhysicalId, properties.GetStringsOrEmpty("Roles"));
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => IgnoringMissing(() =>
    {
        SetRoles(request, current.PhysicalId, []);
        Store.DeleteInstanceProfile(Account(request), current.PhysicalId);
    });

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => ReadActual(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        IReadOnlyList<IamRole> roles;
        try
        {
            roles = Store.GetInstanceProfile(Account(request), current.PhysicalId).Roles;
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchEntity")
        {
            return null;
        }

        var result = (JsonObject)request.Properties.DeepClone();
        Reconcile(result, "Roles", Strings(roles.Select(role => role.RoleName)));
        return result;
    }

    private void SetRoles(ResourceRequest request, string profileName, IReadOnlyList<string> roles)
    {
        var current = Store.GetInstanceProfile(Account(request), profileName).Profile.RoleNames;
        foreach (var stale in current.Except(roles, StringComparer.OrdinalIgnoreCase))
        {
            Store.RemoveRoleFromInstanceProfile(Account(request), profileName, stale);
        }

        foreach (var roleName in roles.Except(current, StringComparer.OrdinalIgnoreCase))
        {
            Store.AddRoleToInstanceProfile(Account(request), profileName, roleName);
        }
    }
}
