using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// SAM connectors (AWS::Serverless::Connector and embedded <c>Connectors</c>) become the policies and permissions SAM
/// generates (docs/localcloud-cloudformation-transforms.md, "Connectors"); a CDK-synthesized template's
/// AWS::CDK::Metadata is accepted (docs/localcloud-cloudformation-recorded.md, "CDK metadata").
/// </summary>
public sealed class ServerlessConnectorTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Template = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Table:
            Type: AWS::Serverless::SimpleTable
          Topic:
            Type: AWS::SNS::Topic
          Queue:
            Type: AWS::SQS::Queue
            Connectors:
              Consumer:
                Properties:
                  Destination:
                    Id: Worker
                  Permissions: [Read, Write]
          Worker:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: index.handler
              InlineCode: "def handler(event, context):\n    return event\n"
            Connectors:
              Writes:
                Properties:
                  Destination:
                    - Id: Table
                    - Id: Topic
                  Permissions: [Write]
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties:
              Definition:
                StartAt: Go
                States:
                  Go: { Type: Task, Resource: !GetAtt Worker.Arn, End: true }
          Invoke:
            Type: AWS::Serverless::Connector
            Properties:
              Source: { Id: Machine }
              Destination: { Id: Worker }
              Permissions: [Write]
          Fanout:
            Type: AWS::Serverless::Connector
            Properties:
              Source: { Id: Topic }
              Destination: { Id: Queue }
              Permissions: [Write]
          CDKMetadata:
            Type: AWS::CDK::Metadata
            Properties:
              Analytics: v2:deflate64:H4sIAAAAAAAA/zPSMzQw0DNQTCwv1k1OydbNyUzVq
        """;

    private static readonly string[] Capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"];

    [Fact]
    public async Task ConnectorsBecomeTheManagedPoliciesQueuePoliciesSamGenerates_OnTheActingSidesRole()
    {
        var stack = await CreateAsync(new CloudFormationEngine(), "connectors", Template, Capabilities);

        Assert.True(stack.Status == "CREATE_COMPLETE", string.Join("; ", stack.Events.Select(change => $"{change.LogicalResourceId} {change.ResourceStatus} {change.ResourceStatusReason}")));
        var resources = JsonNode.Parse(stack.Template!.ProcessedBody!)!["Resources"]!.AsObject();
        Assert.DoesNotContain(resources, resource => resource.Value!["Connectors"] is not null || resource.Value!["Type"]!.ToString() == "AWS::Serverless::Connector");

        // A list of destinations: one policy per destination, on the source function's role.
        var table = resources["WorkerWritesDestination0Policy"]!;
        Assert.Equal("AWS::IAM::ManagedPolicy", table["Type"]!.ToString());
        Assert.Equal("""[{"Ref":"WorkerRole"}]""", table["Properties"]!["Roles"]!.ToJsonString());
        var tableStatement = table["Properties"]!["PolicyDocument"]!["Statement"]![0]!;
        Assert.Contains("dynamodb:PutItem", Actions(tableStatement));
        Assert.DoesNotContain("dynamodb:GetItem", Actions(tableStatement));
        Assert.Equal("""[{"Fn::GetAtt":["Table","Arn"]},{"Fn::Sub":["${DestinationArn}/index/*",{"DestinationArn":{"Fn::GetAtt":["Table","Arn"]}}]}]""",
            tableStatement["Resource"]!.ToJsonString());
        Assert.Equal("""{"Ref":"Topic"}""", resources["WorkerWritesDestination1Policy"]!["Properties"]!["PolicyDocument"]!["Statement"]![0]!["Resource"]![0]!.ToJsonString());

        // A state machine invoking a function: its own (generated) role gets lambda:InvokeFunction on the function.
        var invoke = resources["InvokePolicy"]!["Properties"]!;
        Assert.Equal("""[{"Ref":"MachineRole"}]""", invoke["Roles"]!.ToJsonString());
        Assert.Equal(["lambda:InvokeAsync", "lambda:InvokeFunction"], Actions(invoke["PolicyDocument"]!["Statement"]![0]!));

        // SQS -> Lambda: the destination function's role reads and deletes from the source queue (embedded on the queue).
        var consumer = resources["QueueConsumerPolicy"]!["Properties"]!;
        Assert.Equal("""[{"Ref":"WorkerRole"}]""", consumer["Roles"]!.ToJsonString());
        var consumerActions = consumer["PolicyDocument"]!["Statement"]!.AsArray().SelectMany(statement => Actions(statement!)).ToList();
        Assert.Equal(["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], consumerActions.Order(StringComparer.Ordinal));

        // SNS -> SQS: a queue policy letting the topic's service principal send, only from that topic.
        var fanout = resources["FanoutQueuePolicy"]!;
        Assert.Equal("AWS::SQS::QueuePolicy", fanout["Type"]!.ToString());
        Assert.Equal("""[{"Ref":"Queue"}]""", fanout["Properties"]!["Queues"]!.ToJsonString());
        var fanoutStatement = fanout["Properties"]!["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("sns.amazonaws.com", fanoutStatement["Principal"]!["Service"]!.ToString());
        Assert.Equal("""{"Ref":"Topic"}""", fanoutStatement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.ToJsonString());

        Assert.Equal("AWS::CDK::Metadata", stack.Resources.Single(resource => resource.LogicalId == "CDKMetadata").ResourceType);
    }

    [Theory]
    [InlineData("Topic", "Table", "[Write]", "Unable to create connector from AWS::SNS::Topic to AWS::DynamoDB::Table; it's not supported or the template is invalid.")]
    [InlineData("Queue", "Worker", "[Read]", "Unsupported 'Permissions' provided for connector from AWS::SQS::Queue to AWS::Lambda::Function; valid combinations are: [Read, Write].")]
    [InlineData("Worker", "Topic", "[Read]", "Unsupported 'Permissions' provided for connector from AWS::Lambda::Function to AWS::SNS::Topic; valid combinations are: [Write].")]
    [InlineData("Worker", "Missing", "[Write]", "Unable to find resource with logical ID 'Missing'.")]
    public void AConnectorSamCannotBuild_IsRefusedBeforeAnythingIsCreated(string source, string destination, string permissions, string detail)
    {
        var template = Template + $"\n  Bad:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {{ Id: {source} }}\n      Destination: {{ Id: {destination} }}\n      Permissions: {permissions}\n";
        var engine = new CloudFormationEngine();

        var error = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "bad-connector",
            TemplateBody = template,
            Capabilities = Capabilities,
        }));

        Assert.Equal("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. "
            + $"Resource with id [Bad] is invalid. {detail}", error.Message);
    }

    [Fact]
    public async Task TheGeneratedPolicyIsAttachedToTheRole_ThroughTheCli()
    {
        var path = Path.Combine(Path.GetTempPath(), $"connectors-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, Template);
        try
        {
            Assert.Equal(0, (await CliAsync("cloudformation", "create-stack", "--stack-name", "connectors-cli", "--template-body", "file://" + path,
                "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND")).ExitCode);
            await fixture.Server.State.CloudFormation.GetStack(fixture.Organization.ManagementAccountId, fixture.Organization.PrimaryRegion, "connectors-cli").Operation;
            var stack = (await CliAsync("cloudformation", "describe-stacks", "--stack-name", "connectors-cli")).Json.GetProperty("Stacks")[0];
            Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());

            var role = PhysicalId(await CliAsync("cloudformation", "describe-stack-resource", "--stack-name", "connectors-cli", "--logical-resource-id", "MachineRole"));
            var policy = PhysicalId(await CliAsync("cloudformation", "describe-stack-resource", "--stack-name", "connectors-cli", "--logical-resource-id", "InvokePolicy"));
            var attached = (await CliAsync("iam", "list-attached-role-policies", "--role-name", role)).Json.GetProperty("AttachedPolicies").EnumerateArray()
                .Select(item => item.GetProperty("PolicyArn").GetString()).ToList();
            Assert.Contains(policy, attached);

            Assert.Equal(0, (await CliAsync("cloudformation", "delete-stack", "--stack-name", "connectors-cli")).ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Task<ProcessResult> CliAsync(params string[] arguments) => AwsClients.RunCliAsync(AwsCli.V2, fixture.Server, fixture.Management, arguments);

    private static string PhysicalId(ProcessResult result) =>
        result.Json.GetProperty("StackResourceDetail").GetProperty("PhysicalResourceId").GetString()!;

    private static List<string> Actions(JsonNode statement) => statement["Action"]!.AsArray().Select(action => action!.ToString()).ToList();
}
