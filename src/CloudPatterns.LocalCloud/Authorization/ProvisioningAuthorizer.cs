using System.Text.Json.Nodes;
using CloudPatterns.Authorization;
using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>
/// Authorizes the calls CloudFormation makes for a stack's resources as AWS does (docs/localcloud-authorization.md,
/// "CloudFormation provisioning"): as the stack's service role (session AWSCloudFormation) or, without one, as the
/// caller through a forward access session (aws:ViaAWSService, aws:CalledVia cloudformation.amazonaws.com). Each
/// decision goes to the request log under the principal; a denial fails the resource in the registry handlers' words.
/// </summary>
internal sealed class ProvisioningAuthorizer(LocalCloudState state) : IProvisioningAuthorizer
{
    /// <summary>The session name CloudFormation gives a stack's service role.</summary>
    public const string ServiceRoleSession = "AWSCloudFormation";

    private const string CloudFormationService = "cloudformation.amazonaws.com";

    private readonly RequestAuthorizer authorizer = new(state);

    public void Authorize(StackPrincipal principal, ResourceRequest request, ProvisioningStep step, ProvisionedResource? current)
    {
        var row = ResourceTypeActions.For(request.ResourceType);
        var calls = step switch
        {
            ProvisioningStep.Create => row.Create,
            ProvisioningStep.Update => row.Update,
            _ => row.Delete,
        };
        if (calls.Count == 0 || Identity(principal, request.Stack.AccountId) is not { } identity)
        {
            return;
        }

        var region = request.Stack.Region;
        var calledVia = principal.RoleArn is null ? CloudFormationService : null;
        // A handler's KMS calls on a key its resource is given (a vault's EncryptionKeyArn) go through the resource's service.
        var kmsViaService = row.Service == "Kms" ? null : row.Service.ToLowerInvariant();
        foreach (var call in calls)
        {
            var resources = call.OnProperty is { } property
                ? PropertyValues(request.Properties, property).Select(value => Qualify(call.Action, value, request)).ToList()
                : [ResourceArn(row, request, step, current)];
            foreach (var resource in resources)
            {
                var outcome = authorizer.AuthorizeOnBehalf(identity, call.Action, resource, region, calledVia, call.PassedTo, kmsViaService);
                Log(identity, request, step, outcome);
                if (!outcome.Decision.Allowed)
                {
                    throw Refusal(row, identity, call.Action, resource, outcome.Decision);
                }
            }
        }
    }

    /// <summary>
    /// The strings at a dotted property path, through lists of objects on the way (Targets.RoleArn: each target's role)
    /// and each string of a list at its end; empty when the template sets none.
    /// </summary>
    private static IReadOnlyList<string> PropertyValues(JsonObject properties, string path)
    {
        IEnumerable<JsonNode?> nodes = [properties];
        foreach (var name in path.Split('.'))
        {
            nodes = nodes.SelectMany(Items).Select(node => node is JsonObject obj ? obj[name] : null);
        }

        return nodes.SelectMany(Items)
            .Select(item => item is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null)
            .OfType<string>()
            .ToList();
    }

    /// <summary>A list's items, or the node itself (never copied: a node keeps its parent).</summary>
    private static IEnumerable<JsonNode?> Items(JsonNode? node) => node is JsonArray list ? list : Enumerable.Repeat(node, 1);

    /// <summary>The service role's CloudFormation session, or the caller; null for LocalCloud's own stacks.</summary>
    private CallerIdentity? Identity(StackPrincipal principal, string accountId)
    {
        if (principal.RoleArn is not { } roleArn)
        {
            return principal.Caller as CallerIdentity;
        }

        // A role deleted since the stack took it: CloudFormation can no longer assume it.
        var role = state.Iam.FindRole(roleArn) ?? throw new ResourceFailedException(InvalidRoleMessage(roleArn));
        return new CallerIdentity(accountId, $"arn:aws:sts::{role.AccountId}:assumed-role/{role.RoleName}/{ServiceRoleSession}", $"{role.RoleId}:{ServiceRoleSession}", role.Arn);
    }

