namespace CloudPatterns.LocalCloud.Tests.Support;

/// <summary>One LocalCloud with the default seed for a test class; its state is shared by the class's tests.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    private LocalCloudServer? server;

    public LocalCloudServer Server => server ?? throw new InvalidOperationException("LocalCloud has not started.");

    public async Task InitializeAsync() => server = await LocalCloudServer.StartAsync(new LocalCloudOptions());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A SigV4-signing caller with the admin key of the named seed account, in a region.</summary>
    public AwsCaller As(string accountName, string region = "us-east-2") =>
        new(Server.Url, Server.Organization.Accounts.Single(account => account.Name == accountName), region);

    /// <summary>Moves the simulated clock forward; returns once due rules and jobs have run.</summary>
    public async Task AdvanceClockAsync(string isoDuration)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Server.Url, "/_localcloud/clock"), new StringContent($$"""{"advance":"{{isoDuration}}"}"""));
        response.EnsureSuccessStatusCode();
    }
}
