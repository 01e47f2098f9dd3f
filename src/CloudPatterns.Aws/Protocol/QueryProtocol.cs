using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// AWS Query (CloudFormation, SNS): a form-encoded <c>POST /</c> with <c>Action</c> and <c>Version</c>, lists as
/// <c>Name.member.N</c>, maps as <c>Name.entry.N.key/value</c>, structures as <c>Name.Field</c>; XML responses.
/// </summary>
internal class QueryProtocol : WireProtocol
{
    public QueryProtocol(AwsServiceDescription service)
        : base(service)
    {
    }

    /// <summary>How members become form parameters and XML elements map back to members.</summary>
    protected virtual QueryShapes Shapes => QueryShapes.Query;

    public override IRequest Marshall(AmazonWebServiceRequest input)
    {
        DefaultRequest request = NewRequest(input, "POST", "/");
        request.Parameters.Add("Action", OperationName(input.GetType().Name));
        request.Parameters.Add("Version", Service.ApiVersion);
        Shapes.Flatten(input, string.Empty, request.Parameters);
        request.ContentStream = AWSSDKUtils.WriteParametersToPooledStream(request);
        return request;
    }

    public override ResponseUnmarshaller UnmarshallerFor<TResponse>() => XmlResultUnmarshaller<TResponse>.Instance;
}

/// <summary>Reads <c>&lt;OpResponse&gt;&lt;OpResult&gt;…&lt;/OpResult&gt;&lt;ResponseMetadata/&gt;</c> into <typeparamref name="TResponse"/>.</summary>
internal sealed class XmlResultUnmarshaller<TResponse> : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public static XmlResultUnmarshaller<TResponse> Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        XElement root = XDocument.Load(input.Stream).Root ?? throw new InvalidDataException("The response has no XML root element.");
        var response = new TResponse();
        XElement? result = root.Elements().FirstOrDefault(e => e.Name.LocalName.EndsWith("Result", StringComparison.Ordinal));
        if (result is not null)
        {
            QueryShapes.Query.Populate(result, response);
        }

        response.ResponseMetadata = new ResponseMetadata
        {
            RequestId = root.Elements().FirstOrDefault(e => e.Name.LocalName == "ResponseMetadata")?
                .Elements().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value,
        };
        return response;
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ErrorResponse error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
        return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}

/// <summary>
/// Maps request and response classes to and from the flattened names of the Query protocol or of its EC2 variant by
/// reflection. EC2 writes lists as <c>Name.N</c> (no <c>.member</c>) and names members by the model's
/// <c>locationName</c> (<see cref="LocationNameAttribute"/>): capitalised in requests, as given in responses.
/// </summary>
internal sealed class QueryShapes
{
    private readonly ConcurrentDictionary<Type, Shape> shapes = new();
    private readonly bool ec2;

    private QueryShapes(bool ec2) => this.ec2 = ec2;

    public static QueryShapes Query { get; } = new(ec2: false);

    public static QueryShapes Ec2 { get; } = new(ec2: true);

    public void Flatten(object value, string prefix, IDictionary<string, string> parameters)
    {
        foreach (Member member in ShapeOf(value.GetType()).Members)
        {
            if (member.Property.GetValue(value) is { } memberValue)
            {
                FlattenValue(memberValue, prefix + member.RequestName, parameters);
            }
        }
    }

    /// <summary>Sets each member from the first child element with its response name (one pass over the children).</summary>
    public void Populate(XElement element, object target)
    {
        Shape shape = ShapeOf(target.GetType());
        bool[]? set = null;
        foreach (XElement child in element.Elements())
        {
            if (!shape.ByResponseName.TryGetValue(child.Name.LocalName, out Member[]? members))
            {
                continue;
            }

            foreach (Member member in members)
            {
                set ??= new bool[shape.Members.Length];
                if (!set[member.Index])
                {
                    set[member.Index] = true;
                    member.Property.SetValue(target, Read(child, member.Property.PropertyType));
                }
            }
        }
    }

    // Only the members our model classes declare; the SDK's base classes add members that are not on the wire.
    // Names are worked out once per type: reading attributes on every call cost the fan-out CPU (docs/benchmarks.md).
    private Shape ShapeOf(Type type) => shapes.GetOrAdd(type, t =>
    {
        Member[] members = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType?.Assembly == typeof(QueryShapes).Assembly && p.CanWrite && p.GetIndexParameters().Length == 0)
            .Select((p, index) => new Member(p, index, RequestName(p), ResponseName(p)))
            .ToArray();
        Dictionary<string, Member[]> byResponseName = members
            .GroupBy(m => m.ResponseName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        return new Shape(members, byResponseName);
    });

    private static string? LocationName(PropertyInfo property) => property.GetCustomAttribute<LocationNameAttribute>()?.Name;

    private string RequestName(PropertyInfo property) =>
        ec2 && LocationName(property) is { } location ? char.ToUpperInvariant(location[0]) + location.Substring(1) : property.Name;

    private string ResponseName(PropertyInfo property) => (ec2 ? LocationName(property) : null) ?? property.Name;

    private void FlattenValue(object value, string name, IDictionary<string, string> parameters)
    {
        switch (value)
        {
            case string or bool or DateTime or IFormattable:
                parameters[name] = WireProtocol.FormatScalar(value);
                break;
            case IDictionary map:
                int entry = 0;
                foreach (DictionaryEntry pair in map)
                {
                    entry++;
                    FlattenValue(pair.Key, $"{name}.entry.{entry}.key", parameters);
                    if (pair.Value is not null)
                    {
                        FlattenValue(pair.Value, $"{name}.entry.{entry}.value", parameters);
                    }
                }

                break;
            case IEnumerable list:
                int index = 0;
                foreach (object? item in list)
                {
                    index++;
                    if (item is not null)
                    {
                        FlattenValue(item, ec2 ? $"{name}.{index}" : $"{name}.member.{index}", parameters);
                    }
                }

                break;
            default:
                Flatten(value, name + ".", parameters);
                break;
        }
    }

    private object? Read(XElement element, Type type)
    {
        Type scalarType = Nullable.GetUnderlyingType(type) ?? type;
        if (scalarType == typeof(string))
        {
            return element.Value;
        }

        if (scalarType == typeof(bool))
        {
            return bool.Parse(element.Value);
        }

        if (scalarType == typeof(DateTime))
        {
            return WireProtocol.ParseTimestamp(element.Value);
        }

        if (scalarType.IsPrimitive)
        {
            return Convert.ChangeType(element.Value, scalarType, CultureInfo.InvariantCulture);
        }

        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            var map = (IDictionary)Activator.CreateInstance(type)!;
            Type valueType = type.GetGenericArguments()[1];
            foreach (XElement entry in element.Elements().Where(e => e.Name.LocalName == "entry"))
            {
                string key = entry.Elements().First(e => e.Name.LocalName == "key").Value;
                XElement? value = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "value");
                map[key] = value is null ? null : Read(value, valueType);
            }

            return map;
        }

        if (typeof(IList).IsAssignableFrom(type))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            Type itemType = type.GetGenericArguments()[0];
            // Items are <member> in most services and named after their shape in others (RDS: <DBInstance>).
            foreach (XElement member in element.Elements())
            {
                list.Add(Read(member, itemType));
            }

            return list;
        }

        object structure = Activator.CreateInstance(type)!;
        Populate(element, structure);
        return structure;
    }

    private sealed record Member(PropertyInfo Property, int Index, string RequestName, string ResponseName);

    private sealed record Shape(Member[] Members, IReadOnlyDictionary<string, Member[]> ByResponseName);
}
