using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>Writes XML and JSON response bodies.</summary>
internal static class ResponseBodies
{
    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new System.Text.UTF8Encoding(false) };

    /// <summary>Writes one XML document (UTF-8, with declaration) as the response body.</summary>
    public static Task WriteXmlAsync(HttpResponse response, Action<XmlWriter> write)
    {
        // XmlWriter writes synchronously, which Kestrel forbids on the response stream: build the body first.
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, XmlSettings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        response.ContentType = "text/xml";
        response.ContentLength = buffer.Length;
        return response.Body.WriteAsync(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Task WriteXmlAsync(HttpResponse response, XElement document) => WriteXmlAsync(response, document.WriteTo);

    public static async Task WriteJsonAsync(HttpResponse response, JsonNode? body, string contentType)
    {
        response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        if (body is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            body.WriteTo(writer);
        }
    }

    /// <summary>JSON protocols send timestamps as epoch seconds (with milliseconds).</summary>
    public static JsonNode EpochSeconds(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);
}
