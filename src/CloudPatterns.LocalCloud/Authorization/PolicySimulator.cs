using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>One simulated action on one resource: the decision and whether the SCPs above the account allowed it.</summary>
internal sealed record SimulationResult(string Action, string Resource, AuthorizationDecision Decision, bool AllowedByOrganizations);

/// <summary>What a simulation weighs besides the actions and resources: input policies, a resource policy, context keys.</summary>
internal sealed record SimulationInput(
    IReadOnlyList<NamedPolicy> InputPolicies,
    NamedPolicy? ResourcePolicy,
    IReadOnlyList<KeyValuePair<string, string[]>> Context);

/// <summary>
/// IAM's policy simulator over LocalCloud's own evaluator (docs/localcloud-authorization.md, section 8):
/// SimulatePrincipalPolicy weighs the principal's identity policies, the input policies and the SCPs above its account;
/// SimulateCustomPolicy only the input policies. Neither performs the action.
/// </summary>
internal sealed class PolicySimulator(LocalCloudState state)
{
    private readonly RequestAuthorizer authorizer = new(state);

    /// <param name="principal">The simulated principal; for SimulateCustomPolicy, the caller (its own policies are not weighed).</param>
    /// <param name="withPrincipalPolicies">SimulatePrincipalPolicy: the principal's own policies and its SCPs count.</param>
    public IEnumerable<SimulationResult> Simulate(CallerIdentity principal, bool withPrincipalPolicies, IReadOnlyList<string> actions, IReadOnlyList<string> resources, SimulationInput input)
    {
        IReadOnlyList<NamedPolicy> identity = withPrincipalPolicies ? [.. authorizer.IdentityPolicies(principal), .. input.InputPolicies] : input.InputPolicies;
        var serviceControl = withPrincipalPolicies ? state.OrganizationPolicies.ServiceControlLevels(principal.AccountId) : null;
        foreach (var action in actions)
        {
            foreach (var resource in resources)
            {
                var request = PrincipalKeys.Context(principal, action, resource, state.Organization.Id);
                foreach (var (key, values) in input.Context)
                {
                    request.Set(key, values);
                }

                var decision = PolicyEvaluator.Evaluate(new PolicySet { Identity = identity, ServiceControl = serviceControl, Resource = input.ResourcePolicy }, request);
                yield return new SimulationResult(action, resource, decision, decision.Type != PolicyType.ServiceControl);
            }
        }
    }
}
