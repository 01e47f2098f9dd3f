using System.Net.Http.Json;
using System.Text.Json;
using CloudPatterns.Aws;
using CloudPatterns.LocalCloud;

namespace CloudPatterns.Tests;

/// <summary>A LocalCloud on 127.0.0.1 for one test class, with the management account's settings and the request log.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    public const string ManagementAccountId = "111111111111";
    public const string LogArchiveAccountId = "222222222222";
    public const string ProductionAccountId = "333333333333";
    public const string StagingAccountId = "444444444444";
    public const string DrAccountId = "555555555555";
    public const string PrimaryRegion = "us-east-2";
    public const string DrRegion = "us-west-2";

    /// <summary>Enough generated accounts that listing them all takes more than one page (20).</summary>
    public const int WorkloadAccountCount = 25;

    private readonly HttpClient admin = new();

    public LocalCloudServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await LocalCloudServer.StartAsync(new LocalCloudOptions { WorkloadAccountCount = WorkloadAccountCount });
        admin.BaseAddress = Server.Url;
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The management account's admin user, signing for LocalCloud's endpoint.</summary>
    public AwsConnectionSettings ManagementSettings() => new()
    {
        AccessKey = Server.Organization.ManagementCredentials.AccessKeyId,
        SecretKey = Server.Organization.ManagementCredentials.SecretAccessKey,
        Region = PrimaryRegion,
        EndpointUrl = Server.Url.ToString(),
    };

    public async Task<IReadOnlyList<LoggedRequest>> RequestsAsync()
    {
        var requests = await admin.GetFromJsonAsync<List<LoggedRequest>>("/_localcloud/requests", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return requests!;
    }

    public async Task ClearRequestsAsync() => (await admin.DeleteAsync("/_localcloud/requests")).EnsureSuccessStatusCode();

    /// <summary>Sets a fault rule (<c>PUT /_localcloud/faults</c>): latency, throttling or errors for a service/operation.</summary>
    public async Task SetFaultAsync(object rule) => (await admin.PutAsJsonAsync("/_localcloud/faults", rule)).EnsureSuccessStatusCode();

    public async Task ClearFaultsAsync() => (await admin.DeleteAsync("/_localcloud/faults")).EnsureSuccessStatusCode();

    public sealed record LoggedRequest(string? Service, string? Operation, string? AccountId, string? Region, int StatusCode);
}
