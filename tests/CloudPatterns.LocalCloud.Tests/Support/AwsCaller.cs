using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace CloudPatterns.LocalCloud.Tests.Support;

/// <summary>
/// Calls LocalCloud as one seed account in one region (its admin user, or other credentials of that account), signed
/// with SigV4 by AWSSDK.Core's signing handler: REST-JSON (Backup), JSON (KMS, DynamoDB, Organizations) and Query (IAM)
/// requests, answered as status, AWS error type and JSON body (Query answers carry the raw XML under "xml").
/// </summary>
public sealed class AwsCaller(Uri endpoint, SeedAccount account, string region, AWSCredentials? credentials = null)
{
    /// <summary>AWS member names are PascalCase: serialize anonymous objects without a naming policy.</summary>
    private static readonly JsonSerializerOptions AwsNames = new();

    public SeedAccount Account { get; } = account;

    public string Region { get; } = region;

    /// <summary>A Backup (REST-JSON) request; <paramref name="path"/> is the operation's URI with its labels filled in.</summary>
    public Task<AwsAnswer> BackupAsync(HttpMethod method, string path, object? body = null) => RestJsonAsync("backup", method, path, body);

    /// <summary>A REST-JSON request (Backup, RAM); <paramref name="path"/> is the operation's URI with its labels filled in.</summary>
    public Task<AwsAnswer> RestJsonAsync(string service, HttpMethod method, string path, object? body = null) =>
        SendAsync(service, new HttpRequestMessage(method, new Uri(endpoint, path))
        {
            Content = body is null ? null : JsonContent.Create(body, options: AwsNames),
        });

    /// <summary>The same account and region, signing with other credentials (a role session).</summary>
    public AwsCaller With(AWSCredentials sessionCredentials) => new(endpoint, Account, Region, sessionCredentials);

    /// <summary>A Query-protocol request (IAM, STS, SNS): Action, Version and the parameters, form-encoded.</summary>
    public Task<AwsAnswer> QueryAsync(string service, string action, string version, IReadOnlyDictionary<string, string> parameters) =>
        SendAsync(service, new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(parameters.Append(new("Action", action)).Append(new("Version", version))),
        });

    /// <summary>A REST-XML request (Route 53): <paramref name="path"/> is the operation's URI, <paramref name="xml"/> its body.</summary>
    public Task<AwsAnswer> RestXmlAsync(string service, HttpMethod method, string path, string? xml = null) =>
        SendAsync(service, new HttpRequestMessage(method, new Uri(endpoint, path))
        {
            Content = xml is null ? null : new StringContent(xml, System.Text.Encoding.UTF8, "text/xml"),
        });

    /// <summary>A JSON-protocol request (KMS: TrentService, DynamoDB: DynamoDB_20120810).</summary>
    public Task<AwsAnswer> JsonAsync(string service, string target, object body)
    {
        var content = JsonContent.Create(body, options: AwsNames);
        content.Headers.ContentType = new("application/x-amz-json-1.1");
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Add("X-Amz-Target", target);
        return SendAsync(service, request);
    }

    private async Task<AwsAnswer> SendAsync(string service, HttpRequestMessage request)
    {
        using var signer = new SigV4SigningHandler(
            credentials ?? new BasicAWSCredentials(Account.Admin.AccessKeyId, Account.Admin.SecretAccessKey),
            RegionEndpoint.GetBySystemName(Region),
            service,
            new HttpClientHandler());
        using var http = new HttpClient(signer, disposeHandler: false);
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length == 0 ? null : text.StartsWith('<') ? new JsonObject { ["xml"] = text } : JsonNode.Parse(text);
            var errorType = response.Headers.TryGetValues("X-Amzn-ErrorType", out var values)
                ? values.First()
                : body?["xml"] is { } xml && !response.IsSuccessStatusCode
                    ? System.Xml.Linq.XDocument.Parse(xml.GetValue<string>()).Descendants().FirstOrDefault(element => element.Name.LocalName == "Code")?.Value
                    : body?["__type"]?.GetValue<string>();
            return new AwsAnswer(response.StatusCode, errorType, body);
        }
    }
}

/// <summary>An AWS answer: HTTP status, the error type clients read (null on success), and the JSON body.</summary>
public sealed record AwsAnswer(HttpStatusCode Status, string? ErrorType, JsonNode? Body)
{
    /// <summary>The body of a successful answer; fails the test with the error otherwise.</summary>
    public JsonNode Ok() => Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent
        ? Body ?? new JsonObject()
        : throw new Xunit.Sdk.XunitException($"Expected success, got {(int)Status} {ErrorType}: {Body?.ToJsonString()}");

    public string? Message => Body?["Message"]?.GetValue<string>() ?? Body?["message"]?.GetValue<string>();
}
