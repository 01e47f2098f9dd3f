using System;
using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

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
}
