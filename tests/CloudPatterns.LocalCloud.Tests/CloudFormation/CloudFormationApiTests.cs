using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// A stack's whole life through one AWS CLI (create, describe, change set, update, drift, delete), with boto3 for the
/// other read-only calls in between. One class per CLI so both run in parallel.
/// </summary>
public abstract class StackLifecycleApiTests
{
    private readonly LocalCloudFixture fixture;
    private readonly AwsCli cli;

    private protected StackLifecycleApiTests(LocalCloudFixture fixture, AwsCli cli)
    {
        this.fixture = fixture;
        this.cli = cli;
    }

    private string AccountId => fixture.Organization.ManagementAccountId;

    private string Region => fixture.Organization.PrimaryRegion;

    private Task<ProcessResult> CloudFormationAsync(params string[] arguments) =>
        AwsClients.RunCliAsync(cli, fixture.Server, fixture.Management, ["cloudformation", .. arguments]);

    private async Task<JsonElement> CloudFormationJsonAsync(params string[] arguments) => (await CloudFormationAsync(arguments)).Json;

    /// <summary>Waits for the stack's background operation (provisioning is asynchronous, as in AWS).</summary>
    private Task SettledAsync(string stackNameOrId) => fixture.Server.State.CloudFormation.GetStack(AccountId, Region, stackNameOrId).Operation;

    [Fact]
    public async Task CreatesDescribesChangesDetectsDriftAndDeletesAStack()
    {
        var stackName = $"web-{cli.ToString().ToLowerInvariant()}";
        var template = "file://" + Path.Combine(TemplatesDirectory, "valid/multi-az-web.yaml");
        var validation = await CloudFormationJsonAsync("validate-template", "--template-body", template);
        Assert.Equal("CAPABILITY_IAM", validation.GetProperty("Capabilities")[0].GetString());
        Assert.Equal("The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::InstanceProfile]", validation.GetProperty("CapabilitiesReason").GetString());
        Assert.Equal(5, validation.GetProperty("Parameters").GetArrayLength());

        var refused = await CloudFormationAsync("create-stack", "--stack-name", stackName, "--template-body", template);
        Assert.Equal("InsufficientCapabilitiesException", refused.ErrorCode);
        Assert.Contains("Requires capabilities : [CAPABILITY_IAM]", refused.Error, StringComparison.Ordinal);

        var stackId = (await CloudFormationJsonAsync("create-stack", "--stack-name", stackName, "--template-body", template,
            "--capabilities", "CAPABILITY_IAM", "--tags", "Key=commit,Value=abc123", "--parameters", "ParameterKey=DesiredCapacity,ParameterValue=4"))
            .GetProperty("StackId").GetString()!;
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:stack/{stackName}/", stackId);
        await SettledAsync(stackName);

        var stack = (await CloudFormationJsonAsync("describe-stacks", "--stack-name", stackName)).GetProperty("Stacks")[0];
        Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());
        Assert.Equal("abc123", stack.GetProperty("Tags")[0].GetProperty("Value").GetString());
        var outputs = stack.GetProperty("Outputs").EnumerateArray().ToDictionary(output => output.GetProperty("OutputKey").GetString()!);
        Assert.EndsWith(".us-east-2.elb.amazonaws.com", outputs["LoadBalancerDns"].GetProperty("OutputValue").GetString());
        Assert.Equal($"{stackName}-VpcId", outputs["VpcId"].GetProperty("ExportName").GetString());
        Assert.Equal("4", stack.GetProperty("Parameters").EnumerateArray()
            .Single(parameter => parameter.GetProperty("ParameterKey").GetString() == "DesiredCapacity").GetProperty("ParameterValue").GetString());
        Assert.Equal(40, (await CloudFormationJsonAsync("list-stack-resources", "--stack-name", stackName)).GetProperty("StackResourceSummaries").GetArrayLength());
        var events = (await CloudFormationJsonAsync("describe-stack-events", "--stack-name", stackName)).GetProperty("StackEvents");
        Assert.Equal((stackName, "CREATE_COMPLETE"), (events[0].GetProperty("LogicalResourceId").GetString(), events[0].GetProperty("ResourceStatus").GetString()));