    /// <summary>CloudFormation's refusal of a RoleARN it cannot assume (ValidationError at the request, or the resource's reason).</summary>
    public static string InvalidRoleMessage(string roleArn) => $"Role {roleArn} is invalid or cannot be assumed";

    /// <summary>The resource a handler acts on: the name the template gives or CloudFormation generates, or the physical id.</summary>
    private static string ResourceArn(ResourceTypeRow row, ResourceRequest request, ProvisioningStep step, ProvisionedResource? current)
    {
        if (row.Arn == "*")
        {
            return "*";
        }

        // A type whose handlers act on another resource (a scaling policy on its group, a route on its table) is
        // authorized on that resource's pattern, whatever its own physical id.
        var ownResource = row.Arn.Contains("{Name}", StringComparison.Ordinal);
        string name;
        if (current is not null && ownResource)
        {
            if (current.Attributes.TryGetValue("Arn", out var arn) && arn is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith("arn:", StringComparison.Ordinal))
            {
                return text;
            }

            if (current.PhysicalId.StartsWith("arn:", StringComparison.Ordinal))
            {
                return current.PhysicalId;
            }

            name = current.PhysicalId;
        }
        else
        {
            // Resources whose id the service makes up (vpc-..., key ids) are created on the type's every resource.
            name = row.NameProperty is null ? "*"
                : PropertyValues(request.Properties, row.NameProperty) is [var given, ..] ? given
                : ResourceIdentities.GeneratedName(request);
        }

        var path = PropertyValues(request.Properties, "Path") is [var iamPath, ..] ? iamPath.TrimStart('/') : "";
        return row.Arn.Replace("{Region}", request.Stack.Region).Replace("{Account}", request.Stack.AccountId)
            .Replace("{Path}", step == ProvisioningStep.Create ? path : "")
            .Replace("{LoadBalancerKind}", ResourceIdentities.LoadBalancerKind(request))
            .Replace("{Name}", row.Type == "AWS::SSM::Parameter" ? name.TrimStart('/') : name);
    }

    /// <summary>A property's value as the resource of a call: an ARN as it is, a name as the ARN it names.</summary>
    private static string Qualify(string action, string value, ResourceRequest request)
    {
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return value;
        }

        var (region, account) = (request.Stack.Region, request.Stack.AccountId);
        return action[..action.IndexOf(':', StringComparison.Ordinal)] switch
        {
            "iam" => $"arn:aws:iam::{account}:role/{value}",
            "s3" => $"arn:aws:s3:::{value}",
            "lambda" => $"arn:aws:lambda:{region}:{account}:function:{value}",
            _ => value,
        };
    }

    /// <summary>
    /// The resource's failure reason as registry handlers word an SDK error: the service's own refusal, then
    /// "(Service: S3, Status Code: 403, Request ID: …)", the RequestToken and HandlerErrorCode AccessDenied.
    /// </summary>
    private static ResourceFailedException Refusal(ResourceTypeRow row, CallerIdentity identity, string action, string resource, AuthorizationDecision decision)
    {
        var service = action[..action.IndexOf(':', StringComparison.Ordinal)];
        var error = AccessDeniedErrors.For(service, identity, action, resource, decision);
        return new ResourceFailedException(
            $"Resource handler returned message: \"{error.Message} (Service: {row.Service}, Status Code: {error.StatusCode}, Request ID: {Guid.NewGuid()})\" " +
            $"(RequestToken: {Guid.NewGuid()}, HandlerErrorCode: AccessDenied)");
    }

    private void Log(CallerIdentity identity, ResourceRequest request, ProvisioningStep step, AuthorizationOutcome outcome) =>
        state.RequestLog.Add(new RequestLogEntry(
            outcome.Action![..outcome.Action!.IndexOf(':', StringComparison.Ordinal)],
            $"CloudFormation {step} {request.ResourceType}",
            identity.AccountId,
            identity.Arn,
            request.Stack.Region,
            outcome.Decision.Allowed ? 200 : 403,
            Mutating: false,
            DurationMs: 0,
            state.Clock.GetUtcNow())
        {
            Action = outcome.Action,
            Decision = outcome.Decision.Outcome,
            DecidedBy = outcome.Decision.Describe(),
            Checks = [new AuthorizationCheck(outcome)],
        });
}
