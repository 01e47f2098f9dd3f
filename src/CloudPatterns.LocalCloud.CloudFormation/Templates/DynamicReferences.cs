using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>Secrets Manager of the stack's account and region, as LocalCloud's service provides it.</summary>
public interface ISecretStore
{
    /// <summary>
    /// The SecretString of a secret (name or ARN) at a version stage (AWSCURRENT when null) or version id; null when
    /// the secret, stage or version does not exist.
    /// </summary>
    string? SecretString(string accountId, string region, string secretId, string? versionStage, string? versionId);
}

/// <summary>
/// Dynamic references in resource properties: <c>{{resolve:ssm:name[:version]}}</c>,
/// <c>{{resolve:ssm-secure:name[:version]}}</c> (only in the properties CloudFormation lists) and
/// <c>{{resolve:secretsmanager:id[:SecretString[:json-key[:stage[:version-id]]]]}}</c>. The stack keeps the literal
/// references (events, templates, drift never show a secure value); provisioners of LocalCloud's services get the
/// values when the resource is created or updated. Facts and sources: docs/localcloud-cloudformation-ssm.md.
/// </summary>
public static partial class DynamicReferences
{
    /// <summary>The properties that take ssm-secure references, as "Type/Properties/Path" (list items as any index).</summary>
    private static readonly HashSet<string> SecureProperties = new(StringComparer.Ordinal)
    {
        "AWS::DirectoryService::MicrosoftAD/Properties/Password", "AWS::DirectoryService::SimpleAD/Properties/Password",
        "AWS::ElastiCache::ReplicationGroup/Properties/AuthToken", "AWS::IAM::User/Properties/LoginProfile/Password",
        "AWS::KinesisFirehose::DeliveryStream/Properties/RedshiftDestinationConfiguration/Password",
        "AWS::OpsWorks::App/Properties/AppSource/Password", "AWS::OpsWorks::Stack/Properties/CustomCookbooksSource/Password",
        "AWS::OpsWorks::Stack/Properties/RdsDbInstances/DbPassword", "AWS::RDS::DBCluster/Properties/MasterUserPassword",
        "AWS::RDS::DBInstance/Properties/MasterUserPassword", "AWS::Redshift::Cluster/Properties/MasterUserPassword",
    };

    [GeneratedRegex(@"\{\{resolve:(?<service>ssm|ssm-secure|secretsmanager):(?<key>[^{}]+)\}\}")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?<name>[a-zA-Z0-9_.\-/]+)(:(?<version>\d+))?$")]
    private static partial Regex SsmKey();

    /// <summary>
    /// The checks CloudFormation makes when it accepts a template: ssm-secure only where allowed, and every ssm and
    /// ssm-secure parameter readable.
    /// </summary>
    public static void Check(Template template, Func<string, ParameterStoreValue?> parameterStore)
    {
        var unsupported = new List<string>();
        var missing = new List<string>();
        foreach (var resource in template.Resources.Values)
        {
            Walk(resource.Properties, $"{resource.Type}/Properties", (path, text) =>
            {
                foreach (Match reference in Pattern().Matches(text))
                {
                    var service = reference.Groups["service"].Value;
                    if (service == "ssm-secure" && !SecureProperties.Contains(path))
                    {
                        unsupported.Add(path);
                    }
                    if (service != "secretsmanager" && ReadParameter(reference.Groups["key"].Value, parameterStore) is null)
                    {
                        missing.Add($"{service}:{reference.Groups["key"].Value}");
                    }
                }
            });
        }
        if (unsupported.Count > 0)
        {
            throw CloudFormationException.Validation($"SSM Secure reference is not supported in: [{string.Join(",", unsupported.Distinct())}]");
        }
        if (missing.Count > 0)
        {
            throw CloudFormationException.Validation($"Parameters: [{string.Join(", ", missing.Distinct())}] cannot be found.");
        }
    }

    /// <summary>
    /// A copy of <paramref name="properties"/> with references replaced by their values; with
    /// <paramref name="secureToo"/> false, ssm-secure and secretsmanager references stay literal (for resources
    /// LocalCloud only records, whose properties the API shows).
    /// </summary>
    public static JsonObject Substitute(JsonObject properties, bool secureToo, Func<string, ParameterStoreValue?> parameterStore, Func<string, string?, string?, string?> secrets)
    {
        var copy = (JsonObject)properties.DeepClone();
        return (JsonObject)Replace(copy, text => Pattern().Replace(text, reference =>
        {
            var service = reference.Groups["service"].Value;
            var key = reference.Groups["key"].Value;
            if (service != "ssm" && !secureToo)
            {
                return reference.Value;
            }
            return service == "secretsmanager"
                ? ReadSecret(key, secrets)
                : ReadParameter(key, parameterStore)?.Value
                    ?? throw new ResourceFailedException($"Parameters: [{service}:{key}] cannot be found.");
        }))!;
    }

    public static bool HasReferences(JsonNode? node)
    {
        var found = false;
        Walk(node, "", (_, text) => found |= Pattern().IsMatch(text));
        return found;
    }

    private static ParameterStoreValue? ReadParameter(string key, Func<string, ParameterStoreValue?> parameterStore) =>
        SsmKey().Match(key) is { Success: true } match ? parameterStore(key) : null;

    /// <summary>secret-id (a name, or an ARN with its own colons), then SecretString, json-key, version stage and version id.</summary>
    private static string ReadSecret(string key, Func<string, string?, string?, string?> secrets)
    {
        var parts = key.Split(':');
        var idLength = key.StartsWith("arn:", StringComparison.Ordinal) ? Math.Min(7, parts.Length) : 1;
        var secretId = string.Join(":", parts[..idLength]);
        string? Part(int index) => parts.Length > idLength + index && parts[idLength + index].Length > 0 ? parts[idLength + index] : null;
        if (Part(0) is { } field && field != "SecretString")
        {
            throw new ResourceFailedException($"Dynamic reference {{{{resolve:secretsmanager:{secretId}:{field}...}}}} is not valid: the second segment must be SecretString.");
        }
        var secret = secrets(secretId, Part(2), Part(3))
            ?? throw new ResourceFailedException("Secrets Manager can't find the specified secret. (Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException)");
        if (Part(1) is not { } jsonKey)
        {
            return secret;
        }
        try
        {
            return JsonNode.Parse(secret) is JsonObject fields && fields[jsonKey] is { } value
                ? TemplateEvaluator.AsString(value) ?? value.ToJsonString()
                : throw new ResourceFailedException($"Could not find SecretString JSON key: {jsonKey}");
        }
        catch (JsonException)
        {
            throw new ResourceFailedException("Could not parse SecretString JSON");
        }
    }

    private static void Walk(JsonNode? node, string path, Action<string, string> visit)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    // Intrinsic function names are not property names in the path CloudFormation reports.
                    Walk(value, name.StartsWith("Fn::", StringComparison.Ordinal) || name == "Ref" ? path : $"{path}/{name}", visit);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, path, visit);
                }
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                visit(path, text);
                break;
        }
    }

    private static JsonNode? Replace(JsonNode? node, Func<string, string> replace)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(pair => pair.Key).ToList())
                {
                    var replaced = Replace(obj[name], replace);
                    if (!ReferenceEquals(replaced, obj[name]))
                    {
                        obj[name] = replaced;
                    }
                }
                return obj;
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    var replaced = Replace(array[index], replace);
                    if (!ReferenceEquals(replaced, array[index]))
                    {
                        array[index] = replaced;
                    }
                }
                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && replace(text) is var result && result != text:
                return JsonValue.Create(result);
            default:
                return node;
        }
    }
}
