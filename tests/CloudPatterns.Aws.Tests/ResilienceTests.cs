using System.Diagnostics;
using Amazon.Runtime;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.Diagnostics;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Aws.Protocol;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

/// <summary>Slow and throttling services (LocalCloud faults): retries happen in the SDK pipeline, cancellation is prompt.</summary>
public sealed class ResilienceTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private readonly LocalCloudFixture cloud;
    private readonly List<AwsCallRecord> calls = new();
    private AwsSession session = null!;

    public ResilienceTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.AwsCallCompleted = calls.Add;
        session = await AwsSession.CreateAsync(settings);
    }

    public async Task DisposeAsync()
    {
        session.Dispose();
        await cloud.ClearFaultsAsync();
    }

    [Fact]
    public async Task CancellingAFanOutAbandonsSlowAwsCallsWithinASecond()
    {
        await cloud.SetFaultAsync(new { service = "backup", operation = "ListBackupVaults", latencyMs = 20_000 });
        IReadOnlyList<FanOutTarget> targets = session.CreateTargets(
            new[] { LocalCloudFixture.ManagementAccountId, LocalCloudFixture.ProductionAccountId },
            new[] { LocalCloudFixture.PrimaryRegion, LocalCloudFixture.DrRegion });
        using var cancellation = new CancellationTokenSource();
        int callsStarted = 0;

        Task drain = Task.Run(async () =>
        {
            await foreach (FanOutItem<int> item in FanOut.RunAsync(
                targets,
                async (target, token) =>
                {
                    AwsTarget clients = await session.GetTargetAsync(target, token);
                    Interlocked.Increment(ref callsStarted);
                    return (await clients.Backup.ListBackupVaultsAsync(new ListBackupVaultsRequest(), token)).BackupVaultList.Count;
                },
                new FanOutOptions { ThrottleLimit = 4 },
                cancellation.Token))
            {
                Assert.Fail("No call can finish before the cancellation: " + item.Target);
            }
        });
        while (Volatile.Read(ref callsStarted) < targets.Count)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
        var stopwatch = Stopwatch.StartNew();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);

        // The calls would never end on their own; the bound proves cancellation reaches them. It is looser than the
        // "about a second" users see, so that a loaded CI machine does not fail it.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ThrottledCallsAreRetriedUntilTheyGetThrough()
    {
        // With three attempts, 20 calls at 30% throttling would fail one in ten runs; the throttling budget makes a
        // failure here a chance of about one in ten thousand.
        await cloud.SetFaultAsync(new { service = "organizations", operation = "ListRoots", throttleRate = 0.3 });
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;
        await cloud.ClearRequestsAsync();
        calls.Clear();

        for (int call = 0; call < 20; call++)
        {
            Assert.NotEmpty((await organizations.ListRootsAsync(new ListRootsRequest())).Roots);
        }

        var requests = (await cloud.RequestsAsync()).Where(r => r.Operation == "ListRoots").ToList();
        Assert.Equal(20, requests.Count(r => r.StatusCode == 200));
        Assert.Equal(requests.Count - 20, calls.Sum(record => record.Retries));
    }

    [Fact]
    public async Task ServerErrorsGetTheTransientBudgetOfTenAttempts()
    {
        await cloud.SetFaultAsync(new { service = "organizations", operation = "ListRoots", errorRate = 1.0, errorCode = "ServiceException", errorStatusCode = 500 });
        OrganizationsClient organizations = (await session.GetTargetAsync(session.CallerAccountId)).Organizations;
        await cloud.ClearRequestsAsync();
        calls.Clear();

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => organizations.ListRootsAsync(new ListRootsRequest()));

        Assert.Equal("ServiceException", error.ErrorCode);
        Assert.Equal(ThrottlingRetryPolicy.MaxThrottledAttempts, (await cloud.RequestsAsync()).Count(r => r.Operation == "ListRoots"));
        Assert.Equal(ThrottlingRetryPolicy.MaxThrottledAttempts - 1, Assert.Single(calls).Retries);
    }
}
