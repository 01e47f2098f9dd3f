using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// The EC2 protocol: requests as in Query (form-encoded <c>POST /</c> with <c>Action</c> and <c>Version</c>) but with
/// lists as <c>Name.N</c>; responses are the operation's members directly under <c>&lt;OpResponse&gt;</c> (no Result
/// wrapper, <c>requestId</c> beside them), errors are <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>.
/// </summary>
internal sealed class Ec2Protocol : QueryProtocol
{
    public Ec2Protocol(AwsServiceDescription service)
        : base(service)
    {
    }

    protected override QueryShapes Shapes => QueryShapes.Ec2;

    public override ResponseUnmarshaller UnmarshallerFor<TResponse>() => Ec2ResponseUnmarshaller<TResponse>.Instance;
}

/// <summary>Reads <c>&lt;OpResponse&gt;&lt;requestId/&gt;…members…&lt;/OpResponse&gt;</c> and EC2's error documents.</summary>
internal sealed class Ec2ResponseUnmarshaller<TResponse> : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public static Ec2ResponseUnmarshaller<TResponse> Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        XElement root = XDocument.Load(input.Stream).Root ?? throw new InvalidDataException("The response has no XML root element.");
        var response = new TResponse();
        QueryShapes.Ec2.Populate(root, response);
        response.ResponseMetadata = new ResponseMetadata { RequestId = Child(root, "requestId")?.Value };
        return response;
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        XElement? root = XDocument.Load(input.Stream).Root;
        XElement? error = root is null ? null : Child(Child(root, "Errors"), "Error");
        string? code = Child(error, "Code")?.Value;
        string message = Child(error, "Message")?.Value ?? $"EC2 answered HTTP {(int)statusCode} without an error document.";
        ErrorType type = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        return new AmazonServiceException(message, innerException, type, code, root is null ? null : Child(root, "RequestID")?.Value, statusCode);
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}

/// <summary>A member's <c>locationName</c> in its botocore model, where the EC2 protocol names it by that.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class LocationNameAttribute : Attribute
{
    public LocationNameAttribute(string name) => Name = name;

    public string Name { get; }
}
