using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>Helpers for engine tests: one fresh engine per test, templates from the templates folder.</summary>
internal static class EngineFixture
{
    public const string Account = "333333333333";
    public const string Region = "us-east-2";

    public static string TemplatesDirectory => Path.Combine(AppContext.BaseDirectory, "CloudFormation", "templates");

    public static string ReadTemplate(string relativePath) => File.ReadAllText(Path.Combine(TemplatesDirectory, relativePath));

    public static async Task<Stack> CreateAsync(CloudFormationEngine engine, string name, string body,
        IReadOnlyList<string>? capabilities = null, IReadOnlyDictionary<string, string>? parameters = null, string onFailure = "ROLLBACK")
    {
        var stack = engine.CreateStack(Account, Region, new StackInput
        {
            StackName = name,
            TemplateBody = body,
            Capabilities = capabilities ?? [],
            Parameters = parameters ?? new Dictionary<string, string>(),
            OnFailure = onFailure,
        });
        await stack.Operation;
        return stack;
    }

    public static async Task<Stack> UpdateAsync(CloudFormationEngine engine, string name, string body, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var stack = engine.UpdateStack(Account, Region, new StackInput
        {
            StackName = name,
            TemplateBody = body,
            Parameters = parameters ?? new Dictionary<string, string>(),
        });
        await stack.Operation;
        return stack;
    }

    public static async Task<Stack> DeleteAsync(CloudFormationEngine engine, string name)
    {
        var stack = engine.DeleteStack(Account, Region, name);
        Assert.NotNull(stack);
        await stack.Operation;
        return stack;
    }

    public static string ResourceFailure(Stack stack, string logicalId) =>
        stack.Events.First(stackEvent => stackEvent.LogicalResourceId == logicalId && stackEvent.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal))
            .ResourceStatusReason!;
}
