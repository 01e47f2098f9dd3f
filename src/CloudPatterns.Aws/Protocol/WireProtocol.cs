using System;
using System.Globalization;
using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// One wire protocol: turns any request object of a service into an HTTP request and reads any response type
/// back, so an operation needs only its request and response classes.
/// </summary>
internal abstract class WireProtocol : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    private const string RequestSuffix = "Request";

    protected WireProtocol(AwsServiceDescription service) => Service = service;

    protected AwsServiceDescription Service { get; }

    public abstract IRequest Marshall(AmazonWebServiceRequest input);

    public abstract ResponseUnmarshaller UnmarshallerFor<TResponse>()
        where TResponse : AmazonWebServiceResponse, new();

    /// <summary>
    /// Request classes are named after their operation, as in the SDK: <c>ListAccountsRequest</c>. The S3 SDK keeps
    /// one older name: its ListVersionsRequest is the ListObjectVersions operation.
    /// </summary>
    public static string OperationName(string requestTypeName)
    {
        string name = requestTypeName.EndsWith(RequestSuffix, StringComparison.Ordinal)
            ? requestTypeName.Substring(0, requestTypeName.Length - RequestSuffix.Length)
            : requestTypeName;
        return name == "ListVersions" ? "ListObjectVersions" : name;
    }

    /// <summary>A scalar as the URI and form encodings write it: booleans in lower case, ISO 8601 UTC timestamps, invariant numbers.</summary>
    public static string FormatScalar(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"Cannot write a {value.GetType().Name} as a URI or form value."),
    };

    /// <summary>An ISO 8601 timestamp as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime ParseTimestamp(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    protected DefaultRequest NewRequest(AmazonWebServiceRequest input, string httpMethod, string resourcePath) =>
        new(input, Service.ServiceId) { HttpMethod = httpMethod, ResourcePath = resourcePath };

    /// <summary>A REST request: method and URI from <see cref="RestOperationAttribute"/>, path labels and query string from the marked members.</summary>
    protected DefaultRequest NewRestRequest(AmazonWebServiceRequest input)
    {
        RestBinding binding = RestBinding.For(input.GetType());
        DefaultRequest request = NewRequest(input, binding.Operation.Method, binding.Operation.UriTemplate);
        foreach ((PropertyInfo property, RestPathAttribute path) in binding.PathMembers)
        {
            string value = property.GetValue(input) as string
                ?? throw new ArgumentException($"{property.Name} is required for {OperationName(input.GetType().Name)}.", nameof(input));
            request.AddPathResource("{" + path.Name + "}", StringUtils.FromString(value));
        }

        foreach ((PropertyInfo property, RestQueryAttribute query) in binding.QueryMembers)
        {
            if (property.GetValue(input) is { } value)
            {
                request.Parameters.Add(query.Name, FormatScalar(value));
            }
        }

        request.UseQueryString = true;
        return request;
    }
}
