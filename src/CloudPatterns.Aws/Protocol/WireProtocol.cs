using System;
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

    /// <summary>Request classes are named after their operation, as in the SDK: <c>ListAccountsRequest</c>.</summary>
    public static string OperationName(string requestTypeName) =>
        requestTypeName.EndsWith(RequestSuffix, StringComparison.Ordinal)
            ? requestTypeName.Substring(0, requestTypeName.Length - RequestSuffix.Length)
            : requestTypeName;

    protected DefaultRequest NewRequest(AmazonWebServiceRequest input, string httpMethod, string resourcePath) =>
        new(input, Service.ServiceId) { HttpMethod = httpMethod, ResourcePath = resourcePath };
}
