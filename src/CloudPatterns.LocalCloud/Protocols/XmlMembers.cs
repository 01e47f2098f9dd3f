using System.Xml.Linq;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>Reads REST-XML request bodies (S3, Route 53) by local name, so a body with or without the service's namespace reads the same.</summary>
internal static class XmlMembers
{
    public static IEnumerable<XElement> Children(this XElement element, string name) =>
        element.Elements().Where(child => child.Name.LocalName == name);

    public static XElement? Child(this XElement element, string name) => element.Children(name).FirstOrDefault();

    public static string? Text(this XElement element, string name) => element.Child(name)?.Value;
}
