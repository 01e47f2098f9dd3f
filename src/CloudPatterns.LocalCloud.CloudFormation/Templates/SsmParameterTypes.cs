using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>A parameter as Parameter Store holds it: what CloudFormation reads for SSM parameter types and dynamic references.</summary>
public sealed record ParameterStoreValue(string Name, string Type, string Value, long Version);

/// <summary>Parameter Store of the stack's account and region, as LocalCloud's SSM service provides it.</summary>
public interface IParameterStore
{
    /// <summary>
    /// The parameter a name (optionally "name:version") names, the account's own or a public /aws/service/ one;
    /// null when there is none.
    /// </summary>
    ParameterStoreValue? Find(string accountId, string region, string reference);
}

/// <summary>
/// The CloudFormation-supplied SSM parameter types: <c>AWS::SSM::Parameter::Name</c> (a parameter that must exist)
/// and <c>AWS::SSM::Parameter::Value&lt;T&gt;</c> (the template sees the parameter's value as T, read at every create
/// and update). DescribeStacks shows the key as ParameterValue and the value read as ResolvedValue; the stack keeps
/// the key in its parameter values under <see cref="KeyEntry"/>, which no template name can collide with.
/// </summary>
internal static class SsmParameterTypes
{
    public const string NameType = "AWS::SSM::Parameter::Name";
    private const string ValuePrefix = "AWS::SSM::Parameter::Value<";

    /// <summary>T of AWS::SSM::Parameter::Value&lt;T&gt;, or null for any other type.</summary>
    public static string? ValueType(string type) =>
        type.StartsWith(ValuePrefix, StringComparison.Ordinal) && type.EndsWith('>') ? type[ValuePrefix.Length..^1] : null;

    /// <summary>Where a stack's parameter values keep the Parameter Store key of an SSM-typed parameter.</summary>
    public static string KeyEntry(string parameterName) => "ssm-key:" + parameterName;

    public static bool IsKeyEntry(string entry) => entry.StartsWith("ssm-key:", StringComparison.Ordinal);

    /// <summary>
    /// Reads every SSM-typed parameter's value; CloudFormation refuses the request naming every parameter it could not
    /// read, and SecureString parameters, which these types do not take.
    /// </summary>
    public static Dictionary<string, ParameterStoreValue> Read(
        IEnumerable<(ParameterDefinition Definition, string Key)> parameters, Func<string, ParameterStoreValue?> lookup)
    {
        var found = new Dictionary<string, ParameterStoreValue>(StringComparer.Ordinal);
        var missing = new List<string>();
        var secure = new List<string>();
        foreach (var (definition, key) in parameters)
        {
            if (lookup(key) is not { } value)
            {
                missing.Add(key);
            }
            else if (value.Type == "SecureString")
            {
                secure.Add(key);
            }
            else
            {
                found[definition.Name] = value;
            }
        }
        if (missing.Count > 0)
        {
            throw CloudFormationException.Validation($"Unable to fetch parameters [{string.Join(",", missing)}] from parameter store for this account.");
        }
        if (secure.Count > 0)
        {
            throw CloudFormationException.Validation($"Parameters [{string.Join(",", secure)}] referenced by template have types not supported by CloudFormation.");
        }
        return found;
    }

    /// <summary>The stack parameter a value entry shows: its key, and the value read when it is SSM-typed.</summary>
    public static (string Shown, string? Resolved) Display(string parameterName, JsonNode value, IReadOnlyDictionary<string, JsonNode> values)
    {
        var text = value is JsonArray list ? string.Join(",", list.Select(item => item?.ToString())) : value.ToString();
        return values.TryGetValue(KeyEntry(parameterName), out var key) ? (key.ToString(), text) : (text, null);
    }
}
