using System.Text.Json;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>Reads optional members of JSON request bodies; each service decides how a missing required one is refused.</summary>
internal static class JsonMembers
{
    public static string? GetStringOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? GetInt64OrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : null;

    public static bool? GetBooleanOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public static JsonElement? GetObjectOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static IReadOnlyList<JsonElement> GetArrayOrEmpty(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToList()
            : [];

    public static IReadOnlyList<string> GetStringsOrEmpty(this JsonElement element, string name) =>
        element.GetArrayOrEmpty(name).Select(item => item.GetString() ?? "").ToList();

    /// <summary>A JSON object of string values (tags, restore metadata); empty when absent.</summary>
    public static Dictionary<string, string> GetStringMapOrEmpty(this JsonElement element, string name) =>
        element.GetObjectOrNull(name) is { } map
            ? map.EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
