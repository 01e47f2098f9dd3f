using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// Base of Query-protocol services: form-encoded <c>Action=…&amp;Version=…</c> requests, answered with
/// <c>&lt;ActionResponse&gt;&lt;ActionResult&gt;…&lt;/ActionResult&gt;&lt;ResponseMetadata/&gt;</c>.
/// </summary>
internal abstract class QueryService(string signingName, string version, string xmlNamespace) : IAwsService
{
    private readonly Dictionary<string, (bool Mutating, Func<AwsRequest, QueryParameters, IEnumerable<XElement>> Handler)> operations =
        new(StringComparer.Ordinal);

    public string SigningName { get; } = signingName;

    public AwsProtocol Protocol => AwsProtocol.Query;

    public IReadOnlyCollection<string> OperationNames => operations.Keys;

    public string ThrottlingErrorCode => "Throttling";

    protected XNamespace Namespace { get; } = xmlNamespace;

    /// <summary>Registers an operation; the handler returns the children of &lt;ActionResult&gt;.</summary>
    protected void AddOperation(string action, bool mutating, Func<AwsRequest, QueryParameters, IEnumerable<XElement>> handler) =>
        operations.Add(action, (mutating, handler));

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var parameters = QueryParameters.Parse(http.Request, body);
        var action = parameters.Get("Action")
            ?? throw new AwsServiceException(400, "MissingAction", "Could not find the Action parameter.");
        var requestedVersion = parameters.Get("Version");
        if (!operations.TryGetValue(action, out var operation) || (requestedVersion is not null && requestedVersion != version))
        {
            throw new AwsServiceException(400, "InvalidAction", $"Could not find operation {action} for version {requestedVersion ?? "NO_VERSION_SPECIFIED"}");
        }

        return new AwsOperationCall(action, operation.Mutating, request => ResponseBodies.WriteXmlAsync(
            request.Http.Response,
            new XElement(
                Namespace + $"{action}Response",
                new XElement(Namespace + $"{action}Result", operation.Handler(request, parameters)),
                new XElement(Namespace + "ResponseMetadata", new XElement(Namespace + "RequestId", request.RequestId)))))
        {
            Parameter = parameters.Get,
        };
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId) =>
        AwsErrors.WriteAsync(http, Protocol, error, requestId, Namespace.NamespaceName);

    /// <summary>An element in the service's namespace.</summary>
    protected XElement Element(string name, object? content) => new(Namespace + name, content);

    /// <summary>Query responses carry ISO 8601 timestamps.</summary>
    protected static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The parameters of a Query request (form body, or the URL query of a GET).</summary>
internal sealed class QueryParameters
{
    private readonly Dictionary<string, StringValues> values;

    private QueryParameters(Dictionary<string, StringValues> values) => this.values = values;

    public static QueryParameters Parse(HttpRequest request, byte[] body)
    {
        var values = QueryHelpers.ParseQuery(request.QueryString.Value);
        if (body.Length > 0)
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                values[name] = value;
            }
        }

        return new QueryParameters(values);
    }

    public string? Get(string name) => values.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Every parameter by its flattened name.</summary>
    public IEnumerable<KeyValuePair<string, string>> All => values.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.ToString()));

    /// <summary>A list parameter in Query form: <c>Name.member.1</c>, <c>Name.member.2</c>, ….</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var items = new List<string>();
        for (var index = 1; Get($"{name}.member.{index}") is { } item; index++)
        {
            items.Add(item);
        }

        return items;
    }
}
