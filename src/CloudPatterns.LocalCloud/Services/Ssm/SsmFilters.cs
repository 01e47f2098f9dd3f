using System.Text.Json;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>
/// ParameterFilters (Key, Option, Values) of DescribeParameters and GetParametersByPath, and DescribeParameters'
/// older Filters (Key, Values); each operation allows its own keys and refuses others with InvalidFilterKey.
/// </summary>
internal sealed class SsmFilters
{
    private readonly string key;
    private readonly string option;
    private readonly IReadOnlyList<string> values;

    private SsmFilters(string key, string option, IReadOnlyList<string> values)
    {
        this.key = key;
        this.option = option;
        this.values = values;
    }

    public static IReadOnlyList<SsmFilters> Read(JsonElement input, string member, string[] allowedKeys, bool allowTags = false) =>
        input.GetArrayOrEmpty(member).Select(filter =>
        {
            var key = filter.GetStringOrNull("Key") ?? "";
            if (!allowedKeys.Contains(key, StringComparer.Ordinal) && !(allowTags && key.StartsWith("tag:", StringComparison.Ordinal)))
            {
                throw new AwsServiceException(400, "InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", allowedKeys)}{(allowTags ? ", tag:<key>" : "")}].");
            }

            var allowedOptions = key switch
            {
                "Name" => new[] { "Equals", "BeginsWith", "Contains" },
                "Path" => ["Recursive", "OneLevel"],
                "Label" or "KeyId" when allowedKeys.Contains("Label") => ["Equals"],
                "KeyId" => ["Equals", "BeginsWith"],
                _ when key.StartsWith("tag:", StringComparison.Ordinal) => ["Equals"],
                _ => ["Equals"],
            };
            var option = filter.GetStringOrNull("Option") ?? (key == "Path" ? "OneLevel" : "Equals");
            if (!allowedOptions.Contains(option, StringComparer.Ordinal))
            {
                throw new AwsServiceException(400, "InvalidFilterOption", $"The filter option is not valid for key {key}: {option}. Valid options include: [{string.Join(", ", allowedOptions)}].");
            }

            var values = filter.GetStringsOrEmpty("Values");
            if (values.Count == 0 && !key.StartsWith("tag:", StringComparison.Ordinal))
            {
                throw new AwsServiceException(400, "InvalidFilterValue", $"The filter for key {key} needs at least one value.");
            }

            return new SsmFilters(key, option, values);
        }).ToList();

    /// <summary>DescribeParameters' Filters: Name (begins with), Type, KeyId.</summary>
    public static IEnumerable<SsmFilters> ReadLegacy(JsonElement input) =>
        input.GetArrayOrEmpty("Filters").Select(filter =>
        {
            var key = filter.GetStringOrNull("Key") ?? "";
            return key is "Name" or "Type" or "KeyId"
                ? new SsmFilters(key, key == "Name" ? "BeginsWith" : "Equals", filter.GetStringsOrEmpty("Values"))
                : throw new AwsServiceException(400, "InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [Name, Type, KeyId].");
        });

    public bool Matches(SsmListing listing)
    {
        var parameter = listing.Latest;
        return key switch
        {
            "Name" => values.Any(value => Compare(Normalized(parameter.Name), Normalized(value))),
            "Type" => values.Contains(parameter.Type, StringComparer.Ordinal),
            "KeyId" => parameter.KeyId is { } keyId && values.Any(value => Compare(keyId, value)),
            "Tier" => values.Contains(parameter.Tier, StringComparer.Ordinal),
            "DataType" => values.Contains(parameter.DataType, StringComparer.Ordinal),
            "Label" => values.Any(value => listing.Labels.Contains(value, StringComparer.Ordinal)),
            "Path" => values.Any(path => UnderPath(parameter.Name, path)),
            _ => listing.Tags.TryGetValue(key["tag:".Length..], out var tag) && (values.Count == 0 || values.Contains(tag, StringComparer.Ordinal)),
        };
    }

    private bool Compare(string actual, string value) => option switch
    {
        "BeginsWith" => actual.StartsWith(value, StringComparison.Ordinal),
        "Contains" => actual.Contains(value, StringComparison.Ordinal),
        _ => actual == value,
    };

    private bool UnderPath(string name, string path)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && (option == "Recursive" || !name[prefix.Length..].Contains('/', StringComparison.Ordinal));
    }

    /// <summary>Name filters ignore a leading slash, as Parameter Store does.</summary>
    private static string Normalized(string name) => name.TrimStart('/');
}
