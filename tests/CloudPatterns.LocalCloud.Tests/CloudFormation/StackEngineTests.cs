using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

public sealed class StackEngineTests
{
    private readonly CloudFormationEngine _engine = new();

    [Fact]
    public async Task FortyResourceMultiAzTemplateReachesCreateCompleteWithOutputs()
    {
        var stack = await CreateAsync(_engine, "web", ReadTemplate("valid/multi-az-web.yaml"), ["CAPABILITY_IAM"]);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(40, stack.Resources.Count);
        Assert.All(stack.Resources, resource => Assert.Equal("CREATE_COMPLETE", resource.Status));
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Matches(@"^vpc-[0-9a-f]{17}$", outputs["VpcId"]);
        Assert.Matches(@"^web-LoadBalancer-[0-9A-F]{13}-\d{10}\.us-east-2\.elb\.amazonaws\.com$", outputs["LoadBalancerDns"]);
        Assert.Equal($"http://{outputs["LoadBalancerDns"]}/", outputs["LoadBalancerUrl"]);
        Assert.Matches(@"^subnet-[0-9a-f]{17},subnet-[0-9a-f]{17}$", outputs["PrivateSubnets"]);
        Assert.EndsWith(".us-east-2.rds.amazonaws.com", outputs["DatabaseEndpoint"]);
        Assert.Equal("3306", outputs["DatabasePort"]);
        Assert.Equal("us-east-2a", outputs["FirstSubnetZone"]);
        Assert.DoesNotContain("ProductionOnly", outputs.Keys);
        Assert.Contains(_engine.ListExports(Account, Region), export => export.Name == "web-VpcId" && export.Value == outputs["VpcId"]);

        var database = stack.Resources.Single(resource => resource.LogicalId == "Database");
        Assert.Equal("db.t4g.medium", database.Properties!["DBInstanceClass"]!.ToString());
        Assert.Equal("7", database.Properties["BackupRetentionPeriod"]!.ToString());
        var subnetB = stack.Resources.Single(resource => resource.LogicalId == "PublicSubnetB");
        Assert.Equal("10.20.1.0/24", subnetB.Properties!["CidrBlock"]!.ToString());
        Assert.Equal("us-east-2b", subnetB.Properties["AvailabilityZone"]!.ToString());
        var launchTemplate = stack.Resources.Single(resource => resource.LogicalId == "LaunchTemplate");
        var userData = launchTemplate.Properties!["LaunchTemplateData"]!["UserData"]!.ToString();
        Assert.Contains(outputs["DatabaseEndpoint"], System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(userData)));

