using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// Organizations' policy operations for SERVICE_CONTROL_POLICY and BACKUP_POLICY (management account only, as in AWS),
/// and DescribeEffectivePolicy, which any account may call for itself.
/// </summary>
internal sealed partial class OrganizationsService
{
    private void AddPolicyOperations()
    {
        AddOperation("CreatePolicy", mutating: true, ManagementOnly(input => new JsonObject
        {
            ["Policy"] = PolicyJson(policies.Create(
                RequiredString(input, "Name", PolicyNamePattern()),
                RequiredString(input, "Description", DescriptionPattern()),
                RequiredString(input, "Type", PolicyTypePattern(), "INVALID_ENUM_POLICY_TYPE"),
                RequiredString(input, "Content", ContentPattern()))),
        }));
        AddOperation("DescribePolicy", mutating: false, ManagementOnly(input => new JsonObject { ["Policy"] = PolicyJson(policies.Get(PolicyId(input))) }));
        AddOperation("UpdatePolicy", mutating: true, ManagementOnly(input => new JsonObject
        {
            ["Policy"] = PolicyJson(policies.Update(PolicyId(input), input.GetStringOrNull("Name"), input.GetStringOrNull("Description"), input.GetStringOrNull("Content"))),
        }));
        AddOperation("DeletePolicy", mutating: true, ManagementOnly(input => Empty(() => policies.Delete(PolicyId(input)))));
        AddOperation("AttachPolicy", mutating: true, ManagementOnly(input => Empty(() => policies.Attach(PolicyId(input), TargetId(input)))));
        AddOperation("DetachPolicy", mutating: true, ManagementOnly(input => Empty(() => policies.Detach(PolicyId(input), TargetId(input)))));
        AddOperation("ListPolicies", mutating: false, ManagementOnly(input =>
            Page("ListPolicies", "Policies", input, policies.List(RequiredString(input, "Filter", PolicyTypePattern(), "INVALID_ENUM_POLICY_TYPE")), PolicySummary)));
        AddOperation("ListPoliciesForTarget", mutating: false, ManagementOnly(input =>
            Page("ListPoliciesForTarget", "Policies", input, policies.ListForTarget(TargetId(input), RequiredString(input, "Filter", PolicyTypePattern(), "INVALID_ENUM_POLICY_TYPE")), PolicySummary)));
        AddOperation("ListTargetsForPolicy", mutating: false, ManagementOnly(input =>
            Page("ListTargetsForPolicy", "Targets", input, policies.TargetsOf(PolicyId(input)), TargetJson)));
        AddOperation("EnablePolicyType", mutating: true, ManagementOnly(input => SetPolicyType(input, enabled: true)));
        AddOperation("DisablePolicyType", mutating: true, ManagementOnly(input => SetPolicyType(input, enabled: false)));
        AddOperation("DescribeEffectivePolicy", mutating: false, DescribeEffectivePolicy);
    }

    // docs/localcloud-backup-policies.md: any account may read its own effective policy; the management account may
    // read any account's; a root or OU is not a target; SCPs have no effective policy.
    private JsonObject DescribeEffectivePolicy(AwsRequest request, JsonElement input)
    {
        var type = RequiredString(input, "PolicyType", EffectivePolicyTypePattern(), "INVALID_ENUM_POLICY_TYPE");
        OrganizationPolicyStore.RequireSupported(type);
        var targetId = input.GetStringOrNull("TargetId") ?? request.AccountId;
        if (!ResourceIdPattern().IsMatch(targetId))
        {
            throw InvalidInput("INVALID_PATTERN_TARGET_ID", "You provided a value that isn't valid for TargetId.");
        }

        if (tree.IsParent(targetId))
        {
            throw InvalidInput("TARGET_NOT_SUPPORTED", "You can't specify an organization root or organizational unit (OU) as the target; specify an account.");
        }

        if (organization.FindAccount(targetId) is null)
        {
            throw Error("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.");
        }

        if (targetId != request.AccountId && request.AccountId != organization.ManagementAccountId)
        {
            throw Error("AccessDeniedException", "You don't have permissions to access this resource.");
        }

        var effective = policies.EffectivePolicy(targetId, type)
            ?? throw Error("EffectivePolicyNotFoundException", policies.IsEnabled(type)
                ? $"Account {targetId} has no effective policy of type {type}: no policy of this type is attached to the account or any OU above it."
                : $"The {type} policy type is not enabled in the organization's root, so no account has an effective policy of this type.");
        return new JsonObject
        {
            ["EffectivePolicy"] = new JsonObject
            {
                ["PolicyContent"] = effective.Content.ToJsonString(),
                ["LastUpdatedTimestamp"] = ResponseBodies.EpochSeconds(effective.LastUpdated),
                ["TargetId"] = targetId,
                ["PolicyType"] = type,
            },
        };
    }

