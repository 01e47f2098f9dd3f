using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// Macros (AWS::CloudFormation::Macro) as CloudFormation runs them (docs/localcloud-cloudformation-transforms.md,
/// "Macros"): the macro's Lambda function gets the macro event (region, accountId, fragment, transformId, params,
/// requestId, templateParameterValues) and answers with requestId, status ("success") and the processed fragment,
/// or an errorMessage.
/// </summary>
internal static class MacroTransform
{
    /// <summary>The fragment the macro returns, in place of <paramref name="fragment"/>.</summary>
    public static JsonNode Run(string name, JsonNode fragment, JsonNode? parameters, TransformContext context, StaticResolver values)
    {
        var transformId = $"{context.Stack.AccountId}::{name}";
        var requestId = Guid.NewGuid().ToString();
        var templateParameterValues = new JsonObject();
        foreach (var (parameter, value) in context.ParameterValues)
        {
            templateParameterValues[parameter] = value.DeepClone();
        }
        var macroEvent = new JsonObject
        {
            ["region"] = context.Stack.Region,
            ["accountId"] = context.Stack.AccountId,
            ["fragment"] = fragment.DeepClone(),
            ["transformId"] = transformId,
            ["params"] = Resolved(parameters, values),
            ["requestId"] = requestId,
            ["templateParameterValues"] = templateParameterValues,
        };
        var response = context.RunMacro?.Invoke(name, macroEvent)
            ?? throw (context.MacroDefined(name)
                ? CloudFormationException.Validation($"Transform {transformId} failed: LocalCloud cannot run this macro's function (no Lambda service).")
                : CloudFormationException.Validation($"No transform named {transformId} found."));
        var status = TemplateEvaluator.AsString(response["status"]);
        if (!string.Equals(status, "success", StringComparison.OrdinalIgnoreCase))
        {
            throw Failed(transformId, TemplateEvaluator.AsString(response["errorMessage"]) ?? "Failed to execute transform.");
        }
        if (TemplateEvaluator.AsString(response["requestId"]) != requestId)
        {
            throw Failed(transformId, $"The macro's response has requestId {TemplateEvaluator.AsString(response["requestId"]) ?? "(none)"}; it must be the request's, {requestId}.");
        }
        return response["fragment"]?.DeepClone() ?? throw Failed(transformId, "The macro's response has no fragment.");
    }

    private static CloudFormationException Failed(string transformId, string detail) =>
        CloudFormationException.Validation($"Transform {transformId} failed with: {detail}");

    /// <summary>The macro's parameters with Ref to template parameters (and other static values) resolved, as CloudFormation passes them.</summary>
    private static JsonObject Resolved(JsonNode? parameters, StaticResolver values)
    {
        var resolved = new JsonObject();
        foreach (var (key, value) in parameters as JsonObject ?? [])
        {
            resolved[key] = (values.TryResolve(value) ?? value)?.DeepClone();
        }
        return resolved;
    }
}
