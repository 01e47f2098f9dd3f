using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// REST-XML (Route 53): method and URI as in REST-JSON; a body member is written as
/// <c>&lt;OpRequest xmlns="…"&gt;</c> with each member an element named after it and each list item named after its
/// list without the plural <c>s</c> (<c>Changes/Change</c>, <c>ResourceRecords/ResourceRecord</c>), as the model's
/// <c>locationName</c>s say. Responses are the operation's members directly under the root element.
/// </summary>
internal sealed class RestXmlProtocol : WireProtocol
{
    private readonly XNamespace ns;

    public RestXmlProtocol(AwsServiceDescription service, string xmlNamespace)
        : base(service) => ns = xmlNamespace;

    public override IRequest Marshall(AmazonWebServiceRequest input)
    {
        DefaultRequest request = NewRestRequest(input);
        RestBinding binding = RestBinding.For(input.GetType());
        var body = new XElement(ns + OperationName(input.GetType().Name) + "Request");
        foreach (PropertyInfo property in Members(input.GetType()).Where(p => !binding.InUri(p)))
        {
            if (property.GetValue(input) is { } value)
            {
                body.Add(Write(property.Name, value));
            }
        }

        if (body.HasElements)
        {
            request.Headers["Content-Type"] = "application/xml";
            request.Content = Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).Declaration + body.ToString(SaveOptions.DisableFormatting));
        }

        return request;
    }

    public override ResponseUnmarshaller UnmarshallerFor<TResponse>() => RestXmlUnmarshaller<TResponse>.Instance;

    private static PropertyInfo[] Members(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.DeclaringType?.Assembly == typeof(RestXmlProtocol).Assembly && p.CanWrite)
        .ToArray();

    private XElement Write(string name, object value)
    {
        switch (value)
        {
            case string or bool or DateTime or IFormattable:
                return new XElement(ns + name, FormatScalar(value));
            case IEnumerable list:
                string itemName = name.EndsWith("s", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name + "Item";
                return new XElement(ns + name, list.Cast<object?>().Where(item => item is not null).Select(item => Write(itemName, item!)));
            default:
                return new XElement(ns + name, Members(value.GetType())
                    .Select(p => (p.Name, Value: p.GetValue(value)))
                    .Where(member => member.Value is not null)
                    .Select(member => Write(member.Name, member.Value!)));
        }
    }
}

/// <summary>Reads <c>&lt;OpResponse&gt;…members…&lt;/OpResponse&gt;</c> and AWS's <c>&lt;ErrorResponse&gt;</c>.</summary>
internal sealed class RestXmlUnmarshaller<TResponse> : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public static RestXmlUnmarshaller<TResponse> Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        XElement root = XDocument.Load(input.Stream).Root ?? throw new InvalidDataException("The response has no XML root element.");
        var response = new TResponse();
        QueryShapes.Query.Populate(root, response);
        return response;
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ErrorResponse error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
        return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
