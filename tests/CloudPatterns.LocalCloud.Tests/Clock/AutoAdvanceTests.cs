using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Backup;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Clock;

/// <summary>
/// Auto-advance on a running LocalCloud: a backup job started over SigV4 completes without anyone moving the clock,
/// the clock lands on its completion time rather than beyond it, and moving the clock through the admin API turns
/// auto-advance off.
/// </summary>
public sealed class AutoAdvanceTests
{
    [Fact]
    public async Task An_idle_LocalCloud_skips_to_each_pending_job_transition_and_no_further()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { AutoAdvance = true });
        var production = server.As("production");
        await production.CreateVaultAsync("skipping");
        var started = (await production.BackupAsync(HttpMethod.Put, "/backup-jobs", new Dictionary<string, object>
        {
            ["BackupVaultName"] = "skipping",
            ["ResourceArn"] = production.TableArn(),
            ["IamRoleArn"] = production.RoleArn(),
        })).Ok();
        var created = started["CreationDate"]!.GetValue<double>();

        // Watch the state in process (no request, which would keep LocalCloud busy) until no job is pending.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.State.Backup.NextPendingJobTime(server.Clock.GetUtcNow()) is not null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The backup job was still pending after 60 real seconds.");
            await Task.Delay(50);
        }

        var job = (await production.BackupAsync(HttpMethod.Get, $"/backup-jobs/{started["BackupJobId"]}")).Ok();
        Assert.Equal("COMPLETED", job["State"]!.GetValue<string>());
        var completed = DateTimeOffset.FromUnixTimeMilliseconds((long)(job["CompletionDate"]!.GetValue<double>() * 1000));
        Assert.Equal(TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(Math.Round(job["CompletionDate"]!.GetValue<double>() - created)));
        // Nothing is pending now, so the clock ran on in real time only: it is past the completion by the real
        // seconds since (well under the five simulated minutes another skip would add), not by a skip.
        Assert.InRange(server.Clock.GetUtcNow() - completed, TimeSpan.Zero, waited.Elapsed + TimeSpan.FromSeconds(5));

        using var admin = new HttpClient { BaseAddress = server.Url };
        Assert.True((await admin.GetFromJsonAsync<JsonObject>("/_localcloud/clock"))!["autoAdvance"]!.GetValue<bool>());
        await server.AdvanceClockAsync("PT1M");
        Assert.False((await admin.GetFromJsonAsync<JsonObject>("/_localcloud/clock"))!["autoAdvance"]!.GetValue<bool>());
    }

    /// <summary>
    /// A custom resource's timeout is a pending job, but its provider's Event invocation is work in progress: while the
    /// function runs (four seconds asleep, no request reaches LocalCloud), the clock must not skip to the timeout an hour
    /// away (python/slow_provider_client.py).
    /// </summary>
    [Fact]
    public async Task A_running_custom_resource_provider_keeps_the_clock_from_skipping_to_its_timeout()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { AutoAdvance = true });
        var production = server.Organization.Accounts.Single(account => account.Name == "production");
        var results = await AwsClients.RunPythonScriptAsync(server, AwsCredentials.Of(production.Admin), TimeSpan.FromMinutes(4), "slow_provider_client.py");

        Assert.Empty(results.GetProperty("Reasons").EnumerateArray());
        Assert.Equal("CREATE_COMPLETE", results.Text("Status"));
        Assert.Equal("4s", results.Text("Outputs", "Worked"));
        Assert.InRange(results.GetProperty("SimulatedSeconds").GetDouble(), 4, 600);
    }

    [Fact]
    public async Task Without_auto_advance_a_pending_job_waits_for_its_simulated_time()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        var production = server.As("production");
        await production.CreateVaultAsync("waiting");
        await production.StartTableBackupAsync("waiting");
        var pending = server.State.Backup.NextPendingJobTime(server.Clock.GetUtcNow());

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.NotNull(pending);
        Assert.Equal(pending, server.State.Backup.NextPendingJobTime(server.Clock.GetUtcNow()));
        Assert.True(server.Clock.GetUtcNow() < pending);
    }
}
