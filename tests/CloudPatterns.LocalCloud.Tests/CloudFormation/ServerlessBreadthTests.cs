using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// What real SAM templates (the serverless-patterns corpus set) need of the SAM transform
/// (docs/localcloud-cloudformation-transforms.md): policies by managed-policy name at their path, more policy
/// templates, referable properties (Function.Alias, Api.Stage), FunctionUrlConfig, IoTRule/CloudWatchLogs/MSK events,
/// SAM's pass-through attributes; and scalar environment values, Java POSIX classes in AllowedPattern.
/// </summary>
public sealed class ServerlessBreadthTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Function = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Logs:
            Type: AWS::Logs::LogGroup
          Worker:
            Type: AWS::Serverless::Function
            DependsOn: Queue
            Properties:
              Runtime: python3.12
              Handler: index.handler
              InlineCode: "def handler(event, context):\n    return event\n"
              AutoPublishAlias: live
              FunctionUrlConfig:
                AuthType: NONE
              Environment:
                Variables:
                  RUST_BACKTRACE: 1
                  SIMULATE_FAILURE: false
              Policies:
                - AWSLambdaBasicExecutionRole
                - SESCrudPolicy:
                    IdentityName: example.com
                - KinesisStreamReadPolicy:
                    StreamName: clicks
              Events:
                Things:
                  Type: IoTRule
                  Properties:
                    Sql: SELECT * FROM 'things/#'
                Errors:
                  Type: CloudWatchLogs
                  Properties:
                    LogGroupName: !Ref Logs
                    FilterPattern: ERROR
        Outputs:
          Alias:
            Value: !Ref Worker.Alias
          VersionNumber:
            Value: !GetAtt Worker.Version.Version
          Version:
            Value: !Sub "${Worker.Version}"
          Url:
            Value: !GetAtt WorkerUrl.FunctionUrl
        """;

    [Fact]
    public async Task ASamFunctionWithScalarEnvironmentValues_APolicyByName_AUrlAndNewEventSources_Deploys()
    {
        var stack = fixture.Server.State.CloudFormation.CreateStack("111111111111", "us-east-2", new StackInput
        {
            StackName = "sam-breadth",
            // LocalCloud keeps Lambda aliases as recorded resources (no alias ARN to put a URL on): the URL is the function's.
            TemplateBody = Function.Replace("      AutoPublishAlias: live\n", "").Split("\nOutputs:")[0] + "\nOutputs:\n  Url:\n    Value: !GetAtt WorkerUrl.FunctionUrl\n",
            Capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        });
        await stack.Operation;

        Assert.True(stack.Status == "CREATE_COMPLETE", string.Join("; ", stack.Events.Select(change => $"{change.LogicalResourceId} {change.ResourceStatus} {change.ResourceStatusReason}")));
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.False(string.IsNullOrEmpty(outputs["Url"])); // LocalCloud records the URL resource (no Lambda URL endpoint)
        var function = fixture.Server.State.Lambda.FindByArn(stack.Resources.Single(resource => resource.LogicalId == "Worker").PhysicalId is var name
            ? $"arn:aws:lambda:us-east-2:111111111111:function:{name}" : "")!;
        Assert.Equal(new Dictionary<string, string> { ["RUST_BACKTRACE"] = "1", ["SIMULATE_FAILURE"] = "false" }, function.Environment);
        var role = fixture.Server.State.Iam.FindRole(function.Role)!;
        Assert.Contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", role.AttachedPolicyArns);
    }

    [Fact]
    public async Task TheProcessedTemplate_FollowsSamsTranslation()
    {
        var engine = new CloudFormationEngine { ManagedPolicyPath = name => name == "AWSLambdaBasicExecutionRole" ? "/service-role/" : null };

        var stack = await CreateAsync(engine, "sam", Function, capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]);

        var resources = JsonNode.Parse(stack.Template!.ProcessedBody!)!["Resources"]!.AsObject();
        // DependsOn stays on the function only; generated resources get Condition/DeletionPolicy/UpdateReplacePolicy.
        Assert.Equal("Queue", resources["Worker"]!["DependsOn"]!.ToString());
        Assert.Null(resources["WorkerRole"]!["DependsOn"]);
        Assert.Null(resources["WorkerAliaslive"]!["DependsOn"]);
        var role = resources["WorkerRole"]!["Properties"]!;
        Assert.Contains("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            role["ManagedPolicyArns"]!.AsArray().Select(arn => arn!["Fn::Sub"]?.ToString()));
        var actions = role["Policies"]!.AsArray().SelectMany(policy => policy!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(statement => statement!["Action"]!.AsArray().Select(action => action!.ToString())).ToList();
        Assert.Contains("ses:SendEmail", actions);
        Assert.Contains("kinesis:GetRecords", actions);
        Assert.Equal("AWS::IoT::TopicRule", resources["WorkerThings"]!["Type"]!.ToString());
        Assert.Equal("iot.amazonaws.com", resources["WorkerThingsPermission"]!["Properties"]!["Principal"]!.ToString());
        Assert.Equal("AWS::Logs::SubscriptionFilter", resources["WorkerErrors"]!["Type"]!.ToString());
        Assert.Equal("""["WorkerErrorsPermission"]""", resources["WorkerErrors"]!["DependsOn"]!.ToJsonString());
        Assert.Equal("""{"Ref":"WorkerAliaslive"}""", resources["WorkerUrl"]!["Properties"]!["TargetFunctionArn"]!.ToJsonString());
        Assert.Equal("NONE", resources["WorkerUrlPublicPermissions"]!["Properties"]!["FunctionUrlAuthType"]!.ToString());
        var outputs = JsonNode.Parse(stack.Template!.ProcessedBody!)!["Outputs"]!;
        Assert.Equal("""{"Ref":"WorkerAliaslive"}""", outputs["Alias"]!["Value"]!.ToJsonString());
        Assert.Matches("""^\{"Fn::GetAtt":\["WorkerVersion[0-9a-f]{10}","Version"\]\}$""", outputs["VersionNumber"]!["Value"]!.ToJsonString());
        Assert.StartsWith("${WorkerVersion", outputs["Version"]!["Value"]!["Fn::Sub"]!.ToString());
    }

    [Fact]
    public async Task AnApisStageAndDeployment_AreReferable()
    {
        var stack = await CreateAsync(new CloudFormationEngine(), "api", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
              Mapping:
                Type: AWS::SNS::Topic
                Properties:
                  DisplayName: !Ref Api.Stage
            Outputs:
              Deployment:
                Value: !Ref Api.Deployment
            """, capabilities: ["CAPABILITY_AUTO_EXPAND"]);

        var processed = JsonNode.Parse(stack.Template!.ProcessedBody!)!;
        Assert.Equal("""{"Ref":"ApiprodStage"}""", processed["Resources"]!["Mapping"]!["Properties"]!["DisplayName"]!.ToJsonString());
        Assert.StartsWith("ApiDeployment", processed["Outputs"]!["Deployment"]!["Value"]!["Ref"]!.ToString());
    }

    [Fact]
    public async Task AGraphQLApi_BecomesTheAppSyncResourcesSamGenerates()
    {
        var stack = await CreateAsync(new CloudFormationEngine(), "graphql", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Chat:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  InlineCode: "def handler(event, context):\n    return event\n"
              Api:
                Type: AWS::Serverless::GraphQLApi
                Properties:
                  SchemaInline: "type Mutation { send(text: String): String }"
                  ApiKeys:
                    TestKey:
                      Description: test
                  Auth:
                    Type: API_KEY
                    Additional:
                      - Type: AWS_IAM
                  DataSources:
                    Lambda:
                      Chat:
                        FunctionArn: !GetAtt Chat.Arn
                  Functions:
                    sendFunction:
                      Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
                      DataSource: Chat
                      InlineCode: "export function request(ctx) { return {}; }"
                    echoFunction:
                      Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
                      DataSource: NONE
                      InlineCode: "export function request(ctx) { return {}; }"
                  Resolvers:
                    Mutation:
                      send:
                        Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
                        Pipeline: [echoFunction, sendFunction]
            Outputs:
              ApiId:
                Value: !GetAtt Api.ApiId
            """, capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]);

        Assert.True(stack.Status == "CREATE_COMPLETE", string.Join("; ", stack.Events.Select(change => $"{change.LogicalResourceId} {change.ResourceStatus} {change.ResourceStatusReason}")));
        var resources = JsonNode.Parse(stack.Template!.ProcessedBody!)!["Resources"]!.AsObject();
        var types = resources.ToDictionary(pair => pair.Key, pair => pair.Value!["Type"]!.ToString());
        Assert.Equal("AWS::AppSync::GraphQLApi", types["Api"]);
        Assert.Equal("AWS::AppSync::GraphQLSchema", types["ApiSchema"]);
        Assert.Equal("AWS::AppSync::ApiKey", types["ApiTestKey"]);
        Assert.Equal("AWS::IAM::Role", types["ApiCloudWatchRole"]);
        Assert.Equal("AWS::AppSync::DataSource", types["ApiChatLambdaDataSource"]);
        Assert.Equal("AWS::IAM::Role", types["ApiChatLambdaDataSourceRole"]);
        Assert.Equal("AWS::AppSync::DataSource", types["ApiNoneDataSource"]);
        Assert.Equal("AWS::AppSync::FunctionConfiguration", types["ApisendFunction"]);
        Assert.Equal("AWS::AppSync::Resolver", types["ApiMutationsend"]);
        var api = resources["Api"]!["Properties"]!;
        Assert.Equal("API_KEY", api["AuthenticationType"]!.ToString());
        Assert.Equal("""[{"AuthenticationType":"AWS_IAM"}]""", api["AdditionalAuthenticationProviders"]!.ToJsonString());
        Assert.Equal("""{"Functions":[{"Fn::GetAtt":["ApiechoFunction","FunctionId"]},{"Fn::GetAtt":["ApisendFunction","FunctionId"]}]}""",
            resources["ApiMutationsend"]!["Properties"]!["PipelineConfig"]!.ToJsonString());
        Assert.Equal("""["ApiSchema"]""", resources["ApiMutationsend"]!["DependsOn"]!.ToJsonString());
        Assert.False(string.IsNullOrEmpty(Assert.Single(stack.Outputs).OutputValue));
    }

    [Fact]
    public async Task AnMqEvent_IsAMappingOfTheBroker_AndTheRoleReadsItsSecret()
    {
        var stack = await CreateAsync(new CloudFormationEngine(), "mq", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  InlineCode: "def handler(event, context):\n    return event\n"
                  Events:
                    Broker:
                      Type: MQ
                      Properties:
                        Broker: arn:aws:mq:us-east-2:333333333333:broker:orders:b-1234
                        Queues: [orders]
                        SourceAccessConfigurations:
                          - Type: BASIC_AUTH
                            URI: arn:aws:secretsmanager:us-east-2:333333333333:secret:mq-abc
            """, capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]);

        var resources = JsonNode.Parse(stack.Template!.ProcessedBody!)!["Resources"]!;
        var mapping = resources["HandlerBroker"]!["Properties"]!;
        Assert.Equal("arn:aws:mq:us-east-2:333333333333:broker:orders:b-1234", mapping["EventSourceArn"]!.ToString());
        Assert.Equal("""["orders"]""", mapping["Queues"]!.ToJsonString());
        var policy = Assert.Single(resources["HandlerRole"]!["Properties"]!["Policies"]!.AsArray())!;
        Assert.Equal("SamAutoGeneratedAMQPolicy", policy["PolicyName"]!.ToString());
        Assert.Equal("arn:aws:secretsmanager:us-east-2:333333333333:secret:mq-abc", policy["PolicyDocument"]!["Statement"]![0]!["Resource"]!.ToString());
    }

    [Fact]
    public void AnUnknownPolicyTemplate_IsStillRefusedNamingTheKnownOnes()
    {
        var refused = Assert.Throws<CloudFormationException>(() => new CloudFormationEngine().CreateStack(Account, Region, new StackInput
        {
            StackName = "unknown",
            TemplateBody = Function.Replace("KinesisStreamReadPolicy", "NoSuchPolicy"),
            Capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        }));
        Assert.Contains("Policy template NoSuchPolicy is not one LocalCloud knows", refused.Message);
        Assert.Contains("SESCrudPolicy", refused.Message);
    }

    [Theory]
    [InlineData(@"^(?=(.*\p{Print}){4,})(?!.*[ ,:=])[\p{Print}]{12,}$", "Passw0rd!Passw0rd", true)]
    [InlineData(@"^(?=(.*\p{Print}){4,})(?!.*[ ,:=])[\p{Print}]{12,}$", "short!", false)]
    [InlineData(@"[\p{Alpha}][\p{Alnum}]*", "a1b2", true)]
    [InlineData(@"[\p{Alpha}][\p{Alnum}]*", "1ab", false)]
    [InlineData(@"\p{Upper}\P{Digit}", "Ax", true)]
    [InlineData(@"\p{Upper}\P{Digit}", "A1", false)]
    public void AllowedPattern_ReadsJavasPosixClasses(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, JavaPattern.IsMatch(value, pattern));
    }
}
