using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// The public applications of the AWS Serverless Application Repository that SAM's <c>AWS::Serverless::Application</c>
/// deploys (docs/localcloud-cloudformation-transforms.md, "AWS::Serverless::Application"). LocalCloud does not
/// emulate the repository's API: an application is published into this catalogue through the admin endpoint
/// <c>PUT /_localcloud/serverlessrepo/applications</c>, as its author would have published and shared it, and every
/// account may deploy it (a public application). SAM asks the repository for a template URL; this catalogue issues
/// one in a bucket of its own, which nested stacks read back here instead of from S3.
/// </summary>
public sealed partial class ServerlessApplicationCatalogue
{
    /// <summary>The bucket of the template URLs the catalogue issues (AWS's is the repository's own change-set bucket).</summary>
    public const string TemplateBucket = "awsserverlessrepo-changesets-localcloud";

    private readonly ConcurrentDictionary<(string ApplicationId, string SemanticVersion), string> _templates = new();

    [GeneratedRegex(@"^arn:aws[a-z-]*:serverlessrepo:[a-z]{2}(-[a-z]+)+-\d:\d{12}:applications/[A-Za-z0-9-]{1,140}$")]
    private static partial Regex ApplicationArn();

    /// <summary>Publishes (or replaces) one version of an application; the refusal names the bad value.</summary>
    public void Publish(string applicationId, string semanticVersion, string templateBody)
    {
        if (!ApplicationArn().IsMatch(applicationId))
        {
            throw new ArgumentException($"applicationId '{applicationId}' is not an application ARN (arn:aws:serverlessrepo:REGION:ACCOUNT:applications/NAME).");
        }
        if (string.IsNullOrWhiteSpace(semanticVersion) || semanticVersion.Length > 64)
        {
            throw new ArgumentException("semanticVersion must be 1 to 64 characters (e.g. 1.0.0).");
        }
        if (string.IsNullOrWhiteSpace(templateBody))
        {
            throw new ArgumentException("templateBody must be the application's template (YAML or JSON).");
        }
        _templates[(applicationId, semanticVersion)] = templateBody;
    }

    /// <summary>The published applications and their versions.</summary>
    public IReadOnlyList<(string ApplicationId, string SemanticVersion)> List() =>
        _templates.Keys.OrderBy(key => key.ApplicationId, StringComparer.Ordinal).ThenBy(key => key.SemanticVersion, StringComparer.Ordinal).ToList();

    /// <summary>The template URL SAM puts in the nested stack, or null when that version is not published.</summary>
    public string? TemplateUrl(string applicationId, string semanticVersion) => _templates.ContainsKey((applicationId, semanticVersion))
        ? $"https://{TemplateBucket}.s3.amazonaws.com/{Uri.EscapeDataString(applicationId)}/{Uri.EscapeDataString(semanticVersion)}/template.yaml"
        : null;

    /// <summary>The template behind a URL this catalogue issued; null for any other URL.</summary>
    public string? Read(string templateUrl)
    {
        var prefix = $"https://{TemplateBucket}.s3.amazonaws.com/";
        if (!templateUrl.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = templateUrl[prefix.Length..].Split('/');
        return parts.Length == 3 && _templates.TryGetValue((Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1])), out var body)
            ? body
            : throw new ResourceFailedException("S3 error: The specified key does not exist.");
    }
}

/// <summary>SAM's AWS::Serverless::Application: a nested stack of the template at Location (an S3 URL or a repository application).</summary>
internal static class ServerlessApplication
{
    /// <param name="values">Resolves Ref and FindInMap in ApplicationId and SemanticVersion, as SAM does before it asks the repository.</param>
    public static void Expand(string logicalId, JsonObject resource, JsonObject properties, ServerlessOutput output, TransformContext context, StaticResolver values)
    {
        var stack = new JsonObject();
        var tags = new JsonObject();
        switch (properties["Location"])
        {
            case null:
                throw ServerlessTransform.Invalid(logicalId, "Resource is missing the required [Location] property.");
            case JsonObject location:
                foreach (var key in new[] { "ApplicationId", "SemanticVersion" })
                {
                    if (!location.ContainsKey(key))
                    {
                        throw ServerlessTransform.Invalid(logicalId, $"Resource is missing the required [{key}] property.");
                    }
                }
                var applicationId = Text(values.TryResolve(location["ApplicationId"]))
                    ?? throw ServerlessTransform.Invalid(logicalId, "Property 'ApplicationId' cannot be resolved. Only FindInMap and Ref intrinsic functions are supported.");
                var semanticVersion = Text(values.TryResolve(location["SemanticVersion"]));
                if (semanticVersion is null && location["SemanticVersion"] is JsonObject)
                {
                    throw ServerlessTransform.Invalid(logicalId, "Property 'SemanticVersion' cannot be resolved. Only FindInMap and Ref intrinsic functions are supported.");
                }
                if (string.IsNullOrEmpty(semanticVersion))
                {
                    throw ServerlessTransform.Invalid(logicalId, "Property 'SemanticVersion' cannot be blank.");
                }
                stack["TemplateURL"] = context.ServerlessApplicationUrl?.Invoke(applicationId, semanticVersion)
                    ?? throw ServerlessTransform.Invalid(logicalId, $"Application with id {applicationId} could not be found.");
                tags["serverlessrepo:applicationId"] = applicationId;
                tags["serverlessrepo:semanticVersion"] = semanticVersion;
                break;
            case var url:
                stack["TemplateURL"] = url.DeepClone();
                break;
        }
        ServerlessTransform.Copy(properties, stack, "Parameters", "NotificationARNs");
        var list = ServerlessTransform.TagList(tags, sam: true);
        foreach (var tag in ServerlessTransform.TagList(properties["Tags"] as JsonObject, sam: false))
        {
            list.Add(tag?.DeepClone());
        }
        stack["Tags"] = list;
        ServerlessTransform.Copy(properties, stack, "TimeoutInMinutes");
        output.Add(logicalId, resource, "AWS::CloudFormation::Stack", stack);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node is JsonValue number ? number.ToJsonString() : null;
}
