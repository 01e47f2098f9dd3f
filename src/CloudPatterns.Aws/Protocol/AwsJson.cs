using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CloudPatterns.Aws.Protocol;

/// <summary>System.Text.Json settings for the JSON protocols: wire names are the property names as written.</summary>
internal static class AwsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutHttpBoundMembers } },
    };

    // Members that travel in the URI or query string of a REST request are not part of its JSON body.
    private static void LeaveOutHttpBoundMembers(JsonTypeInfo typeInfo)
    {
        foreach (JsonPropertyInfo property in typeInfo.Properties.Where(IsHttpBound).ToList())
        {
            typeInfo.Properties.Remove(property);
        }
    }

    private static bool IsHttpBound(JsonPropertyInfo property) =>
        property.AttributeProvider is MemberInfo member &&
        (member.IsDefined(typeof(RestPathAttribute)) || member.IsDefined(typeof(RestQueryAttribute)));

    /// <summary>JSON protocols send timestamps as epoch seconds (a double); a few services answer ISO 8601 strings.</summary>
    private sealed class EpochSecondsConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? WireProtocol.ParseTimestamp(reader.GetString()!)
                : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000)).UtcDateTime;

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteNumberValue((new DateTimeOffset(value.ToUniversalTime()) - DateTimeOffset.FromUnixTimeSeconds(0)).TotalSeconds);
    }
}