        var reads = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "stack-reads", stackName);
        Assert.Matches("^subnet-[0-9a-f]{17}$", reads.GetProperty("subnet").GetString());
        Assert.Equal("[\"AWS::EC2::VPC\"]", reads.GetProperty("vpc").GetRawText());
        Assert.Equal(ReadTemplate("valid/multi-az-web.yaml"), reads.GetProperty("template").GetString());
        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", reads.GetProperty("types").EnumerateArray().Select(type => type.GetString()));
        Assert.Contains($"{stackName}-PrivateSubnets", reads.GetProperty("exports").EnumerateArray().Select(export => export.GetString()));

        var changeSetId = (await CloudFormationJsonAsync("create-change-set", "--stack-name", stackName, "--change-set-name", "bigger",
            "--use-previous-template", "--capabilities", "CAPABILITY_IAM",
            "--parameters", "ParameterKey=InstanceType,ParameterValue=t3.small", "ParameterKey=DesiredCapacity,UsePreviousValue=true"))
            .GetProperty("Id").GetString()!;
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:changeSet/bigger/", changeSetId);
        var changeSet = await CloudFormationJsonAsync("describe-change-set", "--change-set-name", changeSetId);
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (changeSet.GetProperty("Status").GetString(), changeSet.GetProperty("ExecutionStatus").GetString()));
        var change = Assert.Single(changeSet.GetProperty("Changes").EnumerateArray()).GetProperty("ResourceChange");
        Assert.Equal(("Modify", "LaunchTemplate", "False", "LaunchTemplateData"), (change.GetProperty("Action").GetString(),
            change.GetProperty("LogicalResourceId").GetString(), change.GetProperty("Replacement").GetString(),
            change.GetProperty("Details")[0].GetProperty("Target").GetProperty("Name").GetString()));
        Assert.Equal(0, (await CloudFormationAsync("execute-change-set", "--stack-name", stackName, "--change-set-name", "bigger")).ExitCode);
        await SettledAsync(stackName);
        stack = (await CloudFormationJsonAsync("describe-stacks", "--stack-name", stackId)).GetProperty("Stacks")[0];
        Assert.Equal("UPDATE_COMPLETE", stack.GetProperty("StackStatus").GetString());

        using (var admin = new HttpClient { BaseAddress = fixture.Server.Url })
        {
            var outOfBand = await admin.PatchAsync("/_localcloud/cloudformation/resources", JsonContent.Create(new
            {
                accountId = AccountId,
                region = Region,
                stackName,
                logicalResourceId = "Vpc",
                // A JsonObject keeps the property name's case; an anonymous type would be camel-cased.
                properties = new JsonObject { ["EnableDnsHostnames"] = false },
            }));
            Assert.Equal(HttpStatusCode.NoContent, outOfBand.StatusCode);
        }
        var detectionId = (await CloudFormationJsonAsync("detect-stack-drift", "--stack-name", stackName)).GetProperty("StackDriftDetectionId").GetString()!;
        await SettledAsync(stackName);
        var drift = Assert.Single((await CloudFormationJsonAsync("describe-stack-resource-drifts", "--stack-name", stackName,
            "--stack-resource-drift-status-filters", "MODIFIED")).GetProperty("StackResourceDrifts").EnumerateArray());
        var difference = drift.GetProperty("PropertyDifferences")[0];
        Assert.Equal(("Vpc", "/EnableDnsHostnames", "true", "false", "NOT_EQUAL"), (drift.GetProperty("LogicalResourceId").GetString(),
            difference.GetProperty("PropertyPath").GetString(), difference.GetProperty("ExpectedValue").GetString(),
            difference.GetProperty("ActualValue").GetString(), difference.GetProperty("DifferenceType").GetString()));

        var checks = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "stack-checks", stackName, detectionId);
        Assert.Equal("[\"DETECTION_COMPLETE\", \"DRIFTED\", 1]", checks.GetProperty("detection").GetRawText());
        Assert.Equal(1, checks.GetProperty("changeSets").GetInt32());
        Assert.Equal("ValidationError: No updates are to be performed.", checks.GetProperty("noChange").GetString());
        Assert.Equal($"ValidationError: Stack [{stackName}] cannot be deleted while TerminationProtection is enabled", checks.GetProperty("protected").GetString());

        // The drift above, reverted by a drift-aware change set; the operation's token is on its events.
        var reverted = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "revert-drift", stackName);
        Assert.Equal(["Modify:Vpc"], reverted.GetProperty("changes").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal(("UPDATE_COMPLETE", "IN_SYNC"), (reverted.GetProperty("status").GetString(), reverted.GetProperty("drift").GetString()));
        // The earlier update ran without a token; every event of this one carries it.
        Assert.Equal(["", "revert-drift-1"], reverted.GetProperty("tokens").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal("revert-drift-1", reverted.GetProperty("latest").GetString());
        Assert.StartsWith("ValidationError: 1 validation error detected: Value 'REVERT' at 'deploymentMode'", reverted.GetProperty("invalid").GetString());

        Assert.Equal(0, (await CloudFormationAsync("delete-stack", "--stack-name", stackName)).ExitCode);
        await SettledAsync(stackId);
        var gone = await CloudFormationAsync("describe-stacks", "--stack-name", stackName);
        Assert.Equal("ValidationError", gone.ErrorCode);
        Assert.Contains($"Stack with id {stackName} does not exist", gone.Error, StringComparison.Ordinal);
        var deleted = (await CloudFormationJsonAsync("list-stacks", "--stack-status-filter", "DELETE_COMPLETE")).GetProperty("StackSummaries");
        Assert.Contains(stackId, deleted.EnumerateArray().Select(summary => summary.GetProperty("StackId").GetString()));
    }
}

