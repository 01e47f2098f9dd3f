using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>Reads S3 request bodies (with or without the S3 namespace) and builds responses in it.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>The root element of a request body whose root must be <paramref name="rootName"/>.</summary>
    public static XElement Parse(byte[] body, string rootName)
    {
        try
        {
            using var stream = new MemoryStream(body);
            var root = XDocument.Load(stream).Root;
            return root?.Name.LocalName == rootName ? root : throw S3Errors.MalformedXml();
        }
        catch (XmlException)
        {
            throw S3Errors.MalformedXml();
        }
    }

    /// <summary>A boolean member; absent means false, anything but true/false is malformed.</summary>
    public static bool Flag(this XElement element, string name) => element.Text(name) switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw S3Errors.MalformedXml(),
    };

    public static XElement Element(string name, params object?[] content) => new(Namespace + name, content);

    /// <summary>S3 XML timestamps: ISO 8601 with milliseconds, UTC.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";
}
