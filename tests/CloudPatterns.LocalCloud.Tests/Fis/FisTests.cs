using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Fis;

/// <summary>
/// AWS Fault Injection Service in LocalCloud (docs/localcloud-fis.md): the repository's experiment template
/// (templates/multi-az/az-failure-experiment.yaml) deployed by CloudFormation and run on the sandbox clock through
/// boto3 (python/fis_client.py), and through the AWS CLI v1 and v2.
/// </summary>
public sealed class FisTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_drill_template_cuts_the_zone_for_its_duration_fails_the_database_over_and_completes()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeLimit, "fis_client.py", "experiment", "fis-run", DrillTemplate());

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("stack").GetString());
        Assert.Equal("""[["CutZoneNetwork","FailDatabaseOver"],[{"path":"AvailabilityZone","values":["us-east-2a"]}],"aws:cloudwatch:alarm"]""", result.GetProperty("template").GetRawText());
        Assert.True(result.GetProperty("listed").GetBoolean());
        Assert.Equal("running", result.GetProperty("started").GetString());
        Assert.True(result.GetProperty("idempotent").GetBoolean());
        // The subnets of us-east-2a lose their network: requests routed there time out (504), the other zone answers.
        Assert.EndsWith("|us-east-2|us-east-2a", Assert.Single(result.GetProperty("downDuring").EnumerateArray()).GetString());
        Assert.Equal("""[[200,"us-east-2b"],[504,"us-east-2a"]]""", result.GetProperty("requestsDuring").GetRawText());
        Assert.Equal("rebooting", result.GetProperty("databaseDuring").GetString());
        Assert.Equal("""["running",{"CutZoneNetwork":"running","FailDatabaseOver":"completed"}]""", result.GetProperty("running").GetRawText());
        // PT5M later the zone is back by itself, the experiment completed in exactly its duration.
        Assert.Equal("[]", result.GetProperty("downAfter").GetRawText());
        Assert.Equal("""["completed",{"CutZoneNetwork":"completed","FailDatabaseOver":"completed"},300.0]""", result.GetProperty("completed").GetRawText());
        Assert.Equal("[\"completed\"]", result.GetProperty("listedExperiments").GetRawText());
        Assert.Equal("us-east-2a", result.GetProperty("databaseZone").GetString());
        Assert.Equal("us-east-2b", result.GetProperty("databaseAfter").GetString());
        Assert.Equal("""["Multi-AZ instance failover started.","Multi-AZ instance failover completed."]""", result.GetProperty("events").GetRawText());
        Assert.Equal("completed", result.GetProperty("stopEnded").GetString());
        Assert.StartsWith("ResourceNotFoundException: ", result.GetProperty("templateGone").GetString());
    }

    [Fact]
    public async Task The_stop_condition_alarm_stops_the_experiment_and_brings_the_zone_back()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeLimit, "fis_client.py", "stopped", "fis-stop", DrillTemplate());

        Assert.Equal(1, result.GetProperty("downDuring").GetArrayLength());
        // The fault table shows the experiment and when its network cut ends by itself (start + PT5M).
        Assert.Equal("[true]", result.GetProperty("active")[0].GetRawText());
        Assert.Equal(1, result.GetProperty("active")[1].GetArrayLength());
        Assert.Equal("[]", result.GetProperty("activeAfter").GetRawText());
        Assert.StartsWith("InvalidParameterValue: ", result.GetProperty("refusedNamespace").GetString());
        Assert.Equal(150, result.GetProperty("errors").GetInt32());
        Assert.Equal(150, result.GetProperty("elb5xx").GetDouble());
        Assert.Equal("ALARM", result.GetProperty("alarm").GetString());
        var experiment = result.GetProperty("experiment");
        Assert.Equal("stopped", experiment[0].GetString());
        Assert.Contains("stop condition", experiment[1].GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"CutZoneNetwork":"stopped","FailDatabaseOver":"completed"}""", experiment[2].GetRawText());
        Assert.Equal("[]", result.GetProperty("downAfter").GetRawText());
    }

    [Fact]
    public async Task Templates_that_FIS_refuses_are_refused_and_experiments_fail_on_the_roles_trust_and_permissions()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeLimit, "fis_client.py", "refusals", "fis-refusals");

        Assert.StartsWith("ValidationException: Action X: actionId 'aws:ec2:explode' is not an action", result.GetProperty("unknownAction").GetString());
        Assert.Contains("the parameter 'duration' is required for aws:network:disrupt-connectivity", result.GetProperty("noDuration").GetString(), StringComparison.Ordinal);
        Assert.Contains("target 'Subnets' is of type aws:ec2:subnet; aws:rds:reboot-db-instances takes aws:rds:db", result.GetProperty("wrongTarget").GetString(), StringComparison.Ordinal);
        Assert.Contains("the CloudWatch alarm 'arn:aws:cloudwatch:us-east-2:000000000000:alarm:none' does not exist", result.GetProperty("badAlarm").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ResourceNotFoundException: Experiment template EXTnothere not found.", result.GetProperty("unknownTemplate").GetString());
        Assert.StartsWith("ResourceNotFoundException: Experiment EXPnothere not found.", result.GetProperty("unknownExperiment").GetString());
        // A role that may describe subnets but not replace their network ACL association: the experiment fails, nothing is cut.
        var weak = result.GetProperty("weak");
        Assert.Equal("failed", weak[0].GetString());
        Assert.Contains("is not authorized to perform: ec2:ReplaceNetworkAclAssociation on resource: arn:aws:ec2:us-east-2:", weak[1].GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", weak[2].GetRawText());
        Assert.Equal("failed", result.GetProperty("untrusted")[0].GetString());
        Assert.Contains("its trust policy must allow fis.amazonaws.com", result.GetProperty("untrusted")[1].GetString(), StringComparison.Ordinal);
        Assert.Equal("""["failed","Target resolution returned empty set for target Subnets."]""", result.GetProperty("empty").GetRawText());
    }

    [Theory]
    [InlineData(nameof(AwsCli.V1))]
    [InlineData(nameof(AwsCli.V2))]
    public async Task The_drill_template_is_created_and_run_through_the_AWS_CLI(string version)
    {
        var cli = Enum.Parse<AwsCli>(version);
        var stack = cli == AwsCli.V1 ? "fis-cli1" : "fis-cli2";
        var setup = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeLimit, "fis_client.py", "prepare", stack);
        var parameters = setup.GetProperty("parameters").EnumerateObject().Select(p => $"ParameterKey={p.Name},ParameterValue={p.Value.GetString()}");
        await Cli(cli, ["cloudformation", "create-stack", "--stack-name", stack + "-drill", "--template-body", "file://" + DrillTemplate(),
            "--capabilities", "CAPABILITY_IAM", "--parameters", .. parameters]);
        var outputs = await StackOutputsAsync(cli, stack + "-drill");
        var templateId = outputs["ExperimentTemplateId"];

        var template = (await Cli(cli, ["fis", "get-experiment-template", "--id", templateId])).GetProperty("experimentTemplate");
        Assert.Equal("aws:network:disrupt-connectivity", template.GetProperty("actions").GetProperty("CutZoneNetwork").GetProperty("actionId").GetString());
        var listed = (await Cli(cli, ["fis", "list-experiment-templates"])).GetProperty("experimentTemplates");
        Assert.Contains(templateId, listed.EnumerateArray().Select(item => item.GetProperty("id").GetString()));

        var started = (await Cli(cli, ["fis", "start-experiment", "--experiment-template-id", templateId])).GetProperty("experiment");
        var id = started.GetProperty("id").GetString()!;
        Assert.Equal("running", started.GetProperty("state").GetProperty("status").GetString());
        Assert.Contains("us-east-2a", ZonesDown());
        var running = (await Cli(cli, ["fis", "get-experiment", "--id", id])).GetProperty("experiment");
        Assert.Equal("completed", running.GetProperty("actions").GetProperty("FailDatabaseOver").GetProperty("state").GetProperty("status").GetString());
        Assert.Contains(id, (await Cli(cli, ["fis", "list-experiments"])).GetProperty("experiments").EnumerateArray().Select(item => item.GetProperty("id").GetString()));

        var stopped = (await Cli(cli, ["fis", "stop-experiment", "--id", id])).GetProperty("experiment");
        Assert.Equal("stopped", stopped.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("stopped", stopped.GetProperty("actions").GetProperty("CutZoneNetwork").GetProperty("state").GetProperty("status").GetString());
        Assert.DoesNotContain("us-east-2a", ZonesDown());

        foreach (var name in new[] { stack + "-drill", stack + "-db", stack })
        {
            await Cli(cli, ["cloudformation", "delete-stack", "--stack-name", name], json: false);
        }
    }

    [Fact]
    public async Task The_fault_table_lists_zone_outages_and_endpoints_marked_down_under_one_prefix_with_the_old_routes_as_aliases()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url, "/_localcloud/") };
        var account = fixture.Organization.Accounts[0].Id;
        (await http.PutAsync("faults/zone-outages", Json(new { accountId = account, region = "us-east-2", availabilityZone = "us-east-2c", failed = true }))).EnsureSuccessStatusCode();
        (await http.PutAsync("route53/endpoints", Json(new { endpoint = "203.0.113.9", healthy = false }))).EnsureSuccessStatusCode();
        (await http.PutAsync("faults/endpoints", Json(new { endpoint = "203.0.113.10", healthy = false }))).EnsureSuccessStatusCode();

        var active = JsonDocument.Parse(await http.GetStringAsync("faults/active")).RootElement;
        Assert.Equal($"[\"{account}|us-east-2|us-east-2c\"]", active.GetProperty("zoneOutages").GetProperty("failedZones").GetRawText());
        Assert.Equal("""["203.0.113.10","203.0.113.9"]""", active.GetProperty("downEndpoints").GetRawText());
        Assert.Equal(active.GetProperty("zoneOutages").GetRawText(), JsonDocument.Parse(await http.GetStringAsync("fleet/zone-outages")).RootElement.GetRawText());

        (await http.PutAsync("fleet/zone-outages", Json(new { accountId = account, region = "us-east-2", availabilityZone = "us-east-2c", failed = false }))).EnsureSuccessStatusCode();
        (await http.PutAsync("faults/endpoints", Json(new { endpoint = "203.0.113.9", healthy = true }))).EnsureSuccessStatusCode();
        (await http.PutAsync("faults/endpoints", Json(new { endpoint = "203.0.113.10", healthy = true }))).EnsureSuccessStatusCode();
        active = JsonDocument.Parse(await http.GetStringAsync("faults/active")).RootElement;
        Assert.Equal("[]", active.GetProperty("zoneOutages").GetProperty("failedZones").GetRawText());
        Assert.Equal("[]", active.GetProperty("downEndpoints").GetRawText());
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private async Task<JsonElement> Cli(AwsCli cli, string[] arguments, bool json = true)
    {
        var result = await AwsClients.RunCliAsync(cli, fixture.Server, fixture.Management, arguments);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', arguments)}: {result.Error}");
        return json ? result.Json : default;
    }

    private async Task<Dictionary<string, string>> StackOutputsAsync(AwsCli cli, string stack)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var description = (await Cli(cli, ["cloudformation", "describe-stacks", "--stack-name", stack])).GetProperty("Stacks")[0];
            var status = description.GetProperty("StackStatus").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                Assert.Equal("CREATE_COMPLETE", status);
                return description.GetProperty("Outputs").EnumerateArray().ToDictionary(o => o.GetProperty("OutputKey").GetString()!, o => o.GetProperty("OutputValue").GetString()!);
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(stack);
    }

    /// <summary>The zones that are down (the admin API's outages, ACCOUNT|REGION|ZONE), by zone.</summary>
    private string[] ZonesDown() =>
        [.. JsonSerializer.SerializeToElement(fixture.Server.State.Fleet.Faults()).GetProperty("failedZones").EnumerateArray().Select(zone => zone.GetString()!.Split('|')[^1])];

    private static string DrillTemplate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return Path.Combine(directory.FullName, "templates", "multi-az", "az-failure-experiment.yaml");
    }
}
