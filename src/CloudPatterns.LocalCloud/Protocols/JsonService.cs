using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// Base of JSON 1.1 services: <c>POST /</c> with <c>X-Amz-Target: Prefix.Operation</c> and a JSON body.
/// </summary>
internal abstract class JsonService(string signingName, string targetPrefix, string throttlingErrorCode) : IAwsService
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private readonly Dictionary<string, (bool Mutating, Func<AwsRequest, JsonElement, JsonObject> Handler)> operations =
        new(StringComparer.Ordinal);

    public string SigningName { get; } = signingName;

    public AwsProtocol Protocol => AwsProtocol.Json;

    public IReadOnlyCollection<string> OperationNames => operations.Keys;

    public string ThrottlingErrorCode { get; } = throttlingErrorCode;

    /// <summary>The answers' content type: JSON 1.1 unless the service's model says jsonVersion 1.0.</summary>
    protected virtual string ContentType => "application/x-amz-json-1.1";

    protected void AddOperation(string name, bool mutating, Func<AwsRequest, JsonElement, JsonObject> handler) =>
        operations.Add(name, (mutating, handler));

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var separator = target.IndexOf('.', StringComparison.Ordinal);
        var name = separator < 0 ? "" : target[(separator + 1)..];
        if (separator < 0 || target[..separator] != targetPrefix || !operations.TryGetValue(name, out var operation))
        {
            throw new AwsServiceException(400, "UnknownOperationException", $"Unknown operation {target}");
        }

        var input = ParseBody(body);
        return new AwsOperationCall(name, operation.Mutating, request =>
        {
            request.Http.Response.Headers["x-amzn-RequestId"] = request.RequestId;
            return ResponseBodies.WriteJsonAsync(request.Http.Response, operation.Handler(request, input), ContentType);
        })
        {
            Parameter = name => RequestParameter(input, name),
        };
    }

    /// <summary>A request parameter for authorization (<see cref="AwsOperationCall.Parameter"/>): a top-level string member by default.</summary>
    protected virtual string? RequestParameter(JsonElement input, string name) => input.GetStringOrNull(name);

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId) =>
        AwsErrors.WriteAsync(http, Protocol, error, requestId);

    private static JsonElement ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return EmptyObject;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new AwsServiceException(400, "SerializationException", "The request body must be a JSON object.");
        }
        catch (JsonException error)
        {
            throw new AwsServiceException(400, "SerializationException", $"The request body is not valid JSON: {error.Message}");
        }
    }
}
