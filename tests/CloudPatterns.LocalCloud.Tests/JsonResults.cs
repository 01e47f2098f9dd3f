using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Reading the JSON the boto3 scripts print: members by path, and the {"error","status"} of refused calls.</summary>
internal static class JsonResults
{
    public static JsonElement At(this JsonElement element, params string[] path) =>
        path.Aggregate(element, (current, member) => current.GetProperty(member));

    public static string? Text(this JsonElement element, params string[] path) => element.At(path).GetString();

    /// <summary>The error code and HTTP status the script recorded for <paramref name="operation"/>.</summary>
    public static (string? Code, int Status) AwsError(this JsonElement results, string operation)
    {
        var error = results.GetProperty(operation);
        Assert.True(error.TryGetProperty("error", out var code), $"{operation} succeeded but an error was expected: {error}");
        return (code.GetString(), error.GetProperty("status").GetInt32());
    }
}