        // Dependencies come first: the route waits for the gateway attachment, the NAT gateway for its EIP.
        var order = stack.Events.Reverse().Where(stackEvent => stackEvent.ResourceStatus == "CREATE_COMPLETE").Select(stackEvent => stackEvent.LogicalResourceId).ToList();
        Assert.True(order.IndexOf("GatewayAttachment") < order.IndexOf("PublicDefaultRoute"));
        Assert.True(order.IndexOf("NatEipA") < order.IndexOf("NatGatewayA"));
        Assert.Equal("web", order[^1]);
    }

    [Fact]
    public async Task MisspeltPropertyFailsTheResourceAndRollsBack()
    {
        var stack = await CreateAsync(_engine, "logs", ReadTemplate("invalid/misspelt-property.yaml"));

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal("Properties validation failed for resource Logs with message: #: extraneous key [BucketNmae] is not permitted", ResourceFailure(stack, "Logs"));
        var statuses = stack.Events.Where(stackEvent => stackEvent.LogicalResourceId == "logs").Select(stackEvent => stackEvent.ResourceStatus).Reverse();
        Assert.Equal(["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"], statuses);
        Assert.Equal(["CREATE_IN_PROGRESS", "CREATE_FAILED", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"],
            stack.Events.Where(stackEvent => stackEvent.LogicalResourceId == "Logs").Select(stackEvent => stackEvent.ResourceStatus).Reverse());
        Assert.Equal("The following resource(s) failed to create: [Logs]. Rollback requested by user.",
            stack.Events.First(stackEvent => stackEvent.ResourceStatus == "ROLLBACK_IN_PROGRESS").ResourceStatusReason);
    }

    [Theory]
    [InlineData("invalid/missing-required.yaml", "WebSecurityGroup", "Properties validation failed for resource WebSecurityGroup with message: #: required key [GroupDescription] not found")]
    [InlineData("invalid/nested-extraneous.yaml", "Archive", "Properties validation failed for resource Archive with message: #/VersioningConfiguration: extraneous key [MfaDelete] is not permitted")]
    public async Task PropertyViolationsNameTheCulprit(string template, string logicalId, string reason)
    {
        var stack = await CreateAsync(_engine, "invalid", ReadTemplate(template));

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal(reason, ResourceFailure(stack, logicalId));
    }

    [Fact]
    public async Task DoNothingOnFailureLeavesCreateFailed()
    {
        var stack = await CreateAsync(_engine, "kept", ReadTemplate("invalid/misspelt-property.yaml"), onFailure: "DO_NOTHING");
        Assert.Equal("CREATE_FAILED", stack.Status);
    }

    [Theory]
    [InlineData("Resources:\n  Channel:\n    Type: AWS::SNS::Topic\n  Channel:\n    Type: AWS::SQS::Queue\n")]
    [InlineData("{\"Resources\": {\"Channel\": {\"Type\": \"AWS::SNS::Topic\"}, \"Channel\": {\"Type\": \"AWS::SQS::Queue\"}}}")]
    public async Task ARepeatedKeyKeepsItsLastValueAsCloudFormationReadsIt(string template)
    {
        var stack = await CreateAsync(_engine, "repeated", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal("AWS::SQS::Queue", Assert.Single(stack.Resources).ResourceType);
    }

    [Fact]
    public async Task StackNamesAreUniqueUntilDeleted()
    {
        const string template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
        var first = await CreateAsync(_engine, "unique", template);
        var error = Assert.Throws<CloudFormationException>(() => _engine.CreateStack(Account, Region, new StackInput { StackName = "unique", TemplateBody = template }));
        Assert.Equal("AlreadyExistsException", error.ErrorCode);
        Assert.Equal("Stack [unique] already exists", error.Message);

        _engine.UpdateTerminationProtection(Account, Region, "unique", true);
        var protectedError = Assert.Throws<CloudFormationException>(() => _engine.DeleteStack(Account, Region, "unique"));
        Assert.Equal("Stack [unique] cannot be deleted while TerminationProtection is enabled", protectedError.Message);
        _engine.UpdateTerminationProtection(Account, Region, "unique", false);

        var deleting = _engine.DeleteStack(Account, Region, "unique");
        Assert.Same(deleting, _engine.DeleteStack(Account, Region, "unique"));
        await deleting!.Operation;
        Assert.Null(_engine.DeleteStack(Account, Region, "unique"));
        Assert.Single(first.Events, stackEvent => stackEvent.ResourceStatus == "DELETE_COMPLETE" && stackEvent.LogicalResourceId == "unique");
        Assert.Equal("DELETE_COMPLETE", first.Status);
        Assert.Null(_engine.FindStack(Account, Region, "unique"));
        Assert.Same(first, _engine.FindStack(Account, Region, first.StackId));
        Assert.Equal("Stack with id unique does not exist",
            Assert.Throws<CloudFormationException>(() => _engine.GetStack(Account, Region, "unique")).Message);
        var second = await CreateAsync(_engine, "unique", template);
        Assert.NotEqual(first.StackId, second.StackId);
    }

    [Fact]
    public async Task UpdateTellsReplacementFromInPlaceAndChangeSetsListExactlyThat()
    {
        const string original = """
            Resources:
              Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: 10.0.0.0/16 } }
              Subnet:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: false }
              Topic: { Type: "AWS::SNS::Topic" }
              Queue: { Type: "AWS::SQS::Queue" }
            """;
        const string changed = """
            Resources:
              Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: 10.0.0.0/16 } }
              Subnet:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, MapPublicIpOnLaunch: true }
              Topic: { Type: "AWS::SNS::Topic", Properties: { DisplayName: alerts } }
              Bucket: { Type: "AWS::S3::Bucket" }
            """;
        var stack = await CreateAsync(_engine, "net", original);
        var oldSubnet = stack.Resources.Single(resource => resource.LogicalId == "Subnet").PhysicalId;
        var oldTopic = stack.Resources.Single(resource => resource.LogicalId == "Topic").PhysicalId;

        var changeSet = _engine.CreateChangeSet(Account, Region, new StackInput { StackName = "net", TemplateBody = changed }, "next", "UPDATE", null);
        var changes = changeSet.Changes.ToDictionary(change => change.LogicalResourceId);
        Assert.Equal(4, changes.Count);
        Assert.Equal(("Modify", "True"), (changes["Subnet"].Action, changes["Subnet"].Replacement));
        Assert.Equal(
            [("CidrBlock", "Always"), ("MapPublicIpOnLaunch", "Never")],
            changes["Subnet"].Details.Select(detail => (detail.PropertyName!, detail.RequiresRecreation)).OrderBy(detail => detail.Item1));
        Assert.Equal(("Modify", "False"), (changes["Topic"].Action, changes["Topic"].Replacement));
        Assert.Equal("Remove", changes["Queue"].Action);
        Assert.Equal("Add", changes["Bucket"].Action);
        Assert.Equal("AVAILABLE", changeSet.ExecutionStatus);

        _engine.ExecuteChangeSet(Account, Region, "next", "net");
        await stack.Operation;

        Assert.Equal("UPDATE_COMPLETE", stack.Status);
        var resources = stack.Resources.ToDictionary(resource => resource.LogicalId);
        Assert.NotEqual(oldSubnet, resources["Subnet"].PhysicalId);
        Assert.Equal(oldTopic, resources["Topic"].PhysicalId);
        Assert.Equal(["Bucket", "Subnet", "Topic", "Vpc"], resources.Keys.Order());
        Assert.Contains(stack.Events, stackEvent => stackEvent.PhysicalResourceId == oldSubnet && stackEvent.ResourceStatus == "DELETE_COMPLETE");
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Queue" && stackEvent.ResourceStatus == "DELETE_COMPLETE");
        Assert.Contains(stack.Events, stackEvent => stackEvent.ResourceStatus == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");

        Assert.Equal("No updates are to be performed.",
            Assert.Throws<CloudFormationException>(() => _engine.UpdateStack(Account, Region, new StackInput { StackName = "net", TemplateBody = changed })).Message);
        var empty = _engine.CreateChangeSet(Account, Region, new StackInput { StackName = "net", TemplateBody = changed }, "empty", "UPDATE", null);
        Assert.Equal(("FAILED", "UNAVAILABLE"), (empty.Status, empty.ExecutionStatus));
    }

    [Fact]
    public async Task ANestedReplacementOnlyPropertyMakesTheChangeAReplacement()
    {
        const string template = """
            Resources:
              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: vpc-0123456789abcdef0
                  ServiceName: com.amazonaws.us-east-2.s3
                  DnsOptions: { DnsRecordIpType: ipv4, PrivateDnsPreference: ALL_DOMAINS }
            """;
        await CreateAsync(_engine, "endpoint", template);

        var inPlace = _engine.CreateChangeSet(Account, Region, new StackInput { StackName = "endpoint", TemplateBody = template.Replace("ipv4", "dualstack") }, "ip", "UPDATE", null);
        var replacing = _engine.CreateChangeSet(Account, Region, new StackInput { StackName = "endpoint", TemplateBody = template.Replace("ALL_DOMAINS", "VERIFIED_DOMAINS_ONLY") }, "dns", "UPDATE", null);

        Assert.Equal("False", Assert.Single(inPlace.Changes).Replacement);
        Assert.Equal("True", Assert.Single(replacing.Changes).Replacement);
        Assert.Equal(("DnsOptions", "Always"), (replacing.Changes[0].Details[0].PropertyName, replacing.Changes[0].Details[0].RequiresRecreation));
    }

    [Fact]
    public async Task ChangeSetShowsReferencesToReplacedResourcesAsDynamic()
    {
        const string template = """
            Parameters:
              Cidr: { Type: String, Default: 10.0.0.0/16 }
            Resources:
              Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: !Ref Cidr } }
              Group: { Type: "AWS::EC2::SecurityGroup", Properties: { GroupDescription: web, VpcId: !Ref Vpc } }
            """;
        await CreateAsync(_engine, "dynamic", template);
        var changeSet = _engine.CreateChangeSet(Account, Region, new StackInput
        {
            StackName = "dynamic",
            UsePreviousTemplate = true,
            Parameters = new Dictionary<string, string> { ["Cidr"] = "10.1.0.0/16" },
        }, "cidr", "UPDATE", null);

        var group = changeSet.Changes.Single(change => change.LogicalResourceId == "Group");
        Assert.Equal("Conditional", group.Replacement);
        var detail = Assert.Single(group.Details);
        Assert.Equal(("VpcId", "Dynamic", "ResourceReference", "Vpc"), (detail.PropertyName, detail.Evaluation, detail.ChangeSource, detail.CausingEntity));
    }

    [Fact]
    public async Task FailedUpdateRollsBackToThePreviousProperties()
    {
        var failing = new FailingProvisioner(new ResourceFailedException("Queue quota exceeded"));
        _engine.Provisioners.Register("AWS::SQS::Queue", failing);
        const string original = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: before\n";
        var stack = await CreateAsync(_engine, "rollback", original);

        await UpdateAsync(_engine, "rollback", original.Replace("before", "after") + "  Queue:\n    Type: AWS::SQS::Queue\n    DependsOn: Topic\n");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal("Queue quota exceeded", ResourceFailure(stack, "Queue"));
        var topic = Assert.Single(stack.Resources);
        Assert.Equal("before", topic.Properties!["DisplayName"]!.ToString());
        var actual = await _engine.Provisioners.Generic.ReadActualAsync(
            new ResourceRequest(stack.Identity, "Topic", "AWS::SNS::Topic", [], stack.Template!.Resources["Topic"].Spec),
            new ProvisionedResource(topic.PhysicalId!, new Dictionary<string, JsonNode>()), CancellationToken.None);
        Assert.Equal("before", actual!["DisplayName"]!.ToString());
        Assert.Equal("The following resource(s) failed to update: [Queue]. ",
            stack.Events.First(stackEvent => stackEvent.ResourceStatus == "UPDATE_ROLLBACK_IN_PROGRESS").ResourceStatusReason);
    }

    [Fact]
    public async Task ABrokenProvisionerFailsItsResourceInsteadOfHangingTheStack()
    {
        _engine.Provisioners.Register("AWS::SQS::Queue", new FailingProvisioner(new InvalidOperationException("queue store missing")));
        var stack = await CreateAsync(_engine, "broken", "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n");

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal("Internal Failure (InvalidOperationException: queue store missing)", ResourceFailure(stack, "Queue"));
    }

    [Fact]
    public async Task RegisteredProvisionersReceiveResolvedPropertiesAndTheirAttributesWin()
    {
        var recording = new RecordingProvisioner();
        _engine.Provisioners.Register("AWS::S3::Bucket", recording);
        const string template = """
            Resources:
              Bucket: { Type: "AWS::S3::Bucket", Properties: { BucketName: !Sub "${AWS::AccountId}-data" } }
            Outputs:
              Arn: { Value: !GetAtt Bucket.Arn }
              Domain: { Value: !GetAtt Bucket.DomainName }
            """;
        var stack = await CreateAsync(_engine, "plugged", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal("333333333333-data", recording.Created.Single().Properties["BucketName"]!.ToString());
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal("arn:aws:s3:::333333333333-data", outputs["Arn"]);
        Assert.Equal("333333333333-data.s3.amazonaws.com", outputs["Domain"]);

        await DeleteAsync(_engine, "plugged");
        Assert.Equal("333333333333-data", Assert.Single(recording.Deleted));
    }

    [Fact]
    public async Task RetainedResourcesAreSkippedOnDelete()
    {
        var stack = await CreateAsync(_engine, "storage", ReadTemplate("valid/storage.json"));
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        await DeleteAsync(_engine, "storage");

        Assert.Equal("DELETE_COMPLETE", stack.Status);
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Bucket" && stackEvent.ResourceStatus == "DELETE_SKIPPED");
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Queue" && stackEvent.ResourceStatus == "DELETE_COMPLETE");
    }

    [Fact]
    public async Task ExportsAreImportedAndProtectedWhileInUse()
    {
        var exporter = await CreateAsync(_engine, "exporter", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Arn:\n    Value: !Ref Topic\n    Export:\n      Name: shared-topic\n");
        var importer = await CreateAsync(_engine, "importer",
            "Resources:\n  Subscription:\n    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: email\n      Endpoint: ops@example.com\n      TopicArn: !ImportValue shared-topic\n");
        Assert.Equal("CREATE_COMPLETE", importer.Status);
        Assert.Equal(exporter.Outputs.Single().OutputValue, importer.Resources.Single().Properties!["TopicArn"]!.ToString());

        await DeleteAsync(_engine, "exporter");
        Assert.Equal("DELETE_FAILED", exporter.Status);
        Assert.Equal("Export shared-topic cannot be deleted as it is in use by importer", exporter.StatusReason);

        var clash = await CreateAsync(_engine, "clash", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Arn:\n    Value: !Ref Topic\n    Export:\n      Name: shared-topic\n");
        Assert.Equal("ROLLBACK_COMPLETE", clash.Status);
        Assert.StartsWith("Export with name shared-topic is already exported by stack exporter.", clash.Events.First(stackEvent => stackEvent.ResourceStatus == "ROLLBACK_IN_PROGRESS").ResourceStatusReason);

        var missing = await CreateAsync(_engine, "missing", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !ImportValue nowhere\n");
        Assert.Equal("ROLLBACK_COMPLETE", missing.Status);
        Assert.Equal("No export named nowhere found.", ResourceFailure(missing, "Topic"));
    }

    [Fact]
    public async Task DriftDetectionReportsOutOfBandChanges()
    {
        var stack = await CreateAsync(_engine, "drift", ReadTemplate("valid/storage.json"));
        var detection = _engine.DetectStackDrift(Account, Region, "drift");
        await stack.Operation;
        Assert.Equal(("DETECTION_COMPLETE", "IN_SYNC"), (_engine.GetDriftDetection(detection).DetectionStatus, _engine.GetDriftDetection(detection).StackDriftStatus));

        var queue = stack.Resources.Single(resource => resource.LogicalId == "Queue");
        var bucket = stack.Resources.Single(resource => resource.LogicalId == "Bucket");
        Assert.True(_engine.Provisioners.Generic.ChangeActualProperties(Account, Region, "AWS::SQS::Queue", queue.PhysicalId!, new JsonObject { ["MessageRetentionPeriod"] = 60 }));
        Assert.True(_engine.Provisioners.Generic.DeleteActual(Account, Region, "AWS::S3::Bucket", bucket.PhysicalId!));
        detection = _engine.DetectStackDrift(Account, Region, "drift");
        await stack.Operation;

        var result = _engine.GetDriftDetection(detection);
        Assert.Equal(("DRIFTED", 2), (result.StackDriftStatus, result.DriftedResourceCount));
        var drifts = _engine.DescribeResourceDrifts(Account, Region, "drift").ToDictionary(drift => drift.LogicalResourceId);
        Assert.Equal("DELETED", drifts["Bucket"].DriftStatus);
        Assert.Equal("IN_SYNC", drifts["BucketPolicy"].DriftStatus);
        var difference = Assert.Single(drifts["Queue"].Differences);
        Assert.Equal(new PropertyDifference("/MessageRetentionPeriod", "1209600", "60", "NOT_EQUAL"), difference);
        Assert.Equal("MODIFIED", drifts["Queue"].DriftStatus);
    }

    [Fact]
    public async Task NoEchoValuesNeverShowInEventsOrDrift()
    {
        const string template = """
            Parameters:
              Password: { Type: String, NoEcho: true }
            Resources:
              Secret: { Type: "AWS::SSM::Parameter", Properties: { Type: String, Value: !Sub "user:${Password}" } }
            """;
        var stack = await CreateAsync(_engine, "secret", template, parameters: new Dictionary<string, string> { ["Password"] = "hunter2-secret" });
        var secret = stack.Resources.Single();
        _engine.ChangeResourceOutOfBand(Account, Region, "secret", "Secret", new JsonObject { ["Value"] = "user:other" });
        _engine.DetectStackDrift(Account, Region, "secret");
        await stack.Operation;

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal("user:hunter2-secret", secret.Properties!["Value"]!.ToString());
        Assert.Contains(stack.Events, stackEvent => stackEvent.ResourceProperties == "{\"Type\":\"String\",\"Value\":\"user:****\"}");
        Assert.DoesNotContain(stack.Events, stackEvent => stackEvent.ResourceProperties?.Contains("hunter2", StringComparison.Ordinal) == true);
        var drift = Assert.Single(_engine.DescribeResourceDrifts(Account, Region, "secret"));
        Assert.Equal(new PropertyDifference("/Value", "user:****", "user:other", "NOT_EQUAL"), Assert.Single(drift.Differences));
        Assert.DoesNotContain("hunter2", drift.ExpectedProperties, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokenOfAnExecutedChangeSetIsOnEveryEventOfItsOperation()
    {
        const string template = "Resources:\n  Queue: { Type: \"AWS::SQS::Queue\", Properties: { MessageRetentionPeriod: 1209600 } }\n";
        var stack = await CreateAsync(_engine, "heal", template);
        _engine.ChangeResourceOutOfBand(Account, Region, "heal", "Queue", new JsonObject { ["MessageRetentionPeriod"] = 60 });
        var input = new StackInput { StackName = "heal", TemplateBody = template };

        // The template has not changed: an ordinary change set has nothing to do, a drift-aware one modifies the queue.
        Assert.Equal("FAILED", _engine.CreateChangeSet(Account, Region, input, "plain", "UPDATE", null).Status);
        var revert = _engine.CreateChangeSet(Account, Region, input with { DeploymentMode = "REVERT_DRIFT" }, "revert", "UPDATE", null);
        var change = Assert.Single(revert.Changes);
        Assert.Equal(("Modify", "Queue", "False"), (change.Action, change.LogicalResourceId, change.Replacement));
        Assert.Equal("MessageRetentionPeriod", Assert.Single(change.Details).PropertyName);

        _engine.ExecuteChangeSet(Account, Region, "revert", "heal", "gitops-token-1");
        await stack.Operation;
        Assert.Equal("UPDATE_COMPLETE", stack.Status);
        _engine.DetectStackDrift(Account, Region, "heal");
        await stack.Operation;
        Assert.Equal("IN_SYNC", stack.DriftStatus);
        var updateEvents = stack.Events.Where(stackEvent => stackEvent.ResourceStatus.StartsWith("UPDATE_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(updateEvents);
        Assert.All(updateEvents, stackEvent => Assert.Equal("gitops-token-1", stackEvent.ClientRequestToken));
        Assert.All(stack.Events.Where(stackEvent => stackEvent.ResourceStatus.StartsWith("CREATE_", StringComparison.Ordinal)), stackEvent => Assert.Null(stackEvent.ClientRequestToken));
    }

    [Fact]
    public async Task CreateChangeSetsQueueOnAStackInReview()
    {
        var input = new StackInput { StackName = "review", TemplateBody = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n" };
        var first = _engine.CreateChangeSet(Account, Region, input, "first", "CREATE", null);
        var second = _engine.CreateChangeSet(Account, Region, input with { TemplateBody = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n" }, "second", "CREATE", null);

        Assert.Same(first.Stack, second.Stack);
        Assert.Equal("REVIEW_IN_PROGRESS", first.Stack.Status);
        _engine.ExecuteChangeSet(Account, Region, "second", "review");
        await second.Stack.Operation;
        Assert.Equal("CREATE_COMPLETE", second.Stack.Status);
        Assert.Equal("Queue", Assert.Single(second.Stack.Resources).LogicalId);
        Assert.Equal(["second"], second.Stack.ChangeSets.Select(changeSet => changeSet.Name));
        Assert.Equal("AlreadyExistsException", Assert.Throws<CloudFormationException>(() => _engine.CreateChangeSet(Account, Region, input, "third", "CREATE", null)).ErrorCode);
    }

    [Fact]
    public async Task IndependentResourcesAreProvisionedInParallel()
    {
        var rendezvous = new RendezvousProvisioner(expected: 2);
        _engine.Provisioners.Register("AWS::SQS::Queue", rendezvous);
        const string template = """
            Resources:
              First: { Type: "AWS::SQS::Queue" }
              Second: { Type: "AWS::SQS::Queue" }
              Topic: { Type: "AWS::SNS::Topic", Properties: { DisplayName: !GetAtt First.QueueName }, DependsOn: Second }
            """;
        var stack = await CreateAsync(_engine, "parallel", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var order = stack.Events.Reverse().Where(stackEvent => stackEvent.ResourceStatus == "CREATE_IN_PROGRESS").Select(stackEvent => stackEvent.LogicalResourceId).ToList();
        Assert.True(order.IndexOf("Topic") > order.LastIndexOf("First") && order.IndexOf("Topic") > order.LastIndexOf("Second"), string.Join(",", order));
    }

    [Fact]
    public async Task AFailureCancelsSiblingsStillBeingCreatedAndTheRollbackDeletesThem()
    {
        var gated = new GatedProvisioner();
        _engine.Provisioners.Register("AWS::SQS::Queue", gated);
        const string template = """
            Resources:
              Slow: { Type: "AWS::SQS::Queue" }
              Broken: { Type: "AWS::SNS::Topic", Properties: { DisplayNmae: typo } }
              Later: { Type: "AWS::SNS::Topic", DependsOn: Slow }
            """;
        var stack = _engine.CreateStack(Account, Region, new StackInput { StackName = "cancel", TemplateBody = template });
        await gated.Started.WaitAsync(TimeSpan.FromSeconds(10));
        for (var poll = 0; poll < 1000 && !stack.Events.Any(stackEvent => stackEvent is { LogicalResourceId: "Broken", ResourceStatus: "CREATE_FAILED" }); poll++)
        {
            await Task.Delay(10);
        }
        gated.Release();
        await stack.Operation;

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal(
            ["CREATE_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_FAILED", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"],
            stack.Events.Where(stackEvent => stackEvent.LogicalResourceId == "Slow").Select(stackEvent => stackEvent.ResourceStatus).Reverse());
        Assert.Equal("Resource creation cancelled", ResourceFailure(stack, "Slow"));
        Assert.Equal(["Slow"], gated.Deleted);
        Assert.DoesNotContain(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Later");
        Assert.Equal("The following resource(s) failed to create: [Broken, Slow]. Rollback requested by user.",
            stack.Events.First(stackEvent => stackEvent.ResourceStatus == "ROLLBACK_IN_PROGRESS").ResourceStatusReason);
    }

    [Fact]
    public async Task AFailedUpdateCancelsSiblingsStillBeingUpdatedAndRevertsThem()
    {
        var gated = new GatedProvisioner();
        _engine.Provisioners.Register("AWS::SQS::Queue", gated);
        const string original = "Resources:\n  Slow:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n";
        gated.Release();
        var stack = await CreateAsync(_engine, "cancel-update", original);
        gated.Hold();

        var update = original.Replace("30", "60") + "  Broken:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayNmae: typo\n";
        _engine.UpdateStack(Account, Region, new StackInput { StackName = "cancel-update", TemplateBody = update });
        await gated.Started.WaitAsync(TimeSpan.FromSeconds(10));
        for (var poll = 0; poll < 1000 && !stack.Events.Any(stackEvent => stackEvent is { LogicalResourceId: "Broken", ResourceStatus: "CREATE_FAILED" }); poll++)
        {
            await Task.Delay(10);
        }
        gated.Release();
        await stack.Operation;

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal("Resource update cancelled", ResourceFailure(stack, "Slow"));
        Assert.Equal("30", stack.Resources.Single(resource => resource.LogicalId == "Slow").Properties!["VisibilityTimeout"]!.ToString());
        Assert.Equal(["30", "60", "30"], gated.Applied);
        Assert.Equal("The following resource(s) failed to update: [Broken, Slow]. ",
            stack.Events.First(stackEvent => stackEvent.ResourceStatus == "UPDATE_ROLLBACK_IN_PROGRESS").ResourceStatusReason);
    }

    /// <summary>Creates wait until the test releases them, so a sibling can fail while they are in progress.</summary>
    private sealed class GatedProvisioner : IResourceProvisioner
    {
        private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public List<string> Deleted { get; } = [];

        /// <summary>The VisibilityTimeout of every create and update, in order.</summary>
        public List<string> Applied { get; } = [];

        public void Release() => _released.TrySetResult();

        /// <summary>Makes the next creates and updates wait again.</summary>
        public void Hold()
        {
            _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
        {
            await Gate(request);
            return ResourceIdentities.Generate(request) with { PhysicalId = request.LogicalId };
        }

        public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
        {
            await Gate(request);
            return current;
        }

        public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
        {
            Deleted.Add(current.PhysicalId);
            return Task.CompletedTask;
        }

        public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult<JsonObject?>(request.Properties);

        private async Task Gate(ResourceRequest request)
        {
            lock (Applied)
            {
                Applied.Add(request.Properties["VisibilityTimeout"]?.ToString() ?? "");
            }
            _started.TrySetResult();
            await _released.Task;
        }
    }

    /// <summary>Each create waits until <c>expected</c> creates are running at once, so it fails when they run one after another.</summary>
    private sealed class RendezvousProvisioner(int expected) : IResourceProvisioner
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrived) == expected)
            {
                _allArrived.SetResult();
            }
            try
            {
                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new ResourceFailedException($"{request.LogicalId} was provisioned alone");
            }
            return ResourceIdentities.Generate(request);
        }

        public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult(current);

        public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult<JsonObject?>(request.Properties);
    }

    private sealed class FailingProvisioner(Exception failure) : IResourceProvisioner
    {
        public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken) => throw failure;

        public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            throw new ResourceFailedException("unexpected update");

        public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult<JsonObject?>(null);
    }

    private sealed class RecordingProvisioner : IResourceProvisioner
    {
        public List<ResourceRequest> Created { get; } = [];

        public List<string> Deleted { get; } = [];

        public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
        {
            Created.Add(request);
            var name = request.Properties["BucketName"]!.ToString();
            return Task.FromResult(new ProvisionedResource(name, new Dictionary<string, JsonNode>
            {
                ["Arn"] = JsonValue.Create($"arn:aws:s3:::{name}"),
                ["DomainName"] = JsonValue.Create($"{name}.s3.amazonaws.com"),
            }));
        }

        public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult(current);

        public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
        {
            Deleted.Add(current.PhysicalId);
            return Task.CompletedTask;
        }

        public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
            Task.FromResult<JsonObject?>(request.Properties);
    }
}