    private JsonObject SetPolicyType(JsonElement input, bool enabled)
    {
        var rootId = RequiredString(input, "RootId", RootIdPattern());
        if (rootId != organization.RootId)
        {
            throw Error("RootNotFoundException", "We can't find a root with the RootId that you specified.");
        }

        policies.SetEnabled(RequiredString(input, "PolicyType", PolicyTypePattern(), "INVALID_ENUM_POLICY_TYPE"), enabled);
        return new JsonObject { ["Root"] = Root() };
    }

    private static JsonObject Empty(Action change)
    {
        change();
        return [];
    }

    private static string PolicyId(JsonElement input) => RequiredString(input, "PolicyId", PolicyIdPattern());

    private string TargetId(JsonElement input)
    {
        var targetId = RequiredString(input, "TargetId", ResourceIdPattern());
        return policies.IsTarget(targetId)
            ? targetId
            : throw Error("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.");
    }

    private static JsonObject PolicySummary(OrganizationPolicy policy) => new()
    {
        ["Id"] = policy.Id,
        ["Arn"] = policy.Arn,
        ["Name"] = policy.Name,
        ["Description"] = policy.Description,
        ["Type"] = policy.Type,
        ["AwsManaged"] = policy.AwsManaged,
    };

    private static JsonObject PolicyJson(OrganizationPolicy policy) => new()
    {
        ["PolicySummary"] = PolicySummary(policy),
        ["Content"] = policy.Content,
    };

    private JsonObject TargetJson(string targetId)
    {
        var (type, name, arn) = targetId == organization.RootId
            ? ("ROOT", "Root", organization.RootArn)
            : organization.FindAccount(targetId) is { } account
                ? ("ACCOUNT", account.Name, AccountArn(account.Id))
                : ("ORGANIZATIONAL_UNIT", organization.OrganizationalUnits.First(unit => unit.Id == targetId).Name, $"arn:aws:organizations::{organization.ManagementAccountId}:ou/{organization.Id}/{targetId}");
        return new JsonObject { ["TargetId"] = targetId, ["Arn"] = arn, ["Name"] = name, ["Type"] = type };
    }

    // Patterns from the Organizations model (botocore organizations/2016-11-28).
    [GeneratedRegex(@"^p-[0-9a-zA-Z_]{8,128}$")]
    private static partial Regex PolicyIdPattern();

    [GeneratedRegex(@"^[\s\S]{1,128}$")]
    private static partial Regex PolicyNamePattern();

    [GeneratedRegex(@"^[\s\S]{0,512}$")]
    private static partial Regex DescriptionPattern();

    [GeneratedRegex(@"^[\s\S]{1,1000000}$")]
    private static partial Regex ContentPattern();

    [GeneratedRegex(@"^(SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY|TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY)$")]
    private static partial Regex PolicyTypePattern();

    [GeneratedRegex(@"^(TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY)$")]
    private static partial Regex EffectivePolicyTypePattern();

    [GeneratedRegex(@"^r-[0-9a-z]{4,32}$")]
    private static partial Regex RootIdPattern();
}
