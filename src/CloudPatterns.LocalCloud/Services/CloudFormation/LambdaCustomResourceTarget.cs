using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Lambda;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// Lambda-backed custom resources and macros (docs/localcloud-cloudformation-custom-resources.md): CloudFormation
/// invokes the ServiceToken's function asynchronously with the request (the function answers by a PUT to the
/// ResponseURL), and a macro's function synchronously. The function must be in the stack's region; one in another
/// account must allow the stack's account in its resource-based policy.
/// </summary>
internal sealed class LambdaCustomResourceTarget(LambdaStore store, LambdaInvoker invoker, string organizationId) : ICustomResourceTarget
{
    public Task DeliverAsync(StackIdentity stack, string serviceToken, JsonObject request, CancellationToken cancellationToken)
    {
        var function = Function(stack, serviceToken, ResourceFailed);
        invoker.Enqueue(function, System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs a macro's function with the macro event and returns its response object; the failure, worded as
    /// CloudFormation words a macro's, when the function cannot be invoked or does not answer with JSON.
    /// </summary>
    public async Task<JsonObject> InvokeMacroAsync(StackIdentity stack, string macroName, string functionName, JsonObject macroEvent)
    {
        var arn = functionName.StartsWith("arn:", StringComparison.Ordinal) ? functionName : LambdaArns.Function(stack.AccountId, stack.Region, functionName);
        var failed = (string detail) => CloudFormationException.Validation($"Transform {stack.AccountId}::{macroName} failed with: {detail}");
        var function = Function(stack, arn, failed);
        InvocationResult result;
        try
        {
            result = await invoker.InvokeAsync(function, System.Text.Encoding.UTF8.GetBytes(macroEvent.ToJsonString()));
        }
        catch (Protocols.AwsServiceException error)
        {
            throw failed($"Unable to invoke the macro's function {function.Arn}: {error.Message}");
        }
        if (result.FunctionError is not null)
        {
            throw failed($"The macro's function {function.Arn} failed: {ErrorMessage(result.Payload)}");
        }
        try
        {
            return JsonNode.Parse(result.Payload) as JsonObject ?? throw failed("Failed to execute transform: the macro's function did not return a JSON object.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw failed("Failed to execute transform: the macro's function did not return a JSON object.");
        }
    }

    private LambdaFunction Function(StackIdentity stack, string serviceToken, Func<string, Exception> fail)
    {
        var function = store.FindByArn(serviceToken)
            ?? throw fail($"Unable to invoke the Lambda function {serviceToken}: Function not found: {serviceToken}");
        if (function.Region != stack.Region)
        {
            throw fail($"Invalid service token {serviceToken}: the Lambda function must be in the stack's region, {stack.Region}.");
        }
        if (function.AccountId != stack.AccountId && !AllowsAccount(function, stack.AccountId))
        {
            throw fail($"User: arn:aws:iam::{stack.AccountId}:root is not authorized to perform: lambda:InvokeFunction on resource: {function.Arn} because no resource-based policy allows the lambda:InvokeFunction action");
        }
        return function;
    }

    private bool AllowsAccount(LambdaFunction function, string accountId) =>
        LambdaPolicy.Document(function) is { } document && PolicyEvaluator.Evaluate(
            new PolicySet { Resource = new NamedPolicy("resource-based policy", PolicyDocument.Cached(document)), ResourcePolicyRequired = true },
            PrincipalKeys.Context(new CallerIdentity(accountId, $"arn:aws:iam::{accountId}:root", accountId, RoleArn: null), "lambda:InvokeFunction", function.Arn, organizationId)).Allowed;

    private static ResourceFailedException ResourceFailed(string message) => new(message);

    private static string ErrorMessage(byte[] payload)
    {
        try
        {
            return JsonNode.Parse(payload)?["errorMessage"]?.ToString() ?? "no error message";
        }
        catch (System.Text.Json.JsonException)
        {
            return "no error message";
        }
    }
}
