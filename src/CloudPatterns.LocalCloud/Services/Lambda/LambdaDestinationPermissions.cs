using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// Lambda's check, when a destination is configured (PutFunctionEventInvokeConfig, UpdateFunctionEventInvokeConfig,
/// AWS::Lambda::EventInvokeConfig), that the function's execution role may send to it: sqs:SendMessage to a queue,
/// sns:Publish to a topic, lambda:InvokeFunction to a function, events:PutEvents to a bus. The role's session is
/// weighed by LocalCloud's policy evaluator as a request of its own would be (its identity policies and the SCPs
/// above its account; <see cref="PolicySimulator"/>); a refusal is
/// InvalidParameterValueException in AWS's words (docs/localcloud-lambda.md, "Asynchronous invocation settings").
/// </summary>
internal sealed class LambdaDestinationPermissions(LocalCloudState state)
{
    /// <summary>Refuses, before any change, a destination the function's execution role may not send to.</summary>
    public void Require(LambdaFunction function, LambdaEventInvokeConfig.Requested requested)
    {
        var role = state.Iam.FindRole(function.Role);
        foreach (var destination in new[] { requested.OnSuccess, requested.OnFailure })
        {
            if (destination is null || Action(destination) is not { } action)
            {
                continue;
            }

            bool allowed = role is not null && new PolicySimulator(state)
                .Simulate(CallerIdentity.ForRoleSession(role, function.Name), withPrincipalPolicies: true, [action], [destination], new SimulationInput([], null, []))
                .All(result => result.Decision.Allowed);
            if (!allowed)
            {
                throw LambdaArns.InvalidParameter($"The function's execution role does not have permissions to call {action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..]} on {destination}");
            }
        }
    }

    private static string? Action(string destination) => LambdaEventInvokeConfig.KindOf(destination) switch
    {
        DestinationKind.Queue => "sqs:SendMessage",
        DestinationKind.Topic => "sns:Publish",
        DestinationKind.Function => "lambda:InvokeFunction",
        DestinationKind.EventBus => "events:PutEvents",
        _ => null,
    };
}
