using System.Text.Json;
using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Tests.Fis;

/// <summary>
/// FIS on the sandbox clock and in the state file: a stop condition's alarm going to ALARM stops the experiment when
/// the clock moves, with no FIS call, at the time the alarm changed; the stopped experiment and its template are there
/// again after a restart with the same --state file.
/// </summary>
public sealed class FisClockAndStateTests : IDisposable
{
    private const string Region = "us-east-2";
    private readonly string statePath = Path.Combine(Path.GetTempPath(), $"localcloud-fis-{Guid.NewGuid():N}", "state.json");

    [Fact]
    public async Task A_stop_condition_stops_the_experiment_on_the_clock_and_the_experiment_outlives_a_restart()
    {
        string experimentId, templateId;
        DateTimeOffset alarmed;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath }))
        {
            var state = first.State;
            var account = first.Organization.Accounts.First(candidate => candidate.Name == "production").Id;
            var now = state.Clock.GetUtcNow();
            var role = state.Iam.CreateRole(account, "/", "fis-wait", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"fis.amazonaws.com"},"Action":"sts:AssumeRole"}]}""", null, 3600, [], now);
            state.CloudWatch.PutMetricAlarm(new MetricAlarm
            {
                AlarmName = "drill-errors",
                AlarmArn = $"arn:aws:cloudwatch:{Region}:{account}:alarm:drill-errors",
                AccountId = account,
                Region = Region,
                MetricName = "Errors",
                Namespace = "Drill",
                Statistic = "Sum",
                Period = 60,
                EvaluationPeriods = 1,
                Threshold = 10,
                ComparisonOperator = "GreaterThanThreshold",
                AlarmConfigurationUpdatedTimestamp = now,
            });
            var body = JsonSerializer.SerializeToElement(new
            {
                description = "wait with a stop condition",
                roleArn = role.Arn,
                stopConditions = new[] { new { source = "aws:cloudwatch:alarm", value = $"arn:aws:cloudwatch:{Region}:{account}:alarm:drill-errors" } },
                targets = new { },
                actions = new { Wait = new { actionId = "aws:fis:wait", parameters = new { duration = "PT10M" } } },
            });
            templateId = state.Fis.CreateTemplate(account, Region, body, "clock-test").Id;
            var experiment = state.Fis.Start(account, Region, templateId, new Dictionary<string, string>(), "clock-test");
            experimentId = experiment.Id;
            Assert.Equal("running", experiment.Status);

            using var http = new HttpClient { BaseAddress = first.Url };
            await MoveClockAsync(http, "PT1M");
            state.CloudWatch.PutMetricData(account, Region, "Drill", [("Errors", [], new Datapoint(state.Clock.GetUtcNow(), 1, 50, 50, 50, "Count"))]);
            alarmed = Assert.Single(state.CloudWatch.DescribeAlarms(account, Region).Alarms).StateUpdatedTimestamp;
            // No FIS call from here: the clock's ticks and moves settle the experiment (a tick may do it before the move).
            await MoveClockAsync(http, "PT2M");

            var stopped = Saved(state, experimentId);
            Assert.Equal("stopped", stopped.Status);
            Assert.Equal($"Experiment stopped by stop condition: the alarm arn:aws:cloudwatch:{Region}:{account}:alarm:drill-errors is in ALARM.", stopped.Reason);
            Assert.Equal(alarmed, stopped.End);
            Assert.Equal("stopped", Assert.Single(stopped.Actions).Status);
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });
        var restoredAccount = second.Organization.Accounts.First(candidate => candidate.Name == "production").Id;
        var restored = second.State.Fis.Get(restoredAccount, Region, experimentId);
        Assert.Equal(["stopped", templateId, "Wait:stopped"], [restored.Status, restored.Template.Id, string.Join(",", restored.Actions.Select(run => $"{run.Name}:{run.Status}"))]);
        Assert.Equal(alarmed, restored.End);
        Assert.Equal("PT10M", second.State.Fis.GetTemplate(restoredAccount, Region, templateId).Actions["Wait"].Parameters["duration"]);
    }

    /// <summary>The experiment as the state file would keep it: read without settling it.</summary>
    private static Services.Fis.SavedExperiment Saved(Hosting.LocalCloudState state, string id) => state.Fis.Snapshot().Experiments.Single(experiment => experiment.Id == id);

    private static async Task MoveClockAsync(HttpClient http, string advance)
    {
        using var moved = await http.PostAsync("/_localcloud/clock", new StringContent($$"""{"advance":"{{advance}}"}""", System.Text.Encoding.UTF8, "application/json"));
        moved.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        var directory = Path.GetDirectoryName(statePath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
