using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// Base of services that speak JSON 1.0 with the <c>awsQueryCompatible</c> trait and still accept the Query
/// protocol of their older models (CloudWatch: botocore 1.36+ sends JSON 1.0, the AWS CLI v2 of this machine sends
/// Query). Handlers see one input tree and return one output tree; this class reads and writes both wire forms.
/// In the trees, Query lists (<c>Name.member.N</c>) are JSON arrays, Query values are strings, and timestamps in
/// outputs are <see cref="DateTimeOffset"/> values (epoch seconds in JSON, ISO 8601 in XML).
/// </summary>
internal abstract class QueryCompatibleJsonService(string signingName, string targetPrefix, string version, string xmlNamespace) : IAwsService
{
    private const string JsonContentType = "application/x-amz-json-1.0";
    private readonly Dictionary<string, (bool Mutating, Func<AwsRequest, ProtocolInput, JsonObject> Handler)> operations = new(StringComparer.Ordinal);
    private readonly XNamespace ns = xmlNamespace;

    public string SigningName { get; } = signingName;

    /// <summary>Query, because that is how errors and unsigned requests are identified for the older clients.</summary>
    public AwsProtocol Protocol => AwsProtocol.Query;

    public string ThrottlingErrorCode => "Throttling";

    public IReadOnlyCollection<string> OperationNames => operations.Keys;

