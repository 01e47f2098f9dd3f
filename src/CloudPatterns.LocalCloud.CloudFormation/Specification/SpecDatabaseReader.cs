using System.IO.Compression;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.CloudFormation.Specification;

/// <summary>
/// Reads the parts of db.json.gz the index needs (resources and type definitions) into plain dictionaries and lists,
/// dropping documentation text and every other section as it goes. A streaming reader over one buffer keeps the
/// transient memory to the decompressed bytes, where a JsonDocument would leave its pooled buffers behind.
/// </summary>
internal static class SpecDatabaseReader
{
    private static readonly HashSet<string> NeededSections = ["resource", "typeDefinition"];

    public static Dictionary<string, object?> ReadSchema(Stream gzippedDatabase)
    {
        byte[] json;
        using (var decompressed = new MemoryStream())
        {
            using (var gzip = new GZipStream(gzippedDatabase, CompressionMode.Decompress))
            {
                gzip.CopyTo(decompressed);
            }
            json = decompressed.ToArray();
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        var root = ReadObject(ref reader, depth: 0);
        return (Dictionary<string, object?>)root["schema"]!;
    }

    private static Dictionary<string, object?> ReadObject(ref Utf8JsonReader reader, int depth)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            // depth 1 is the schema's sections; depth 0 is the root ("idCtr", "schema").
            if (name == "documentation" || (depth == 1 && !NeededSections.Contains(name)))
            {
                reader.Skip();
                continue;
            }
            result[name] = ReadValue(ref reader, depth + 1);
        }
        return result;
    }

    private static object? ReadValue(ref Utf8JsonReader reader, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, depth);
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader, depth + 1));
                }
                return list;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Number:
                return reader.GetDouble();
            default:
                return null;
        }
    }
}
