using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>SigV4 verification: the forms clients sign in, and AWS's refusals per protocol.</summary>
public sealed class AuthenticationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly HttpClient http = new();

    [Fact]
    public async Task Unsigned_IsRefusedWithEachProtocolsMissingTokenError()
    {
        var query = await SendAsync(HttpMethod.Post, "/", Form("Action=GetCallerIdentity&Version=2011-06-15"));
        var json = await SendAsync(HttpMethod.Post, "/", OrganizationsCall("ListAccounts"));
        var restJson = await SendAsync(HttpMethod.Get, "/backup-vaults/", null);

        Assert.Equal(HttpStatusCode.Forbidden, query.StatusCode);
        Assert.Equal("MissingAuthenticationToken", QueryErrorCode(await query.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("__type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, restJson.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", restJson.Headers.GetValues("X-Amzn-ErrorType").Single());

        var logged = fixture.Server.State.RequestLog.Snapshot();
        Assert.Contains(logged, entry => entry is { Service: "backup", Operation: "ListBackupVaults", StatusCode: 403, AccountId: null });
    }

    [Fact]
    public async Task MalformedAuthorizationHeader_IsIncompleteSignature()
    {
        var request = Form("Action=GetCallerIdentity&Version=2011-06-15");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIALC111111111111AD/20260101/us-east-2/sts/aws4_request");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");

        var response = await SendAsync(HttpMethod.Post, "/", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("IncompleteSignature", QueryErrorCode(body));
        Assert.Contains("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3SigningVariants_AreAcceptedOrRefusedAsAwsDoes()
    {
        var results = await AwsClients.RunBoto3Async(fixture.Server, fixture.Management, "auth-variants");

        foreach (var accepted in new[] { "Presigned", "UnsignedPayload", "StreamingPayload", "HexPayload" })
        {
            var result = results.GetProperty(accepted);
            Assert.True(result.GetProperty("status").GetInt32() == 200, $"{accepted}: {result.GetProperty("body").GetString()}");
            Assert.Equal("111111111111", XDocument.Parse(result.GetProperty("body").GetString()!).Descendants(Sts + "Account").Single().Value);
        }

        var wrongHash = results.GetProperty("WrongHexPayload");
        Assert.Equal(403, wrongHash.GetProperty("status").GetInt32());
        Assert.Equal("SignatureDoesNotMatch", QueryErrorCode(wrongHash.GetProperty("body").GetString()!));
        var s3Refusal = results.GetProperty("S3WrongSecretWithSessionToken");
        Assert.Equal("SignatureDoesNotMatch", s3Refusal.GetProperty("error").GetString());
        Assert.True(s3Refusal.GetProperty("canonicalRequestLength").GetInt32() > 0);
        Assert.False(s3Refusal.GetProperty("canonicalRequestHasToken").GetBoolean(), "The S3 refusal echoed the session token.");
        var skewed = results.GetProperty("Skewed");
        Assert.Equal(("SignatureDoesNotMatch", 403), (skewed.GetProperty("error").GetString(), skewed.GetProperty("status").GetInt32()));
        Assert.StartsWith("Signature expired: ", skewed.GetProperty("message").GetString());
        Assert.EndsWith(" - 15 min.)", skewed.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AwsSdkForDotNet_SignsRequestsLocalCloudAccepts()
    {
        using var client = StsClient(new BasicAWSCredentials(fixture.Management.AccessKeyId, fixture.Management.SecretAccessKey));

        var assumed = await client.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::444444444444:role/CloudPatternsExecution",
            RoleSessionName = "dotnet-sdk",
            ExternalId = fixture.Organization.ExecutionRoleExternalId,
        });
        using var roleClient = StsClient(new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken));
        var identity = await roleClient.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:sts::444444444444:assumed-role/CloudPatternsExecution/dotnet-sdk", identity.Arn);
        Assert.Equal("444444444444", identity.Account);
    }

    [Fact]
    public async Task SessionTokenOfAnotherSession_IsRefused()
    {
        using var client = StsClient(new BasicAWSCredentials(fixture.Management.AccessKeyId, fixture.Management.SecretAccessKey));
        var request = new AssumeRoleRequest { RoleArn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName = "one" };
        var first = (await client.AssumeRoleAsync(request)).Credentials;
        var second = (await client.AssumeRoleAsync(request)).Credentials;
        using var mixed = StsClient(new SessionAWSCredentials(first.AccessKeyId, first.SecretAccessKey, second.SessionToken));

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => mixed.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal(("InvalidClientTokenId", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    public void Dispose() => http.Dispose();

    private AmazonSecurityTokenServiceClient StsClient(AWSCredentials credentials) => new(credentials, new AmazonSecurityTokenServiceConfig
    {
        ServiceURL = fixture.Server.Url.ToString(),
        AuthenticationRegion = fixture.Organization.PrimaryRegion,
        MaxErrorRetry = 0,
    });

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpRequestMessage? template)
    {
        var request = template ?? new HttpRequestMessage();
        request.Method = method;
        request.RequestUri = new Uri(fixture.Server.Url, path);
        return await http.SendAsync(request);
    }

    private static HttpRequestMessage Form(string body) =>
        new() { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };

    private static HttpRequestMessage OrganizationsCall(string operation)
    {
        var request = new HttpRequestMessage { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"AWSOrganizationsV20161128.{operation}");
        return request;
    }

    private static string QueryErrorCode(string body) => XDocument.Parse(body).Descendants(Sts + "Code").Single().Value;
}
