namespace CloudPatterns.LocalCloud.Tests;

/// <summary>A LocalCloud server with the default seed, one per test class so classes run in parallel without sharing state.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    private LocalCloudServer? server;

    public LocalCloudServer Server => server ?? throw new InvalidOperationException("The server has not started.");

    public SeedOrganization Organization => Server.Organization;

    internal AwsCredentials Management => AwsCredentials.Of(Organization.ManagementCredentials);

    internal AwsCredentials AdminOf(string accountId) => AwsCredentials.Of(Organization.FindAccount(accountId)!.Admin);

    public async Task InitializeAsync() => server = await LocalCloudServer.StartAsync(new LocalCloudOptions());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
