using CloudPatterns.Aws;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>
/// Tests that act in LocalCloud's production account as the management account's session does (SigV4 over HTTP):
/// one session per test class instance, its target the production account.
/// </summary>
public abstract class ProductionTargetTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private AwsSession session = null!;

    protected LocalCloudFixture Cloud { get; } = cloud;

    protected AwsTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        session = await AwsSession.CreateAsync(Cloud.ManagementSettings());
        Target = await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId);
    }

    /// <summary>Another account's target through the same session (the DR account, for a failover's far side).</summary>
    protected Task<AwsTarget> TargetOfAsync(string accountId, string region) => session.GetTargetAsync(accountId, region);

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }
}
