using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CloudPatterns.LocalCloud.Admin;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>The admin API: health, the organization, fault injection and the request log.</summary>
public sealed class AdminApiTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient http = new();
    private LocalCloudServer? server;

    private LocalCloudServer Server => server!;

    public async Task InitializeAsync()
    {
        server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        http.BaseAddress = Server.Url;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task HealthAndOrganization_DescribeTheSandbox()
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/_localcloud/health");
        var organization = await http.GetFromJsonAsync<JsonElement>("/_localcloud/org");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("o-lc0example01", organization.GetProperty("id").GetString());
        Assert.Equal("AKIALC111111111111AD", organization.GetProperty("managementCredentials").GetProperty("accessKeyId").GetString());
        Assert.Equal(Server.Organization.ManagementCredentials.SecretAccessKey, organization.GetProperty("managementCredentials").GetProperty("secretAccessKey").GetString());
        Assert.Equal("cloudpatterns-sandbox", organization.GetProperty("executionRoleExternalId").GetString());
        Assert.Equal(["us-east-2", "us-west-2"], organization.GetProperty("regions").EnumerateArray().Select(region => region.GetString()));
        Assert.Equal(5, organization.GetProperty("accounts").GetArrayLength());
        Assert.Equal("/Workloads", organization.GetProperty("accounts")[2].GetProperty("organizationalUnitPath").GetString());
    }

    [Fact]
    public async Task ThrottleFault_AnswersWithTheServicesThrottlingCode()
    {
        await PutFaultAsync(new { service = "sts", operation = "GetCallerIdentity", throttleRate = 1.0 });
        await PutFaultAsync(new { service = "organizations", throttleRate = 1.0 });
        using var sts = StsClient();

        var stsError = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        var organizations = await AwsClients.RunCliAsync(AwsCli.V1, Server, AwsCredentials.Of(Server.Organization.ManagementCredentials), "organizations", "list-accounts");
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName = "unthrottled" });

        Assert.Equal(("Throttling", HttpStatusCode.BadRequest, "Rate exceeded"), (stsError.ErrorCode, stsError.StatusCode, stsError.Message));
        Assert.Equal("TooManyRequestsException", organizations.ErrorCode);
        Assert.NotNull(assumed.Credentials.AccessKeyId);
    }

    [Fact]
    public async Task ErrorAndLatencyFaults_ApplyUntilCleared()
    {
        await PutFaultAsync(new { service = "sts", errorRate = 1.0, errorCode = "ServiceUnavailable", errorStatusCode = 503 });
        await PutFaultAsync(new { service = "sts", operation = "AssumeRole", latencyMs = 300 });
        using var sts = StsClient();

        var failed = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName = "slow" });
        var cleared = await http.DeleteAsync("/_localcloud/faults");
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal(("ServiceUnavailable", HttpStatusCode.ServiceUnavailable), (failed.ErrorCode, failed.StatusCode));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal("111111111111", identity.Account);
        var slow = Server.State.RequestLog.Snapshot().Single(entry => entry.Operation == "AssumeRole");
        Assert.True(slow.DurationMs >= 300, $"AssumeRole took {slow.DurationMs} ms despite 300 ms injected latency.");
    }

    [Fact]
    public async Task ServerErrorFaults_CarryAwsStatusAndMessage_ThroughBoto3AndBothClis()
    {
        // Only the error code is given, as Set-CloudSandboxFault sends it: the status comes from the code.
        await PutFaultAsync(new { service = "sts", errorRate = 1.0, errorCode = "InternalFailure" });
        await PutFaultAsync(new { service = "s3", errorRate = 1.0, errorCode = "SlowDown" });
        await PutFaultAsync(new { service = "backup", errorRate = 1.0, errorCode = "ServiceUnavailableException" });
        await PutFaultAsync(new { service = "organizations", errorRate = 1.0, errorCode = "ServiceUnavailable" });
        await PutFaultAsync(new { service = "kms", errorRate = 1.0, errorCode = "KMSInternalException" });
        var management = AwsCredentials.Of(Server.Organization.ManagementCredentials);

        var boto3 = await AwsClients.RunBoto3Async(Server, management, "server-errors");
        var cliV1 = await AwsClients.RunCliAsync(AwsCli.V1, Server, management, "sts", "get-caller-identity");
        var cliV2 = await AwsClients.RunCliAsync(AwsCli.V2, Server, management, "s3api", "list-buckets");

        Assert.Equal(("InternalFailure", 500), Error(boto3, "GetCallerIdentity"));
        Assert.Equal("The request processing has failed because of an unknown error, exception or failure.", boto3.GetProperty("GetCallerIdentity").GetProperty("message").GetString());
        Assert.Equal(("SlowDown", 503), Error(boto3, "ListBuckets"));
        Assert.Equal(("ServiceUnavailableException", 500), Error(boto3, "ListBackupVaults"));
        Assert.Equal(("ServiceUnavailable", 503), Error(boto3, "ListAccounts"));
        Assert.Equal(("KMSInternalException", 500), Error(boto3, "ListAliases"));
        Assert.Equal(("InternalFailure", "SlowDown"), (cliV1.ErrorCode, cliV2.ErrorCode));
        var cliCalls = Server.State.RequestLog.Snapshot().Where(entry => entry.Operation is "GetCallerIdentity" or "ListBuckets").ToList();
        Assert.Contains(cliCalls, entry => entry.Operation == "GetCallerIdentity" && entry.StatusCode == 500);
        Assert.Contains(cliCalls, entry => entry.Operation == "ListBuckets" && entry.StatusCode == 503);
        Assert.DoesNotContain(cliCalls, entry => entry.StatusCode < 500);
    }

    [Fact]
    public async Task S3Throttling_IsSlowDown503()
    {
        await PutFaultAsync(new { service = "s3", throttleRate = 1.0 });

        var boto3 = await AwsClients.RunBoto3Async(Server, AwsCredentials.Of(Server.Organization.ManagementCredentials), "server-errors");

        Assert.Equal(("SlowDown", 503), Error(boto3, "ListBuckets"));
    }

    [Fact]
    public async Task InvalidFault_IsRefused()
    {
        var response = await http.PutAsJsonAsync("/_localcloud/faults", new { throttleRate = 2.0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/faults") ?? []);
    }

    [Fact]
    public async Task RequestLog_RecordsEachCallWithItsCallerAndMutatingFlag()
    {
        var management = AwsCredentials.Of(Server.Organization.ManagementCredentials);
        await Task.WhenAll(
            AwsClients.RunCliAsync(AwsCli.V1, Server, management, "backup", "create-backup-vault", "--backup-vault-name", "logged"),
            AwsClients.RunCliAsync(AwsCli.V1, Server, AwsCredentials.Of(Server.Organization.FindAccount("555555555555")!.Admin), "sts", "get-caller-identity", "--region", "us-west-2"));

        var entries = await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests");
        var counts = await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests/counts");
        var status = await http.GetFromJsonAsync<JsonElement>("/_localcloud/requests/status");
        var cleared = await http.DeleteAsync("/_localcloud/requests");
        var afterClear = await http.GetFromJsonAsync<JsonElement[]>("/_localcloud/requests");

        var create = entries!.Single(entry => entry.GetProperty("operation").GetString() == "CreateBackupVault");
        Assert.Equal(("backup", "111111111111", "us-east-2", 200, true), Describe(create));
        var identity = entries!.Single(entry => entry.GetProperty("operation").GetString() == "GetCallerIdentity");
        Assert.Equal(("sts", "555555555555", "us-west-2", 200, false), Describe(identity));
        Assert.True(identity.GetProperty("time").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.Contains(counts!, count => count.GetProperty("operation").GetString() == "CreateBackupVault" && count.GetProperty("count").GetInt32() == 1 && count.GetProperty("mutating").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(afterClear!);
        Assert.Equal((RequestLog.DefaultCapacity, entries!.Length, 0L),
            (status.GetProperty("capacity").GetInt32(), status.GetProperty("held").GetInt32(), status.GetProperty("dropped").GetInt64()));
    }

    [Fact]
    public void TheRequestLogKeepsTheNewestEntriesUpToItsSizeAndCountsWhatItDrops()
    {
        var log = new RequestLog(3);
        foreach (var number in Enumerable.Range(1, 5))
        {
            log.Add(new RequestLogEntry("sts", $"Call{number}", null, null, null, 200, false, 0, DateTimeOffset.UnixEpoch));
        }

        Assert.Equal(["Call3", "Call4", "Call5"], log.Snapshot().Select(entry => entry.Operation));
        Assert.Equal(new RequestLogStatus(3, 3, 2), log.Status());
        Assert.All(log.Counts(), count => Assert.Equal(1, count.Count));
        log.Clear();
        Assert.Equal(new RequestLogStatus(3, 0, 0), log.Status());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestLog(0));
    }

    private static (string?, string?, string?, int, bool) Describe(JsonElement entry) => (
        entry.GetProperty("service").GetString(),
        entry.GetProperty("accountId").GetString(),
        entry.GetProperty("region").GetString(),
        entry.GetProperty("statusCode").GetInt32(),
        entry.GetProperty("mutating").GetBoolean());

    private static (string?, int) Error(JsonElement results, string operation)
    {
        var error = results.GetProperty(operation);
        return (error.GetProperty("error").GetString(), error.GetProperty("status").GetInt32());
    }

    private async Task PutFaultAsync(object fault)
    {
        var response = await http.PutAsJsonAsync("/_localcloud/faults", fault);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private AmazonSecurityTokenServiceClient StsClient()
    {
        var key = Server.Organization.ManagementCredentials;
        return new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = Server.Url.ToString(),
            AuthenticationRegion = Server.Organization.PrimaryRegion,
            MaxErrorRetry = 0,
        });
    }
}
