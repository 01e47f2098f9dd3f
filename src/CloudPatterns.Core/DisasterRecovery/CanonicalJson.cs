using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The one byte form of a JSON document that its hash is taken over: object members sorted by ordinal name, no
/// whitespace, strings escaped the same way every time, numbers as written. Two parties that parse the same record
/// get the same bytes, so a verifier needs nothing but the stored object to recompute its hash.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    public static byte[] ToBytes(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of the canonical bytes.</summary>
    public static string Sha256(JsonNode? node) => Hex(Sha256Bytes(node));

    /// <summary>The SHA-256 of the canonical bytes.</summary>
    public static byte[] Sha256Bytes(JsonNode? node)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(ToBytes(node));
    }

    public static string Hex(byte[] hash)
    {
        var text = new StringBuilder(hash.Length * 2);
        foreach (byte b in hash)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var member in obj.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Key);
                    Write(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (JsonNode? item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
