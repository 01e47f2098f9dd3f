using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Provisioning;

/// <summary>
/// Where a nested stack's TemplateURL is read (LocalCloud's S3). Refuse with <see cref="ResourceFailedException"/>
/// carrying CloudFormation's text ("S3 error: The specified key does not exist."); it becomes the resource's reason.
/// </summary>
public interface ITemplateSource
{
    string Read(StackIdentity stack, string templateUrl);
}

/// <summary>
/// AWS::CloudFormation::Stack: a child stack created, updated and deleted with its parent, as CloudFormation does
/// (docs/localcloud-cloudformation-nested.md). Its physical id is the child's stack ARN; its attributes are the
/// child's outputs as <c>Outputs.Name</c>. The child's own events, status and outputs are the child's stack.
/// </summary>
internal sealed class NestedStackProvisioner(CloudFormationEngine engine) : IResourceProvisioner
{
    public const string ResourceType = "AWS::CloudFormation::Stack";

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        var parent = engine.GetStack(request.Stack.AccountId, request.Stack.Region, request.Stack.StackId);
        var child = engine.CreateStack(request.Stack.AccountId, request.Stack.Region, Input(request, ChildName(parent.StackName, request.LogicalId)) with { Parent = parent });
        await child.Operation;
        if (child.Status == "CREATE_COMPLETE")
        {
            return Provisioned(child);
        }
        var reason = $"Embedded stack {child.StackId} was not successfully created: {child.StatusReason?.TrimEnd()}";
        if (!parent.DisableRollback)
        {
            // The parent's rollback removes what it made; the failed child is part of that (its resource has no id yet).
            await engine.DeleteStack(child.AccountId, child.Region, child.StackId)!.Operation;
        }
        throw new ResourceFailedException(reason);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        var child = engine.GetStack(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        try
        {
            engine.UpdateStack(child.AccountId, child.Region, Input(request, child.StackName));
        }
        catch (CloudFormationException error) when (error.Message == "No updates are to be performed.")
        {
            return Provisioned(child);
        }
        await child.Operation;
        return child.Status == "UPDATE_COMPLETE"
            ? Provisioned(child)
            : throw new ResourceFailedException($"Embedded stack {child.StackId} was not successfully updated. Currently in {child.Status} with reason: {child.StatusReason?.TrimEnd()}");
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        if (engine.DeleteStack(request.Stack.AccountId, request.Stack.Region, current.PhysicalId) is not { } child)
        {
            return;
        }
        await child.Operation;
        if (!child.IsDeleted)
        {
            throw new ResourceFailedException($"Embedded stack {child.StackId} was not successfully deleted: {child.StatusReason?.TrimEnd()}");
        }
    }

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(engine.FindStack(request.Stack.AccountId, request.Stack.Region, current.PhysicalId) is { IsDeleted: false }
            ? (JsonObject?)request.Properties.DeepClone()
            : null);

    /// <summary>CloudFormation's name for a child stack: parent name, logical id and a random upper-case suffix.</summary>
    internal static string ChildName(string parentName, string logicalId)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var suffix = RandomNumberGenerator.GetString(alphabet, 12);
        var prefix = $"{parentName}-{logicalId}";
        // Stack names are at most 128 characters: the suffix (which makes the name unique) is always kept.
        return $"{prefix[..Math.Min(prefix.Length, 128 - suffix.Length - 1)]}-{suffix}";
    }

    private StackInput Input(ResourceRequest request, string stackName)
    {
        var url = TemplateEvaluator.AsString(request.Properties["TemplateURL"])
            ?? throw new ResourceFailedException($"Properties validation failed for resource {request.LogicalId} with message: #: required key [TemplateURL] not found");
        // A Serverless Application Repository application's template (SAM's TemplateURL) comes from the catalogue.
        var body = engine.ServerlessApplications.Read(url)
            ?? (engine.TemplateSource ?? throw new ResourceFailedException("TemplateURL must be an Amazon S3 URL.")).Read(request.Stack, url);
        var parent = engine.GetStack(request.Stack.AccountId, request.Stack.Region, request.Stack.StackId);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Properties["Parameters"] as JsonObject ?? [])
        {
            // A list given to a nested stack's parameter arrives comma-joined, as CloudFormation passes it.
            parameters[name] = value is JsonArray list
                ? string.Join(",", list.Select(TemplateEvaluator.AsString))
                : TemplateEvaluator.AsString(value) ?? "";
        }
        return new StackInput
        {
            StackName = stackName,
            TemplateBody = body,
            Parameters = parameters,
            Capabilities = parent.Capabilities,
            Tags = ChildTags(parent.Tags, request.Properties["Tags"] as JsonArray),
            NotificationArns = (request.Properties["NotificationARNs"] as JsonArray)?.Select(TemplateEvaluator.AsString).OfType<string>().ToList()
                ?? parent.NotificationArns,
            // The root stack decides about rollback: a failed child stops where it is and the parent removes it.
            OnFailure = "DO_NOTHING",
        };
    }

    /// <summary>The parent's tags, then the Stack resource's own Tags (a key given there wins).</summary>
    private static List<KeyValuePair<string, string>> ChildTags(IReadOnlyList<KeyValuePair<string, string>> inherited, JsonArray? own)
    {
        var tags = inherited.ToList();
        foreach (var tag in own ?? [])
        {
            if (TemplateEvaluator.AsString(tag?["Key"]) is { } key)
            {
                tags.RemoveAll(existing => existing.Key == key);
                tags.Add(new(key, TemplateEvaluator.AsString(tag?["Value"]) ?? ""));
            }
        }
        return tags;
    }

    private static ProvisionedResource Provisioned(Stack child) =>
        new(child.StackId, child.Outputs.ToDictionary(output => "Outputs." + output.OutputKey, output => (JsonNode)JsonValue.Create(output.OutputValue), StringComparer.Ordinal));
}
