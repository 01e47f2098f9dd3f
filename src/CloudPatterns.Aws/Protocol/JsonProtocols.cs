using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace CloudPatterns.Aws.Protocol;

/// <summary>
/// JSON 1.1 (Organizations) and JSON 1.0 (DynamoDB): <c>POST /</c>, operation in <c>X-Amz-Target</c>, the request as
/// the body; the versions differ only in the content type.
/// </summary>
internal sealed class Json11Protocol : WireProtocol
{
    private readonly string targetPrefix;
    private readonly string contentType;

    public Json11Protocol(AwsServiceDescription service, string targetPrefix, string jsonVersion = "1.1")
        : base(service)
    {
        this.targetPrefix = targetPrefix;
        contentType = "application/x-amz-json-" + jsonVersion;
    }

    public override IRequest Marshall(AmazonWebServiceRequest input)
    {
        DefaultRequest request = NewRequest(input, "POST", "/");
        request.Headers["X-Amz-Target"] = $"{targetPrefix}.{OperationName(input.GetType().Name)}";
        request.Headers["Content-Type"] = contentType;
        request.Content = JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), AwsJson.Options);
        return request;
    }

    public override ResponseUnmarshaller UnmarshallerFor<TResponse>() => JsonBodyUnmarshaller<TResponse>.Instance;
}

/// <summary>
/// REST-JSON (Backup): method and URI from <see cref="RestOperationAttribute"/>, members marked
/// <see cref="RestPathAttribute"/>/<see cref="RestQueryAttribute"/> in the URI, the other members as the JSON body.
/// </summary>
internal sealed class RestJsonProtocol : WireProtocol
{
    public RestJsonProtocol(AwsServiceDescription service)
        : base(service)
    {
    }

    public override IRequest Marshall(AmazonWebServiceRequest input)
    {
        DefaultRequest request = NewRestRequest(input);
        if (request.HttpMethod is "PUT" or "POST" or "PATCH")
        {
            request.Headers["Content-Type"] = "application/json";
            request.Content = JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), AwsJson.Options);
        }

        return request;
    }

    public override ResponseUnmarshaller UnmarshallerFor<TResponse>() => JsonBodyUnmarshaller<TResponse>.Instance;
}

/// <summary>Reads a JSON response body into <typeparamref name="TResponse"/>, and AWS's JSON errors into exceptions.</summary>
internal sealed class JsonBodyUnmarshaller<TResponse> : JsonResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public static JsonBodyUnmarshaller<TResponse> Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        using var body = new MemoryStream();
        input.Stream.CopyTo(body);
        return body.Length == 0
            ? new TResponse()
            : JsonSerializer.Deserialize<TResponse>(body.ToArray(), AwsJson.Options) ?? new TResponse();
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        var reader = new StreamingUtf8JsonReader(input.Stream);
        ErrorResponse error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
