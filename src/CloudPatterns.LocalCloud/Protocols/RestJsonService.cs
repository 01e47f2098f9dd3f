using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// Base of REST-JSON services: each operation has its own method and URI template (<c>PUT /backup-vaults/{name}</c>),
/// inputs come from the path, the query string and a JSON body.
/// </summary>
internal abstract class RestJsonService(string signingName, string throttlingErrorCode) : IAwsService
{
    private readonly List<Route> routes = [];

    public string SigningName { get; } = signingName;

    public AwsProtocol Protocol => AwsProtocol.RestJson;

    public IReadOnlyCollection<string> OperationNames => routes.Select(route => route.Name).ToList();

    public string ThrottlingErrorCode { get; } = throttlingErrorCode;

    /// <summary>Registers an operation at <paramref name="method"/> and a URI template whose <c>{name}</c> segments are captured.</summary>
    protected void AddOperation(string name, bool mutating, string method, string uriTemplate, Func<AwsRequest, RestJsonInput, RestJsonResult> handler) =>
        routes.Add(new Route(name, mutating, method, new UriTemplate(uriTemplate), (request, input) => Task.FromResult(handler(request, input))));

    /// <summary>
    /// Registers an operation whose handler waits on something (Lambda's Invoke runs a function). With
    /// <paramref name="rawBody"/> the body is not parsed as JSON: the handler reads <see cref="AwsRequest.Body"/>.
    /// </summary>
    protected void AddOperation(string name, bool mutating, string method, string uriTemplate, Func<AwsRequest, RestJsonInput, Task<RestJsonResult>> handler, bool rawBody = false) =>
        routes.Add(new Route(name, mutating, method, new UriTemplate(uriTemplate), handler) { RawBody = rawBody });

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var path = UriTemplate.Segments(http.Request.Path.Value ?? "/");
        foreach (var route in routes)
        {
            if (route.Method == http.Request.Method && route.Template.TryMatch(path, out var pathParameters))
            {
                var input = new RestJsonInput(pathParameters, http.Request.Query, route.RawBody ? null : ParseBody(body));
                return new AwsOperationCall(route.Name, route.Mutating, async request =>
                {
                    var result = await route.Handler(request, input);
                    var response = request.Http.Response;
                    response.StatusCode = result.StatusCode;
                    response.Headers["x-amzn-RequestId"] = request.RequestId;
                    foreach (var (header, value) in result.Headers)
                    {
                        response.Headers[header] = value;
                    }

                    if (result.RawBody is { } raw)
                    {
                        response.ContentType = "application/json";
                        await response.Body.WriteAsync(raw);
                    }
                    else if (result.StatusCode != StatusCodes.Status204NoContent)
                    {
                        await ResponseBodies.WriteJsonAsync(response, result.Body, "application/json");
                    }
                })
                {
                    Parameter = name => pathParameters.GetValueOrDefault(name)
                        ?? (http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null)
                        ?? input.Body?.GetStringOrNull(name),
                };
            }
        }

        throw new AwsServiceException(404, "UnknownOperationException", $"No operation matches {http.Request.Method} {http.Request.Path}.");
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId) =>
        AwsErrors.WriteAsync(http, Protocol, error, requestId);

    private static JsonElement? ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new AwsServiceException(400, "SerializationException", $"The request body is not valid JSON: {error.Message}");
        }
    }

    private sealed record Route(string Name, bool Mutating, string Method, UriTemplate Template, Func<AwsRequest, RestJsonInput, Task<RestJsonResult>> Handler)
    {
        public bool RawBody { get; init; }
    }
}

/// <summary>The inputs of a REST-JSON request.</summary>
/// <param name="Path">Captured URI segments (already decoded).</param>
/// <param name="Query">The query string.</param>
/// <param name="Body">The JSON body, when there is one.</param>
internal sealed record RestJsonInput(IReadOnlyDictionary<string, string> Path, IQueryCollection Query, JsonElement? Body);

/// <summary>What a REST-JSON operation answers: a status code and an optional JSON body.</summary>
internal sealed record RestJsonResult(int StatusCode, JsonObject? Body)
{
    /// <summary>Response headers the operation sets (Lambda's X-Amz-Function-Error).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A body written as given instead of <see cref="Body"/> (an invoked function's payload).</summary>
    public byte[]? RawBody { get; init; }
}
