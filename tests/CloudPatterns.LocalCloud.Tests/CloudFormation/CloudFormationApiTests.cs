using System.Text.Json.Nodes;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>The CloudFormation Query API of LocalCloud, driven by the AWS CLI v1 and boto3 over HTTP with SigV4.</summary>
public sealed class CloudFormationApiTests : IAsyncLifetime
{
    private LocalCloudServer _server = null!;
    private AwsClients _clients = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        _clients = new AwsClients(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string AccountId => _server.Organization.ManagementAccountId;

    private string Region => _server.Organization.PrimaryRegion;

    /// <summary>Waits for the stack's background operation (provisioning is asynchronous, as in AWS).</summary>
    private Task SettledAsync(string stackName) => _server.State.CloudFormation.GetStack(AccountId, Region, stackName).Operation;

    private static string TemplateFile(string relativePath) => "file://" + Path.Combine(TemplatesDirectory, relativePath);

    [Fact]
    public async Task AwsCliCreatesDescribesUpdatesDetectsDriftAndDeletesAStack()
    {
        var validation = await _clients.CloudFormationJsonAsync("validate-template", "--template-body", TemplateFile("valid/multi-az-web.yaml"));
        Assert.Equal("CAPABILITY_IAM", validation["Capabilities"]![0]!.GetValue<string>());
        Assert.Equal("The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::InstanceProfile]", validation["CapabilitiesReason"]!.GetValue<string>());
        Assert.Equal(5, validation["Parameters"]!.AsArray().Count);

        var refused = await _clients.CloudFormationAsync("create-stack", "--stack-name", "web", "--template-body", TemplateFile("valid/multi-az-web.yaml"));
        Assert.Equal(255, refused.ExitCode);
        Assert.Contains("An error occurred (InsufficientCapabilitiesException) when calling the CreateStack operation: Requires capabilities : [CAPABILITY_IAM]", refused.Error);

        var created = await _clients.CloudFormationJsonAsync("create-stack", "--stack-name", "web", "--template-body", TemplateFile("valid/multi-az-web.yaml"),
            "--capabilities", "CAPABILITY_IAM", "--tags", "Key=commit,Value=abc123", "--parameters", "ParameterKey=DesiredCapacity,ParameterValue=4");
        var stackId = created["StackId"]!.GetValue<string>();
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:stack/web/", stackId);
        await SettledAsync("web");

        var stack = (await _clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", "web"))["Stacks"]![0]!;
        Assert.Equal("CREATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());
        Assert.Equal("abc123", stack["Tags"]![0]!["Value"]!.GetValue<string>());
        var outputs = stack["Outputs"]!.AsArray().ToDictionary(output => output!["OutputKey"]!.GetValue<string>(), output => output!);
        Assert.EndsWith(".us-east-2.elb.amazonaws.com", outputs["LoadBalancerDns"]["OutputValue"]!.GetValue<string>());
        Assert.Equal("web-VpcId", outputs["VpcId"]["ExportName"]!.GetValue<string>());
        Assert.Equal("4", stack["Parameters"]!.AsArray().Single(parameter => parameter!["ParameterKey"]!.GetValue<string>() == "DesiredCapacity")!["ParameterValue"]!.GetValue<string>());

        var resources = (await _clients.CloudFormationJsonAsync("list-stack-resources", "--stack-name", "web"))["StackResourceSummaries"]!.AsArray();
        Assert.Equal(40, resources.Count);
        var subnet = (await _clients.CloudFormationJsonAsync("describe-stack-resource", "--stack-name", "web", "--logical-resource-id", "PublicSubnetA"))["StackResourceDetail"]!;
        Assert.Matches("^subnet-[0-9a-f]{17}$", subnet["PhysicalResourceId"]!.GetValue<string>());
        var described = (await _clients.CloudFormationJsonAsync("describe-stack-resources", "--stack-name", "web", "--logical-resource-id", "Vpc"))["StackResources"]!.AsArray();
        Assert.Equal("AWS::EC2::VPC", Assert.Single(described)!["ResourceType"]!.GetValue<string>());
        var events = (await _clients.CloudFormationJsonAsync("describe-stack-events", "--stack-name", "web"))["StackEvents"]!.AsArray();
        Assert.Equal("CREATE_COMPLETE", events[0]!["ResourceStatus"]!.GetValue<string>());
        Assert.Equal("web", events[0]!["LogicalResourceId"]!.GetValue<string>());
        var template = await _clients.CloudFormationJsonAsync("get-template", "--stack-name", "web");
        Assert.Equal(ReadTemplate("valid/multi-az-web.yaml"), template["TemplateBody"]!.GetValue<string>());
        var summary = await _clients.CloudFormationJsonAsync("get-template-summary", "--stack-name", "web");
        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", summary["ResourceTypes"]!.AsArray().Select(type => type!.GetValue<string>()));
        var exports = (await _clients.CloudFormationJsonAsync("list-exports"))["Exports"]!.AsArray();
        Assert.Equal(["web-PrivateSubnets", "web-VpcId"], exports.Select(export => export!["Name"]!.GetValue<string>()).Order());

        var changeSet = await _clients.CloudFormationJsonAsync("create-change-set", "--stack-name", "web", "--change-set-name", "bigger",
            "--use-previous-template", "--capabilities", "CAPABILITY_IAM",
            "--parameters", "ParameterKey=InstanceType,ParameterValue=t3.small", "ParameterKey=DesiredCapacity,UsePreviousValue=true");
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:changeSet/bigger/", changeSet["Id"]!.GetValue<string>());
        var change = await _clients.CloudFormationJsonAsync("describe-change-set", "--stack-name", "web", "--change-set-name", "bigger");
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (change["Status"]!.GetValue<string>(), change["ExecutionStatus"]!.GetValue<string>()));
        var resourceChange = Assert.Single(change["Changes"]!.AsArray())!["ResourceChange"]!;
        Assert.Equal(("Modify", "LaunchTemplate", "False"), (resourceChange["Action"]!.GetValue<string>(),
            resourceChange["LogicalResourceId"]!.GetValue<string>(), resourceChange["Replacement"]!.GetValue<string>()));
        Assert.Equal("LaunchTemplateData", resourceChange["Details"]![0]!["Target"]!["Name"]!.GetValue<string>());
        Assert.Single((await _clients.CloudFormationJsonAsync("list-change-sets", "--stack-name", "web"))["Summaries"]!.AsArray());
        await _clients.CloudFormationJsonAsync("execute-change-set", "--stack-name", "web", "--change-set-name", "bigger");
        await SettledAsync("web");
        stack = (await _clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", stackId))["Stacks"]![0]!;
        Assert.Equal("UPDATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());

        var noChange = await _clients.CloudFormationAsync("update-stack", "--stack-name", "web", "--use-previous-template", "--capabilities", "CAPABILITY_IAM",
            "--parameters", "ParameterKey=InstanceType,UsePreviousValue=true", "ParameterKey=DesiredCapacity,UsePreviousValue=true");
        Assert.Contains("An error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed.", noChange.Error);

        var vpc = _server.State.CloudFormation.GetStack(AccountId, Region, "web").Resources.Single(resource => resource.LogicalId == "Vpc");
        Assert.True(_server.State.CloudFormation.Provisioners.Generic.ChangeActualProperties(AccountId, Region, "AWS::EC2::VPC", vpc.PhysicalId!,
            new JsonObject { ["EnableDnsHostnames"] = false }));
        var detectionId = (await _clients.CloudFormationJsonAsync("detect-stack-drift", "--stack-name", "web"))["StackDriftDetectionId"]!.GetValue<string>();
        await SettledAsync("web");
        var detection = await _clients.CloudFormationJsonAsync("describe-stack-drift-detection-status", "--stack-drift-detection-id", detectionId);
        Assert.Equal(("DETECTION_COMPLETE", "DRIFTED", 1), (detection["DetectionStatus"]!.GetValue<string>(),
            detection["StackDriftStatus"]!.GetValue<string>(), detection["DriftedStackResourceCount"]!.GetValue<int>()));
        var drifts = (await _clients.CloudFormationJsonAsync("describe-stack-resource-drifts", "--stack-name", "web",
            "--stack-resource-drift-status-filters", "MODIFIED"))["StackResourceDrifts"]!.AsArray();
        var difference = Assert.Single(drifts)!["PropertyDifferences"]![0]!;
        Assert.Equal(("/EnableDnsHostnames", "true", "false", "NOT_EQUAL"), (difference["PropertyPath"]!.GetValue<string>(),
            difference["ExpectedValue"]!.GetValue<string>(), difference["ActualValue"]!.GetValue<string>(), difference["DifferenceType"]!.GetValue<string>()));

        await _clients.CloudFormationJsonAsync("update-termination-protection", "--stack-name", "web", "--enable-termination-protection");
        var protectedDelete = await _clients.CloudFormationAsync("delete-stack", "--stack-name", "web");
        Assert.Contains("(ValidationError) when calling the DeleteStack operation: Stack [web] cannot be deleted while TerminationProtection is enabled", protectedDelete.Error);
        await _clients.CloudFormationJsonAsync("update-termination-protection", "--stack-name", "web", "--no-enable-termination-protection");
        await _clients.CloudFormationJsonAsync("delete-stack", "--stack-name", "web");
        await _server.State.CloudFormation.GetStack(AccountId, Region, stackId).Operation;

        var gone = await _clients.CloudFormationAsync("describe-stacks", "--stack-name", "web");
        Assert.Contains("An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id web does not exist", gone.Error);
        var deleted = (await _clients.CloudFormationJsonAsync("list-stacks", "--stack-status-filter", "DELETE_COMPLETE"))["StackSummaries"]!.AsArray();
        Assert.Equal(stackId, Assert.Single(deleted)!["StackId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AwsCliSeesTemplateErrorsAndFailedResources()
    {
        var unknownType = await _clients.CloudFormationAsync("create-stack", "--stack-name", "bad", "--template-body", TemplateFile("invalid/unknown-type.yaml"));
        Assert.Contains("An error occurred (ValidationError) when calling the CreateStack operation: Template format error: Unrecognized resource types: [AWS::Foo::Bar]", unknownType.Error);
        var badGetAtt = await _clients.CloudFormationAsync("validate-template", "--template-body", TemplateFile("invalid/bad-getatt.yaml"));
        Assert.Contains("Template error: resource Topic does not support attribute type Url in Fn::GetAtt", badGetAtt.Error);

        await _clients.CloudFormationJsonAsync("create-stack", "--stack-name", "logs", "--template-body", TemplateFile("invalid/misspelt-property.yaml"));
        await SettledAsync("logs");
        var stack = (await _clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", "logs"))["Stacks"]![0]!;
        Assert.Equal("ROLLBACK_COMPLETE", stack["StackStatus"]!.GetValue<string>());
        var events = (await _clients.CloudFormationJsonAsync("describe-stack-events", "--stack-name", "logs"))["StackEvents"]!.AsArray();
        var failed = events.Single(stackEvent => stackEvent!["ResourceStatus"]!.GetValue<string>() == "CREATE_FAILED")!;
        Assert.Equal("Properties validation failed for resource Logs with message: #: extraneous key [BucketNmae] is not permitted",
            failed["ResourceStatusReason"]!.GetValue<string>());

        var update = await _clients.CloudFormationAsync("update-stack", "--stack-name", "logs", "--template-body", TemplateFile("valid/storage.json"));
        Assert.Contains($"Stack:{stack["StackId"]!.GetValue<string>()} is in ROLLBACK_COMPLETE state and can not be updated.", update.Error);
        var missingChangeSet = await _clients.CloudFormationAsync("describe-change-set", "--stack-name", "logs", "--change-set-name", "nothing");
        Assert.Contains("An error occurred (ChangeSetNotFound) when calling the DescribeChangeSet operation: ChangeSet [nothing] does not exist", missingChangeSet.Error);
    }

    [Fact]
    public async Task Boto3DrivesChangeSetsOfANewStack()
    {
        var script = $$"""
            import boto3, json, time
            from botocore.exceptions import ClientError
            cfn = boto3.client("cloudformation", endpoint_url=__import__("os").environ["ENDPOINT"])
            body = open({{System.Text.Json.JsonSerializer.Serialize(Path.Combine(TemplatesDirectory, "valid/storage.json"))}}).read()
            created = cfn.create_change_set(StackName="storage", ChangeSetName="initial", ChangeSetType="CREATE", TemplateBody=body,
                                            Parameters=[{"ParameterKey": "RetentionDays", "ParameterValue": "90"}])
            review = cfn.describe_stacks(StackName="storage")["Stacks"][0]["StackStatus"]
            changes = cfn.describe_change_set(ChangeSetName=created["Id"])["Changes"]
            cfn.execute_change_set(ChangeSetName="initial", StackName="storage")
            for _ in range(100):
                stack = cfn.describe_stacks(StackName="storage")["Stacks"][0]
                if not stack["StackStatus"].endswith("IN_PROGRESS"):
                    break
                time.sleep(0.1)
            resources = cfn.list_stack_resources(StackName="storage")["StackResourceSummaries"]
            try:
                cfn.describe_stacks(StackName="nothing")
                missing = None
            except ClientError as error:
                missing = [error.response["Error"]["Code"], error.response["Error"]["Message"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
            print(json.dumps({
                "review": review,
                "changes": sorted([c["ResourceChange"]["Action"] + ":" + c["ResourceChange"]["LogicalResourceId"] for c in changes]),
                "status": stack["StackStatus"],
                "created": stack["CreationTime"].year,
                "resources": sorted(r["LogicalResourceId"] + ":" + r["ResourceStatus"] for r in resources),
                "retention": [p["ParameterValue"] for p in stack["Parameters"]],
                "missing": missing,
            }))
            """;
        var result = await _clients.PythonAsync(script);
        Assert.True(result.ExitCode == 0, result.Error);
        var json = result.Json;

        Assert.Equal("REVIEW_IN_PROGRESS", json["review"]!.GetValue<string>());
        Assert.Equal(["Add:Bucket", "Add:BucketPolicy", "Add:Queue"], json["changes"]!.AsArray().Select(item => item!.GetValue<string>()));
        Assert.Equal("CREATE_COMPLETE", json["status"]!.GetValue<string>());
        Assert.True(json["created"]!.GetValue<int>() >= 2026);
        Assert.Equal(["Bucket:CREATE_COMPLETE", "BucketPolicy:CREATE_COMPLETE", "Queue:CREATE_COMPLETE"], json["resources"]!.AsArray().Select(item => item!.GetValue<string>()));
        Assert.Equal("90", json["retention"]![0]!.GetValue<string>());
        Assert.Equal("[\"ValidationError\",\"Stack with id nothing does not exist\",400]", json["missing"]!.ToJsonString());
    }
}
