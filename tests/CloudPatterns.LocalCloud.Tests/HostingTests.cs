using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>Starting LocalCloud in-process and from the command line.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task StartAsync_ListensOnLoopbackOnAFreePort()
    {
        await using var first = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions());

        Assert.Equal("127.0.0.1", first.Url.Host);
        Assert.NotEqual(first.Url.Port, second.Url.Port);
    }

    [Fact]
    public async Task CommandLine_PrintsTheUrlServesAndStopsOnSigterm()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "CloudPatterns.LocalCloud.dll"), "--port", "0", "--workload-accounts", "3" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Matches(@"^LocalCloud listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line!["LocalCloud listening on ".Length..]) };
            var organization = await http.GetFromJsonAsync<JsonElement>("/_localcloud/org");
            Assert.Equal(8, organization.GetProperty("accounts").GetArrayLength());

            using var terminate = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task StatePath_KeepsClockBackupAndStacksAcrossRestarts()
    {
        var statePath = Path.Combine(Path.GetTempPath(), $"localcloud-state-{Guid.NewGuid():N}.json");
        try
        {
            var options = new LocalCloudOptions { StatePath = statePath };
            string keptTopicArn;
            await using (var first = await LocalCloudServer.StartAsync(options))
            {
                var management = AwsCredentials.Of(first.Organization.ManagementCredentials);
                var created = await AwsClients.RunCliAsync(AwsCli.V1, first, management, "backup", "create-backup-vault", "--backup-vault-name", "kept");
                Assert.True(created.ExitCode == 0, created.Error);
                var stack = first.State.CloudFormation.CreateStack("222222222222", "us-west-2", new StackInput
                {
                    StackName = "kept",
                    TemplateBody = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Arn:\n    Value: !Ref Topic\n",
                });
                await stack.Operation;
                keptTopicArn = stack.Outputs.Single().OutputValue;
                first.Clock.Advance(TimeSpan.FromDays(2));
            }

            await using var second = await LocalCloudServer.StartAsync(options);

            var vaults = await AwsClients.RunCliAsync(AwsCli.V1, second, AwsCredentials.Of(second.Organization.ManagementCredentials), "backup", "list-backup-vaults");
            Assert.Equal("kept", vaults.Json.GetProperty("BackupVaultList")[0].GetProperty("BackupVaultName").GetString());
            var kept = second.State.CloudFormation.GetStack("222222222222", "us-west-2", "kept");
            Assert.Equal("CREATE_COMPLETE", kept.Status);
            Assert.Equal(keptTopicArn, kept.Resources.Single().PhysicalId);
            Assert.Equal(keptTopicArn, kept.Outputs.Single().OutputValue);
            Assert.Equal(5, kept.Events.Count);
            Assert.Equal(TimeSpan.FromDays(2), second.Clock.Offset);
        }
        finally
        {
            File.Delete(statePath);
        }
    }

    [Fact]
    public async Task CommandLine_RefusesUnknownOptions()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CloudPatterns.LocalCloud.dll"), "--prot", "5000"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Unknown or incomplete option '--prot'", error, StringComparison.Ordinal);
    }
}