public sealed class StackLifecycleCliV1Tests(LocalCloudFixture fixture) : StackLifecycleApiTests(fixture, AwsCli.V1), IClassFixture<LocalCloudFixture>;

public sealed class StackLifecycleCliV2Tests(LocalCloudFixture fixture) : StackLifecycleApiTests(fixture, AwsCli.V2), IClassFixture<LocalCloudFixture>;

/// <summary>Refusals through the AWS CLI v1, and a CREATE change set through boto3.</summary>
public sealed class CloudFormationRefusalApiTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private Task<ProcessResult> CloudFormationAsync(params string[] arguments) =>
        AwsClients.RunCliAsync(AwsCli.V1, fixture.Server, fixture.Management, ["cloudformation", .. arguments]);

    private static string TemplateFile(string relativePath) => "file://" + Path.Combine(TemplatesDirectory, relativePath);

    [Fact]
    public async Task TemplateErrorsAndFailedResourcesAreReportedLikeCloudFormation()
    {
        var unknownType = await CloudFormationAsync("create-stack", "--stack-name", "bad", "--template-body", TemplateFile("invalid/unknown-type.yaml"));
        Assert.Equal("ValidationError", unknownType.ErrorCode);
        Assert.Contains("Template format error: Unrecognized resource types: [AWS::Foo::Bar]", unknownType.Error, StringComparison.Ordinal);
        var badGetAtt = await CloudFormationAsync("validate-template", "--template-body", TemplateFile("invalid/bad-getatt.yaml"));
        Assert.Contains("Template error: resource Topic does not support attribute type Url in Fn::GetAtt", badGetAtt.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CloudFormationAsync("create-stack", "--stack-name", "logs", "--template-body", TemplateFile("invalid/misspelt-property.yaml"))).ExitCode);
        var engine = fixture.Server.State.CloudFormation;
        await engine.GetStack(fixture.Organization.ManagementAccountId, fixture.Organization.PrimaryRegion, "logs").Operation;
        var stack = (await CloudFormationAsync("describe-stacks", "--stack-name", "logs")).Json.GetProperty("Stacks")[0];
        Assert.Equal("ROLLBACK_COMPLETE", stack.GetProperty("StackStatus").GetString());
        var events = (await CloudFormationAsync("describe-stack-events", "--stack-name", "logs")).Json.GetProperty("StackEvents");
        var failed = events.EnumerateArray().Single(stackEvent => stackEvent.GetProperty("ResourceStatus").GetString() == "CREATE_FAILED");
        Assert.Equal("Properties validation failed for resource Logs with message: #: extraneous key [BucketNmae] is not permitted",
            failed.GetProperty("ResourceStatusReason").GetString());

        using (var admin = new HttpClient { BaseAddress = fixture.Server.Url })
        {
            var outOfBand = await admin.PatchAsync("/_localcloud/cloudformation/resources", JsonContent.Create(new
            {
                accountId = fixture.Organization.ManagementAccountId,
                region = fixture.Organization.PrimaryRegion,
                stackName = "logs",
                logicalResourceId = "Logs",
                delete = true,
            }));
            Assert.Equal(HttpStatusCode.BadRequest, outOfBand.StatusCode);
            Assert.Equal("{\"error\":\"Resource Logs does not exist for stack logs\"}", await outOfBand.Content.ReadAsStringAsync());
        }

        var update = await CloudFormationAsync("update-stack", "--stack-name", "logs", "--template-body", TemplateFile("valid/storage.json"));
        Assert.Contains($"Stack:{stack.GetProperty("StackId").GetString()} is in ROLLBACK_COMPLETE state and can not be updated.", update.Error, StringComparison.Ordinal);
        var missingChangeSet = await CloudFormationAsync("describe-change-set", "--stack-name", "logs", "--change-set-name", "nothing");
        Assert.Equal("ChangeSetNotFound", missingChangeSet.ErrorCode);
        Assert.Contains("ChangeSet [nothing] does not exist", missingChangeSet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliDeployCreatesAndUpdatesAStackWithoutWaiting()
    {
        var template = Path.Combine(TemplatesDirectory, "valid/storage.json");
        fixture.Server.State.RequestLog.Clear();
        var created = await CloudFormationAsync("deploy", "--stack-name", "deployed", "--template-file", template, "--parameter-overrides", "RetentionDays=14");
        var updated = await CloudFormationAsync("deploy", "--stack-name", "deployed", "--template-file", template, "--parameter-overrides", "RetentionDays=21");
        var unchanged = await CloudFormationAsync("deploy", "--stack-name", "deployed", "--template-file", template, "--parameter-overrides", "RetentionDays=21");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Contains("No changes to deploy", unchanged.Output + unchanged.Error, StringComparison.Ordinal);
        var stack = (await CloudFormationAsync("describe-stacks", "--stack-name", "deployed")).Json.GetProperty("Stacks")[0];
        Assert.Equal(("UPDATE_COMPLETE", "21"), (stack.GetProperty("StackStatus").GetString(), stack.GetProperty("Parameters")[0].GetProperty("ParameterValue").GetString()));
        // The CLI's waiters poll once and then sleep (30 s for stacks): one poll each means the work was done at the first.
        Assert.Equal(
            [
                "DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStacks",
                "DescribeStacks", "GetTemplateSummary", "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStacks",
                "DescribeStacks", "GetTemplateSummary", "CreateChangeSet", "DescribeChangeSet",
                "DescribeStacks",
            ],
            // The CLI's requests; CloudFormation's own calls for the stack's resources are logged too, under "CloudFormation ...".
            fixture.Server.State.RequestLog.Snapshot().Select(entry => entry.Operation).Where(operation => operation?.StartsWith("CloudFormation ", StringComparison.Ordinal) != true));
    }

    [Fact]
    public async Task Boto3CreatesAStackThroughAChangeSet()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "create-change-set",
            "storage", Path.Combine(TemplatesDirectory, "valid/storage.json"));

        Assert.Equal("REVIEW_IN_PROGRESS", result.GetProperty("review").GetString());
        Assert.Equal(["Add:Bucket", "Add:BucketPolicy", "Add:Queue"], result.GetProperty("changes").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("created").GetInt32() >= 2026);
        Assert.Equal(["Bucket:CREATE_COMPLETE", "BucketPolicy:CREATE_COMPLETE", "Queue:CREATE_COMPLETE"],
            result.GetProperty("resources").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal("90", result.GetProperty("retention")[0].GetString());
        Assert.Equal("ValidationError: Stack with id nothing does not exist", result.GetProperty("missing").GetString());
    }

    [Fact]
    public async Task Boto3ReadsYamlAsCloudFormationDoesRepeatedKeysShallowQuotedLinesAndBlankLinesLeadingABlock()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "yaml-as-cloudformation-reads-it", "yaml-read");

        // The repeated Default keeps its last value, in ValidateTemplate and in the stack alike.
        Assert.Equal("large", result.GetProperty("default").GetString());
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("large", result.GetProperty("parameter").GetString());
        // The quoted scalar's lines fold into one, its escapes read, whatever its last line's indentation.
        Assert.Equal("one two \"quoted\" three large", result.GetProperty("output").GetString());
        // A block scalar led by a line of spaces shallower than its text: an empty first line (YamlDotNet refused it).
        Assert.Equal("\n{\"size\": \"large\"}\n", result.GetProperty("block").GetString());
        Assert.StartsWith("ValidationError: Template format error: YAML not well-formed.", result.GetProperty("broken").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3ReadsUnquotedYesNoOnOffAsBooleans_AsCloudFormationReadsYaml11()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "cloudformation_client.py", "yaml-11-booleans", "yaml-booleans");

        // AllowedValues [Yes, No] and Default No, unquoted, are the booleans true/false, as CloudFormation reads YAML 1.1.
        Assert.Equal(["true", "false"], result.GetProperty("allowed").EnumerateArray().Select(value => value.GetString()!).ToArray());
        Assert.Equal("false", result.GetProperty("default").GetString());
        // "true" is allowed, and the condition comparing with Yes holds: the handle exists, the unquoted On is "true".
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal(["Handle"], result.GetProperty("created").EnumerateArray().Select(value => value.GetString()!).ToArray());
        Assert.Equal("true", result.GetProperty("outputs").GetProperty("Switch").GetString());
        Assert.Equal("Off", result.GetProperty("outputs").GetProperty("Quoted").GetString());
        Assert.Equal("ValidationError: Parameter 'CreateTopic' must be one of AllowedValues", result.GetProperty("refused").GetString());
    }
}