    protected void AddOperation(string name, bool mutating, Func<AwsRequest, ProtocolInput, JsonObject> handler) =>
        operations.Add(name, (mutating, handler));

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        return target.Length > 0 ? ResolveJson(target, body) : ResolveQuery(http, body);
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId)
    {
        if (!http.Request.Headers.ContainsKey("X-Amz-Target"))
        {
            return AwsErrors.WriteAsync(http, AwsProtocol.Query, error, requestId, ns.NamespaceName);
        }

        // awsQueryCompatible clients take the Query error code from this header.
        http.Response.Headers["x-amzn-query-error"] = $"{error.Code};{(error.StatusCode >= 500 ? "Receiver" : "Sender")}";
        return AwsErrors.WriteAsync(http, AwsProtocol.Json, error, requestId);
    }

    private AwsOperationCall ResolveJson(string target, byte[] body)
    {
        var separator = target.IndexOf('.', StringComparison.Ordinal);
        var name = separator < 0 ? "" : target[(separator + 1)..];
        if (separator < 0 || target[..separator] != targetPrefix || !operations.TryGetValue(name, out var operation))
        {
            throw new AwsServiceException(400, "UnknownOperationException", $"Unknown operation {target}");
        }

        JsonObject input;
        try
        {
            input = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException error)
        {
            throw new AwsServiceException(400, "SerializationException", $"The request body is not a valid JSON object: {error.Message}");
        }

        return new AwsOperationCall(name, operation.Mutating, async request =>
        {
            var output = operation.Handler(request, new ProtocolInput(input));
            request.Http.Response.Headers["x-amzn-RequestId"] = request.RequestId;
            request.Http.Response.ContentType = JsonContentType;
            await using var writer = new Utf8JsonWriter(request.Http.Response.Body);
            WriteJson(writer, output);
        })
        {
            Parameter = name => input[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null,
        };
    }

    private AwsOperationCall ResolveQuery(HttpContext http, byte[] body)
    {
        var parameters = QueryParameters.Parse(http.Request, body);
        var action = parameters.Get("Action")
            ?? throw new AwsServiceException(400, "MissingAction", "Could not find the Action parameter.");
        var requestedVersion = parameters.Get("Version");
        if (!operations.TryGetValue(action, out var operation) || (requestedVersion is not null && requestedVersion != version))
        {
            throw new AwsServiceException(400, "InvalidAction", $"Could not find operation {action} for version {requestedVersion ?? "NO_VERSION_SPECIFIED"}");
        }

        var input = QueryTree(parameters);
        return new AwsOperationCall(action, operation.Mutating, request =>
        {
            var output = operation.Handler(request, new ProtocolInput(input));
            request.Http.Response.Headers["x-amzn-RequestId"] = request.RequestId;
            return ResponseBodies.WriteXmlAsync(request.Http.Response, new XElement(
                ns + $"{action}Response",
                new XElement(ns + $"{action}Result", Xml(output)),
                new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", request.RequestId))));
        })
        {
            Parameter = parameters.Get,
        };
    }

    /// <summary>Query parameters as a tree: <c>A.member.2.B=x</c> becomes <c>{"A":[…, {"B":"x"}]}</c>.</summary>
    internal static JsonObject QueryTree(QueryParameters parameters)
    {
        var root = new JsonObject();
        foreach (var (name, value) in parameters.All.Where(pair => pair.Key is not ("Action" or "Version")))
        {
            var segments = name.Split('.');
            JsonNode container = root;
            for (var index = 0; index < segments.Length; index++)
            {
                var last = index == segments.Length - 1;
                if (container is JsonObject structure && last)
                {
                    structure[segments[index]] = value;
                }
                else if (container is JsonObject parent)
                {
                    var listFollows = segments[index + 1] == "member";
                    container = parent[segments[index]] ??= listFollows ? new JsonArray() : new JsonObject();
                    index += listFollows ? 1 : 0;
                }
                else if (container is JsonArray list && int.TryParse(segments[index], NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position is >= 1 and <= 1000)
                {
                    while (list.Count < position)
                    {
                        list.Add(null);
                    }

                    if (last)
                    {
                        list[position - 1] = value;
                    }
                    else
                    {
                        container = list[position - 1] ??= new JsonObject();
                    }
                }
                else
                {
                    throw new AwsServiceException(400, "InvalidParameterValue", $"The parameter {name} is not valid.");
                }
            }
        }

        return root;
    }

    private static void WriteJson(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, child) in obj)
                {
                    writer.WritePropertyName(name);
                    WriteJson(writer, child);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value when value.TryGetValue<DateTimeOffset>(out var time):
                writer.WriteNumberValue(time.ToUnixTimeMilliseconds() / 1000.0);
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private IEnumerable<XElement> Xml(JsonObject obj) => obj
        .Where(pair => pair.Value is not null)
        .Select(pair => new XElement(ns + pair.Key, XmlContent(pair.Value!)));

    private object XmlContent(JsonNode node) => node switch
    {
        JsonObject obj => Xml(obj),
        JsonArray array => array.Select(item => new XElement(ns + "member", item is null ? null : XmlContent(item))),
        JsonValue value when value.TryGetValue<DateTimeOffset>(out var time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
        JsonValue value when value.TryGetValue<double>(out var number) => number.ToString("R", CultureInfo.InvariantCulture),
        _ => node.GetValue<object>().ToString() ?? "",
    };
}

/// <summary>
/// A request's input tree, read the same way whichever protocol carried it: JSON values are typed, Query values
/// are strings, so every accessor accepts both.
/// </summary>
internal sealed class ProtocolInput(JsonObject node)
{
    public string? String(string name) => node[name] is JsonValue value ? value.ToString() : null;

    public double? Double(string name) => node[name] is JsonValue value ? ToDouble(value, name) : null;

    public int? Int(string name) => node[name] is JsonValue value ? (int)ToDouble(value, name) : null;

    public bool? Bool(string name) => node[name] switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when bool.TryParse(value.ToString(), out var flag) => flag,
        null => null,
        _ => throw Invalid(name),
    };

    /// <summary>Epoch seconds (JSON) or ISO 8601 (Query).</summary>
    public DateTimeOffset? Time(string name) => node[name] switch
    {
        JsonValue value when value.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        JsonValue value when DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => time,
        JsonValue value when double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        null => null,
        _ => throw Invalid(name),
    };

    public ProtocolInput? Structure(string name) => node[name] is JsonObject child ? new ProtocolInput(child) : null;

    public IReadOnlyList<ProtocolInput> List(string name) =>
        (node[name] as JsonArray ?? []).OfType<JsonObject>().Select(item => new ProtocolInput(item)).ToList();

    public IReadOnlyList<string> Strings(string name) =>
        (node[name] as JsonArray ?? []).OfType<JsonValue>().Select(item => item.ToString()).ToList();

    public IReadOnlyList<double> Doubles(string name) =>
        (node[name] as JsonArray ?? []).OfType<JsonValue>().Select(item => ToDouble(item, name)).ToList();

    private static double ToDouble(JsonValue value, string name) =>
        value.TryGetValue<double>(out var number) ? number
        : double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) ? number
        : throw Invalid(name);

    private static AwsServiceException Invalid(string name) =>
        new(400, "InvalidParameterValue", $"The value for parameter {name} is not valid.");
}
