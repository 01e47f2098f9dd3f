using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Conformance;

/// <summary>
/// Every Backup, KMS, RDS, EC2 (transit gateways included), RAM, DynamoDB, IAM, SSM, Secrets Manager, CloudWatch Logs, ACM, Route 53, Auto Scaling, ELBv2, FIS and Network Firewall operation LocalCloud implements, called by the AWS CLI v1, the AWS CLI v2
/// and boto3, each parsing LocalCloud's answers with its own botocore model (steps.json and steps-*.json; run by aws_clients.py, one
/// process per client). Refusals the script expects (unknown vault, locked vault, missing table, unknown access key…)
/// must come back with AWS's error code. Restore testing steps skip the AWS CLI v2 of this machine (2.9.19), whose
/// model predates those operations.
/// </summary>
public sealed class AwsClientConformanceTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    /// <summary>The clients: name, Python interpreter (the AWS CLI v2 is the Debian package's, on /usr/bin/python3).</summary>
    private static readonly (string Name, string Python)[] Clients = [("cli1", "python3"), ("cli2", "/usr/bin/python3"), ("boto3", "python3")];

    [Fact]
    public async Task Every_operation_answers_each_client_in_the_shape_its_model_expects()
    {
        var steps = Steps();
        var runs = await Task.WhenAll(Clients.Select(client => RunAsync(client.Name, client.Python, steps)));

        foreach (var (client, outcomes) in runs)
        {
            var expected = steps.Where(step => step!["operation"] is not null && Applies(step, client)).Select(step => step!["name"]!.GetValue<string>()).ToList();
            var failures = outcomes.Where(outcome => !outcome["ok"]!.GetValue<bool>())
                .Select(outcome => $"{client} {outcome["name"]}: {outcome["code"]} {outcome["message"]}")
                .ToList();
            Assert.Empty(failures);
            Assert.Equal(expected, outcomes.Select(outcome => outcome["name"]!.GetValue<string>()).ToList());
        }
    }

    [Fact]
    public void The_script_covers_every_operation_of_the_emulated_services()
    {
        var steps = Steps();
        var covered = steps.Select(step => step!["name"]?.GetValue<string>()).OfType<string>().ToHashSet();
        var implemented = ImplementedOperations().ToList();
        Assert.NotEmpty(implemented);
        Assert.Equal([], implemented.Except(covered).ToList());
    }

    /// <summary>The operations the Backup, KMS, RDS, EC2, DynamoDB, IAM, SSM, Secrets Manager, CloudWatch Logs, ACM, EventBridge, Scheduler, EFS and Network Firewall services register, as "service.Operation".</summary>
    private IEnumerable<string> ImplementedOperations()
    {
        var catalog = new Hosting.ServiceCatalog(cloud.Server.State);
        string[] services = ["backup", "kms", "rds", "ec2", "dynamodb", "iam", "ssm", "secretsmanager", "logs", "acm", "route53", "autoscaling", "elasticloadbalancing", "events", "scheduler", "ram", "fis", "elasticfilesystem", "network-firewall"];
        return services.SelectMany(service => catalog.Find(service)!.OperationNames.Select(operation => $"{service}.{operation}"));
    }

    /// <summary>
    /// The script: every steps*.json in name order (a service's own steps-SERVICE.json, then steps.json, then
    /// steps.zz-fleet.json, last because the fleet's steps wait on a stack and move the clock, and would otherwise
    /// skew the clients so that one's clock move expires another's one-hour role session in steps.json). The three
    /// clients share one sandbox clock and run at their own pace, so steps.json's own clock moves (PT1H twice) can come
    /// after another client's AssumeRole: that role allows, and its session asks for, 12 hours.
    /// For the same reason no step expects a state that a clock move ends: a second RebootDBInstance during a failover
    /// (InvalidDBInstanceState) is proven by MultiAzFailoverTests, with one client, instead.
    /// </summary>
    private static JsonArray Steps() => new([.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Conformance"), "steps*.json")
        .Order(StringComparer.Ordinal)
        .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(step => step!.DeepClone()))]);

    private static bool Applies(JsonNode? step, string client) =>
        step!["clients"] is not JsonArray only || only.Any(name => name!.GetValue<string>() == client);

    private async Task<(string Client, IReadOnlyList<JsonNode> Outcomes)> RunAsync(string client, string python, JsonArray steps)
    {
        // The script's account names: three seed accounts, and a key LocalCloud does not know.
        var keys = new[] { ("production", "production"), ("management", "management"), ("logArchive", "log-archive") }
            .Select(account => (Name: account.Item1, cloud.Organization.Accounts.Single(candidate => candidate.Name == account.Item2).Admin))
            .Select(account => (account.Name, Id: account.Admin.AccessKeyId, Secret: account.Admin.SecretAccessKey))
            .Append((Name: "stranger", Id: "AKIAEXAMPLE000000000", Secret: "NotAKeyLocalCloudKnows"));
        var script = new JsonObject
        {
            ["endpoint"] = cloud.Server.Url.GetLeftPart(UriPartial.Authority),
            ["region"] = "us-east-2",
            ["accounts"] = new JsonObject(keys.Select(key => KeyValuePair.Create(key.Name, (JsonNode?)new JsonObject { ["accessKeyId"] = key.Id, ["secretAccessKey"] = key.Secret }))),
            ["variables"] = new JsonObject
            {
                ["Client"] = client,
                ["NowMs"] = cloud.Server.State.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            ["steps"] = steps.DeepClone(),
        };
        var start = new ProcessStartInfo(python, [Path.Combine(AppContext.BaseDirectory, "Conformance", "aws_clients.py"), client])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{client} runner failed: {await errors}");
        return (client, JsonNode.Parse(await output)!.AsArray().Select(outcome => outcome!).ToList());
    }
}
