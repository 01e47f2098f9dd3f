using System.Text.Json.Nodes;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>A LocalCloud per test class, and the clients that drive its CloudFormation Query API over HTTP with SigV4.</summary>
public abstract class CloudFormationApiTestBase : IAsyncLifetime
{
    private LocalCloudServer _server = null!;

    internal LocalCloudServer Server => _server;

    internal AwsClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        Clients = new AwsClients(_server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected string AccountId => Server.Organization.ManagementAccountId;

    protected string Region => Server.Organization.PrimaryRegion;

    /// <summary>Waits for the stack's background operation (provisioning is asynchronous, as in AWS).</summary>
    protected Task SettledAsync(string stackName) => Server.State.CloudFormation.GetStack(AccountId, Region, stackName).Operation;

    protected static string TemplateFile(string relativePath) => "file://" + Path.Combine(TemplatesDirectory, relativePath);

    protected static string PythonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

/// <summary>A stack's whole life through the AWS CLI v1, with boto3 for the read-only calls in between.</summary>
public sealed class CloudFormationStackLifecycleApiTests : CloudFormationApiTestBase
{
    [Fact]
    public async Task AwsCliCreatesDescribesUpdatesDetectsDriftAndDeletesAStack()
    {
        var validation = await Clients.CloudFormationJsonAsync("validate-template", "--template-body", TemplateFile("valid/multi-az-web.yaml"));
        Assert.Equal("CAPABILITY_IAM", validation["Capabilities"]![0]!.GetValue<string>());
        Assert.Equal("The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::InstanceProfile]", validation["CapabilitiesReason"]!.GetValue<string>());
        Assert.Equal(5, validation["Parameters"]!.AsArray().Count);

        var refused = await Clients.CloudFormationAsync("create-stack", "--stack-name", "web", "--template-body", TemplateFile("valid/multi-az-web.yaml"));
        Assert.Equal(255, refused.ExitCode);
        Assert.Contains("An error occurred (InsufficientCapabilitiesException) when calling the CreateStack operation: Requires capabilities : [CAPABILITY_IAM]", refused.Error);

        var created = await Clients.CloudFormationJsonAsync("create-stack", "--stack-name", "web", "--template-body", TemplateFile("valid/multi-az-web.yaml"),
            "--capabilities", "CAPABILITY_IAM", "--tags", "Key=commit,Value=abc123", "--parameters", "ParameterKey=DesiredCapacity,ParameterValue=4");
        var stackId = created["StackId"]!.GetValue<string>();
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:stack/web/", stackId);
        await SettledAsync("web");

        var stack = (await Clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", "web"))["Stacks"]![0]!;
        Assert.Equal("CREATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());
        Assert.Equal("abc123", stack["Tags"]![0]!["Value"]!.GetValue<string>());
        var outputs = stack["Outputs"]!.AsArray().ToDictionary(output => output!["OutputKey"]!.GetValue<string>(), output => output!);
        Assert.EndsWith(".us-east-2.elb.amazonaws.com", outputs["LoadBalancerDns"]["OutputValue"]!.GetValue<string>());
        Assert.Equal("web-VpcId", outputs["VpcId"]["ExportName"]!.GetValue<string>());
        Assert.Equal("4", stack["Parameters"]!.AsArray().Single(parameter => parameter!["ParameterKey"]!.GetValue<string>() == "DesiredCapacity")!["ParameterValue"]!.GetValue<string>());

        var resources = (await Clients.CloudFormationJsonAsync("list-stack-resources", "--stack-name", "web"))["StackResourceSummaries"]!.AsArray();
        Assert.Equal(40, resources.Count);
        var events = (await Clients.CloudFormationJsonAsync("describe-stack-events", "--stack-name", "web"))["StackEvents"]!.AsArray();
        Assert.Equal("CREATE_COMPLETE", events[0]!["ResourceStatus"]!.GetValue<string>());
        Assert.Equal("web", events[0]!["LogicalResourceId"]!.GetValue<string>());
        var reads = await Clients.PythonAsync("""
            import boto3, json, os
            cfn = boto3.client("cloudformation", endpoint_url=os.environ["ENDPOINT"])
            print(json.dumps({
                "subnet": cfn.describe_stack_resource(StackName="web", LogicalResourceId="PublicSubnetA")["StackResourceDetail"]["PhysicalResourceId"],
                "vpc": [r["ResourceType"] for r in cfn.describe_stack_resources(StackName="web", LogicalResourceId="Vpc")["StackResources"]],
                "template": cfn.get_template(StackName="web")["TemplateBody"],
                "types": cfn.get_template_summary(StackName="web")["ResourceTypes"],
                "exports": sorted(e["Name"] for e in cfn.list_exports()["Exports"]),
            }))
            """);
        Assert.True(reads.ExitCode == 0, reads.Error);
        Assert.Matches("^subnet-[0-9a-f]{17}$", reads.Json["subnet"]!.GetValue<string>());
        Assert.Equal("[\"AWS::EC2::VPC\"]", reads.Json["vpc"]!.ToJsonString());
        Assert.Equal(ReadTemplate("valid/multi-az-web.yaml"), reads.Json["template"]!.GetValue<string>());
        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", reads.Json["types"]!.AsArray().Select(type => type!.GetValue<string>()));
        Assert.Equal("[\"web-PrivateSubnets\",\"web-VpcId\"]", reads.Json["exports"]!.ToJsonString());

        var changeSet = await Clients.CloudFormationJsonAsync("create-change-set", "--stack-name", "web", "--change-set-name", "bigger",
            "--use-previous-template", "--capabilities", "CAPABILITY_IAM",
            "--parameters", "ParameterKey=InstanceType,ParameterValue=t3.small", "ParameterKey=DesiredCapacity,UsePreviousValue=true");
        Assert.StartsWith($"arn:aws:cloudformation:{Region}:{AccountId}:changeSet/bigger/", changeSet["Id"]!.GetValue<string>());
        var change = await Clients.CloudFormationJsonAsync("describe-change-set", "--stack-name", "web", "--change-set-name", "bigger");
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (change["Status"]!.GetValue<string>(), change["ExecutionStatus"]!.GetValue<string>()));
        var resourceChange = Assert.Single(change["Changes"]!.AsArray())!["ResourceChange"]!;
        Assert.Equal(("Modify", "LaunchTemplate", "False"), (resourceChange["Action"]!.GetValue<string>(),
            resourceChange["LogicalResourceId"]!.GetValue<string>(), resourceChange["Replacement"]!.GetValue<string>()));
        Assert.Equal("LaunchTemplateData", resourceChange["Details"]![0]!["Target"]!["Name"]!.GetValue<string>());
        await Clients.CloudFormationJsonAsync("execute-change-set", "--stack-name", "web", "--change-set-name", "bigger");
        await SettledAsync("web");
        stack = (await Clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", stackId))["Stacks"]![0]!;
        Assert.Equal("UPDATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());

        var vpc = Server.State.CloudFormation.GetStack(AccountId, Region, "web").Resources.Single(resource => resource.LogicalId == "Vpc");
        Assert.True(Server.State.CloudFormation.Provisioners.Generic.ChangeActualProperties(AccountId, Region, "AWS::EC2::VPC", vpc.PhysicalId!,
            new JsonObject { ["EnableDnsHostnames"] = false }));
        var detectionId = (await Clients.CloudFormationJsonAsync("detect-stack-drift", "--stack-name", "web"))["StackDriftDetectionId"]!.GetValue<string>();
        await SettledAsync("web");
        var drifts = (await Clients.CloudFormationJsonAsync("describe-stack-resource-drifts", "--stack-name", "web",
            "--stack-resource-drift-status-filters", "MODIFIED"))["StackResourceDrifts"]!.AsArray();
        var difference = Assert.Single(drifts)!["PropertyDifferences"]![0]!;
        Assert.Equal(("/EnableDnsHostnames", "true", "false", "NOT_EQUAL"), (difference["PropertyPath"]!.GetValue<string>(),
            difference["ExpectedValue"]!.GetValue<string>(), difference["ActualValue"]!.GetValue<string>(), difference["DifferenceType"]!.GetValue<string>()));

        var checks = await Clients.PythonAsync($$"""
            import boto3, json, os
            from botocore.exceptions import ClientError
            cfn = boto3.client("cloudformation", endpoint_url=os.environ["ENDPOINT"])
            def error(call, **kwargs):
                try:
                    call(**kwargs)
                    return None
                except ClientError as failure:
                    return failure.response["Error"]["Code"] + ": " + failure.response["Error"]["Message"]
            detection = cfn.describe_stack_drift_detection_status(StackDriftDetectionId={{PythonString(detectionId)}})
            no_change = error(cfn.update_stack, StackName="web", UsePreviousTemplate=True, Capabilities=["CAPABILITY_IAM"],
                              Parameters=[{"ParameterKey": "InstanceType", "UsePreviousValue": True}, {"ParameterKey": "DesiredCapacity", "UsePreviousValue": True}])
            cfn.update_termination_protection(StackName="web", EnableTerminationProtection=True)
            protected = error(cfn.delete_stack, StackName="web")
            cfn.update_termination_protection(StackName="web", EnableTerminationProtection=False)
            print(json.dumps({
                "detection": [detection["DetectionStatus"], detection["StackDriftStatus"], detection["DriftedStackResourceCount"]],
                "changeSets": len(cfn.list_change_sets(StackName="web")["Summaries"]),
                "noChange": no_change,
                "protected": protected,
            }))
            """);
        Assert.True(checks.ExitCode == 0, checks.Error);
        Assert.Equal("[\"DETECTION_COMPLETE\",\"DRIFTED\",1]", checks.Json["detection"]!.ToJsonString());
        Assert.Equal(1, checks.Json["changeSets"]!.GetValue<int>());
        Assert.Equal("ValidationError: No updates are to be performed.", checks.Json["noChange"]!.GetValue<string>());
        Assert.Equal("ValidationError: Stack [web] cannot be deleted while TerminationProtection is enabled", checks.Json["protected"]!.GetValue<string>());

        await Clients.CloudFormationJsonAsync("delete-stack", "--stack-name", "web");
        await Server.State.CloudFormation.GetStack(AccountId, Region, stackId).Operation;

        var gone = await Clients.CloudFormationAsync("describe-stacks", "--stack-name", "web");
        Assert.Contains("An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id web does not exist", gone.Error);
        var deleted = (await Clients.CloudFormationJsonAsync("list-stacks", "--stack-status-filter", "DELETE_COMPLETE"))["StackSummaries"]!.AsArray();
        Assert.Equal(stackId, Assert.Single(deleted)!["StackId"]!.GetValue<string>());
    }
}

/// <summary>Refusals through the AWS CLI v1, and a CREATE change set through boto3.</summary>
public sealed class CloudFormationRefusalAndChangeSetApiTests : CloudFormationApiTestBase
{
    [Fact]
    public async Task AwsCliSeesTemplateErrorsAndFailedResources()
    {
        var unknownType = await Clients.CloudFormationAsync("create-stack", "--stack-name", "bad", "--template-body", TemplateFile("invalid/unknown-type.yaml"));
        Assert.Contains("An error occurred (ValidationError) when calling the CreateStack operation: Template format error: Unrecognized resource types: [AWS::Foo::Bar]", unknownType.Error);
        var badGetAtt = await Clients.CloudFormationAsync("validate-template", "--template-body", TemplateFile("invalid/bad-getatt.yaml"));
        Assert.Contains("Template error: resource Topic does not support attribute type Url in Fn::GetAtt", badGetAtt.Error);

        await Clients.CloudFormationJsonAsync("create-stack", "--stack-name", "logs", "--template-body", TemplateFile("invalid/misspelt-property.yaml"));
        await SettledAsync("logs");
        var stack = (await Clients.CloudFormationJsonAsync("describe-stacks", "--stack-name", "logs"))["Stacks"]![0]!;
        Assert.Equal("ROLLBACK_COMPLETE", stack["StackStatus"]!.GetValue<string>());
        var events = (await Clients.CloudFormationJsonAsync("describe-stack-events", "--stack-name", "logs"))["StackEvents"]!.AsArray();
        var failed = events.Single(stackEvent => stackEvent!["ResourceStatus"]!.GetValue<string>() == "CREATE_FAILED")!;
        Assert.Equal("Properties validation failed for resource Logs with message: #: extraneous key [BucketNmae] is not permitted",
            failed["ResourceStatusReason"]!.GetValue<string>());

        var update = await Clients.CloudFormationAsync("update-stack", "--stack-name", "logs", "--template-body", TemplateFile("valid/storage.json"));
        Assert.Contains($"Stack:{stack["StackId"]!.GetValue<string>()} is in ROLLBACK_COMPLETE state and can not be updated.", update.Error);
        var missingChangeSet = await Clients.CloudFormationAsync("describe-change-set", "--stack-name", "logs", "--change-set-name", "nothing");
        Assert.Contains("An error occurred (ChangeSetNotFound) when calling the DescribeChangeSet operation: ChangeSet [nothing] does not exist", missingChangeSet.Error);
    }

    [Fact]
    public async Task Boto3DrivesChangeSetsOfANewStack()
    {
        var script = $$"""
            import boto3, json, time
            from botocore.exceptions import ClientError
            cfn = boto3.client("cloudformation", endpoint_url=__import__("os").environ["ENDPOINT"])
            body = open({{PythonString(Path.Combine(TemplatesDirectory, "valid/storage.json"))}}).read()
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
        var result = await Clients.PythonAsync(script);
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
