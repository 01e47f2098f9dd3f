using System.Xml.Linq;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// SimulatePrincipalPolicy and SimulateCustomPolicy over LocalCloud's evaluator (docs/localcloud-authorization.md,
/// section 8), in the shapes of the botocore iam model: EvaluationResults with EvalDecision allowed, explicitDeny or
/// implicitDeny, the MatchedStatements that decided, and OrganizationsDecisionDetail.
/// </summary>
internal sealed partial class IamService
{
    private IEnumerable<XElement> SimulatePrincipalPolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var source = parameters.Get("PolicySourceArn");
        ModelConstraints.CheckString(violations, "policySourceArn", source, 20, 2048, null);
        var (actions, resources, input) = SimulationParameters(violations, parameters);
        ModelConstraints.ThrowIfAny(violations);
        // LocalCloud's principals with policies of their own are roles (the seed's users hold AdministratorAccess).
        var role = source!.Contains(":role/", StringComparison.Ordinal) ? store.FindRole(source) : null;
        if (role is null)
        {
            throw new AwsServiceException(404, "NoSuchEntity", $"The {(source.Contains(":user/", StringComparison.Ordinal) ? "user" : "role")} with name {source[(source.LastIndexOf('/') + 1)..]} cannot be found.");
        }

        var principal = new CallerIdentity(role.AccountId, role.Arn, role.RoleId, role.Arn);
        return Results(simulator.Simulate(principal, withPrincipalPolicies: true, actions, resources, input));
    }

    private IEnumerable<XElement> SimulateCustomPolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var (actions, resources, input) = SimulationParameters(violations, parameters);
        if (input.InputPolicies.Count == 0)
        {
            violations.Add("Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
        }

        ModelConstraints.ThrowIfAny(violations);
        return Results(simulator.Simulate(request.Caller, withPrincipalPolicies: false, actions, resources, input));
    }

    private static (IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, SimulationInput Input) SimulationParameters(List<string> violations, QueryParameters parameters)
    {
        var actions = parameters.GetList("ActionNames");
        if (actions.Count == 0)
        {
            violations.Add("Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
        }

        var resources = parameters.GetList("ResourceArns") is { Count: > 0 } arns ? arns : ["*"];
        var policies = parameters.GetList("PolicyInputList").Select((document, index) => Policy($"PolicyInputList.{index + 1}", document)).ToList();
        var resourcePolicy = parameters.Get("ResourcePolicy") is { } resourceDocument ? Policy("ResourcePolicy", resourceDocument) : null;
        var context = new List<KeyValuePair<string, string[]>>();
        for (var index = 1; parameters.Get($"ContextEntries.member.{index}.ContextKeyName") is { } key; index++)
        {
            context.Add(KeyValuePair.Create(key, parameters.GetList($"ContextEntries.member.{index}.ContextKeyValues").ToArray()));
        }

        return (actions, resources, new SimulationInput(policies, resourcePolicy, context));
    }

    /// <summary>An input policy; one that does not parse is IAM's InvalidInput, naming it.</summary>
    private static NamedPolicy Policy(string id, string document)
    {
        try
        {
            return new NamedPolicy(id, Identity.PolicyDocument.Cached(document));
        }
        catch (FormatException error)
        {
            throw new AwsServiceException(400, "InvalidInput", $"{id} is not a valid policy document: {error.Message}");
        }
    }

    private IEnumerable<XElement> Results(IEnumerable<SimulationResult> results) =>
    [
        Element("EvaluationResults", results.Select(result => Element("member", new object?[]
        {
            Element("EvalActionName", result.Action),
            Element("EvalResourceName", result.Resource),
            Element("EvalDecision", result.Decision.Allowed ? "allowed" : result.Decision.ExplicitDeny ? "explicitDeny" : "implicitDeny"),
            Element("MatchedStatements", MatchedStatement(result.Decision) is { } matched
                ? Element("member", new object[] { Element("SourcePolicyId", matched.Id), Element("SourcePolicyType", matched.Type) })
                : null),
            Element("MissingContextValues", null),
            Element("OrganizationsDecisionDetail", Element("AllowedByOrganizations", result.AllowedByOrganizations ? "true" : "false")),
        }))),
        Element("IsTruncated", "false"),
    ];

    /// <summary>The statement that decided, as the simulator names its policy: an input's position, a role's inline policy name, a managed policy's name.</summary>
    private static (string Id, string Type)? MatchedStatement(AuthorizationDecision decision) => decision.PolicyName switch
    {
        null => null,
        _ when decision.Type == PolicyType.ServiceControl => null,
        "ResourcePolicy" => ("ResourcePolicy", "resource"),
        var input when input.StartsWith("PolicyInputList.", StringComparison.Ordinal) => (input, "none"),
        var managed when managed.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal) => (managed[(managed.LastIndexOf('/') + 1)..], "aws-managed"),
        var customer when customer.Contains(":policy/", StringComparison.Ordinal) => (customer[(customer.LastIndexOf('/') + 1)..], "user-managed"),
        var inline => (inline[(inline.LastIndexOf('/') + 1)..], "role"),
    };
}
