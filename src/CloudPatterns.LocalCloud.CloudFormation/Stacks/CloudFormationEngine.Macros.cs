using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>
/// The engine's side of macros: finding the AWS::CloudFormation::Macro a stack of the account and region defines,
/// and running its function through <see cref="MacroInvoker"/> (docs/localcloud-cloudformation-transforms.md).
/// </summary>
public sealed partial class CloudFormationEngine
{
    /// <summary>
    /// Runs a macro's Lambda function (stack, macro name, FunctionName, macro event) and returns its response;
    /// none means a defined macro is refused as a LocalCloud limit.
    /// </summary>
    public Func<StackIdentity, string, string, JsonObject, Task<JsonObject>>? MacroInvoker { get; set; }

    /// <summary>The macro's response, or null when no stack of the account and region defines the macro (or none can run it).</summary>
    private JsonObject? RunMacro(StackIdentity identity, string name, JsonObject macroEvent)
    {
        if (MacroInvoker is not { } invoker || MacroFunction(identity, name) is not { } functionName)
        {
            return null;
        }
        // Transforms run while the template is parsed, which is synchronous; the macro's function answers in its timeout.
        return invoker(identity, name, functionName, macroEvent).GetAwaiter().GetResult();
    }

    /// <summary>The FunctionName of the created macro of that name in the account and region, or null.</summary>
    private string? MacroFunction(StackIdentity identity, string name)
    {
        foreach (var stack in ListStacks(identity.AccountId, identity.Region).Where(stack => !stack.IsDeleted))
        {
            lock (stack.Gate)
            {
                var macro = stack.ResourceMap.Values.FirstOrDefault(resource => resource.ResourceType == "AWS::CloudFormation::Macro"
                    && resource.Provisioned is not null && TemplateEvaluator.AsString(resource.Properties?["Name"]) == name);
                if (macro is not null)
                {
                    return TemplateEvaluator.AsString(macro.Properties?["FunctionName"]);
                }
            }
        }
        return null;
    }
}
