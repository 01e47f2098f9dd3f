using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Templates with transforms, through boto3 (python/transforms_client.py over CloudFormation/Transforms/*.yaml):
/// AWS::LanguageExtensions, AWS::Include from LocalCloud's S3, the SAM transform, and the refusals CloudFormation
/// gives (docs/localcloud-cloudformation-transforms.md). GetTemplate shows the Original and the Processed template.
/// </summary>
public sealed class TransformTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private Task<JsonElement> RunAsync(string scenario) => AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management,
        "transforms_client.py", scenario, Path.Combine(AppContext.BaseDirectory, "CloudFormation", "Transforms"));

    [Fact]
    public async Task LanguageExtensionsExpandLoopsLengthsJsonStringsMapDefaultsAndPolicies()
    {
        var result = await RunAsync("language-extensions");
        var region = fixture.Organization.PrimaryRegion;

        Assert.Equal("InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_AUTO_EXPAND]", result.GetProperty("withoutCapability").GetString());
        Assert.Equal("[[\"AWS::LanguageExtensions\"],[\"CAPABILITY_AUTO_EXPAND\"]]", result.GetProperty("validated").GetRawText());
        var created = result.GetProperty("created");
        Assert.Equal("CREATE_COMPLETE", created[0].GetString());
        var outputs = created[1];
        Assert.Equal("2", outputs.GetProperty("TopicCount").GetString());
        Assert.Equal($"{{\"topics\":[\"Orders\",\"Invoices\"],\"orders\":\"arn:aws:sns:{region}:111111111111:corp-Orders\"}}", outputs.GetProperty("Settings").GetString());
        Assert.Equal($"arn:aws:sns:{region}:111111111111:corp-Orders", outputs.GetProperty("OrdersArn").GetString());
        Assert.False(outputs.TryGetProperty("InvoicesArn", out _));
        Assert.Equal(
            ["InvoicesTopic:AWS::SNS::Topic:CREATE_COMPLETE", "Invoicesdev1Alarm:AWS::CloudWatch::Alarm:CREATE_COMPLETE",
             "Invoicesprod2Alarm:AWS::CloudWatch::Alarm:CREATE_COMPLETE", "OrdersTopic:AWS::SNS::Topic:CREATE_COMPLETE",
             "Ordersdev1Alarm:AWS::CloudWatch::Alarm:CREATE_COMPLETE", "Ordersprod2Alarm:AWS::CloudWatch::Alarm:CREATE_COMPLETE"],
            created[2].EnumerateArray().Select(item => item.GetString()!));

        Assert.True(result.GetProperty("original").GetBoolean());
        var processed = result.GetProperty("processed");
        Assert.False(processed.TryGetProperty("Transform", out _));
        var resources = processed.GetProperty("Resources");
        Assert.Equal("7", resources.GetProperty("OrdersTopic").GetProperty("Properties").GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.Equal("30", resources.GetProperty("InvoicesTopic").GetProperty("Properties").GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.Equal("Delete", resources.GetProperty("OrdersTopic").GetProperty("DeletionPolicy").GetString());
        Assert.Equal("[\"InvoicesTopic\",\"TopicName\"]",
            resources.GetProperty("Invoicesprod2Alarm").GetProperty("Properties").GetProperty("Dimensions")[0].GetProperty("Value").GetProperty("Fn::GetAtt").GetRawText());
        Assert.Equal("{\"Fn::Equals\":[\"Invoices\",\"Orders\"]}", processed.GetProperty("Conditions").GetProperty("IsInvoices").GetRawText());

        // Another list makes other resources: the loop runs again with the update's parameter values.
        var updated = result.GetProperty("updated");
        Assert.Equal("UPDATE_COMPLETE", updated[0].GetString());
        Assert.Contains("RefundsTopic:AWS::SNS::Topic:CREATE_COMPLETE", updated[2].EnumerateArray().Select(item => item.GetString()));
        Assert.DoesNotContain(updated[2].EnumerateArray(), item => item.GetString()!.StartsWith("Invoices", StringComparison.Ordinal));
        Assert.Equal("Retain", result.GetProperty("updatedPolicy").GetString());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task IncludeReadsTopLevelAndInlineSnippetsFromS3()
    {
        var result = await RunAsync("include");

        Assert.Equal("ValidationError: Transform AWS::Include failed with: S3 object s3://corp-snippets/topic-properties.json does not exist or is not readable.",
            result.GetProperty("missing").GetString());
        var created = result.GetProperty("created");
        Assert.Equal("CREATE_COMPLETE", created[0].GetString());
        Assert.Equal("[\"ExtraArn\"]", created[1].GetRawText());
        Assert.Equal("[\"Extra:AWS::SNS::Topic:CREATE_COMPLETE\",\"Queue:AWS::SNS::Topic:CREATE_COMPLETE\"]", created[2].GetRawText());
        Assert.Contains("included-topic", result.GetProperty("topics").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal("{\"Type\":\"AWS::SNS::Topic\",\"Properties\":{\"TopicName\":\"included-topic\"}}", result.GetProperty("processed").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task ServerlessResourcesBecomeTheResourcesSamGenerates()
    {
        var result = await RunAsync("serverless");
        var region = fixture.Organization.PrimaryRegion;

        Assert.Equal("InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND]", result.GetProperty("withoutIam").GetString());
        string[] expected =
        [
            "Api:AWS::ApiGateway::RestApi", "Apiv1Stage:AWS::ApiGateway::Stage", "Flow:AWS::StepFunctions::StateMachine", "FlowRole:AWS::IAM::Role",
            "InlineFunction:AWS::Lambda::Function", "InlineFunctionAliaslive:AWS::Lambda::Alias", "InlineFunctionRole:AWS::IAM::Role",
            "Items:AWS::DynamoDB::Table", "ItemsFunction:AWS::Lambda::Function", "ItemsFunctionGetItemsPermission:AWS::Lambda::Permission",
            "ItemsFunctionHelloPermissionProd:AWS::Lambda::Permission", "ItemsFunctionHttpPermission:AWS::Lambda::Permission",
            "ItemsFunctionNightly:AWS::Events::Rule", "ItemsFunctionNightlyPermission:AWS::Lambda::Permission",
            "ItemsFunctionNotice:AWS::SNS::Subscription", "ItemsFunctionNoticePermission:AWS::Lambda::Permission",
            "ItemsFunctionRole:AWS::IAM::Role", "ItemsFunctionUploadPermission:AWS::Lambda::Permission", "Notices:AWS::SNS::Topic",
            "ServerlessHttpApi:AWS::ApiGatewayV2::Api", "ServerlessHttpApiApiGatewayDefaultStage:AWS::ApiGatewayV2::Stage",
            "ServerlessRestApi:AWS::ApiGateway::RestApi", "ServerlessRestApiProdStage:AWS::ApiGateway::Stage", "Uploads:AWS::S3::Bucket",
        ];
        // Deployments, versions and layer versions carry SAM's content hash in their logical ids.
        var types = result.GetProperty("processedTypes").EnumerateArray().Select(item => item.GetString()!).ToList();
        Assert.Equal(expected, types.Where(type => !type.Contains("Deployment", StringComparison.Ordinal) && !type.Contains("Version", StringComparison.Ordinal)));
        Assert.Matches("^ApiDeployment[0-9a-f]{10}:AWS::ApiGateway::Deployment$", types.Single(type => type.StartsWith("ApiDeployment", StringComparison.Ordinal)));
        Assert.Matches("^Shared[0-9a-f]{10}:AWS::Lambda::LayerVersion$", types.Single(type => type.StartsWith("Shared", StringComparison.Ordinal)));
        Assert.Equal(types.Select(type => type.Split(':')[0] + ":" + type[(type.IndexOf(':') + 1)..]), result.GetProperty("changeSet").EnumerateArray().Select(item => item.GetString()!));
        Assert.False(result.GetProperty("transformKept").GetBoolean());

        var created = result.GetProperty("created");
        Assert.Equal("CREATE_COMPLETE", created[0].GetString());
        Assert.StartsWith($"arn:aws:lambda:{region}:111111111111:function:sam-ItemsFunction-", created[1].GetProperty("FunctionArn").GetString());
        var processed = result.GetProperty("processed");
        var function = processed.GetProperty("ItemsFunction").GetProperty("Properties");
        Assert.Equal("{\"S3Bucket\":\"corp-artifacts\",\"S3Key\":\"items.zip\"}", function.GetProperty("Code").GetRawText());
        Assert.Equal("python3.12", function.GetProperty("Runtime").GetString());
        Assert.Equal("{\"Variables\":{\"STAGE\":\"test\",\"TABLE\":{\"Ref\":\"Items\"}}}", function.GetProperty("Environment").GetRawText());
        Assert.Equal("{\"Fn::GetAtt\":[\"ItemsFunctionRole\",\"Arn\"]}", function.GetProperty("Role").GetRawText());
        Assert.Matches("^\\[\\{\"Ref\":\"Shared[0-9a-f]{10}\"\\}\\]$", function.GetProperty("Layers").GetRawText());
        var role = processed.GetProperty("ItemsFunctionRole").GetProperty("Properties");
        Assert.Contains("dynamodb:PutItem", role.GetProperty("Policies")[0].GetProperty("PolicyDocument").GetRawText());
        Assert.Equal(["AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess"],
            result.GetProperty("role").EnumerateArray().Select(policy => policy.GetProperty("PolicyName").GetString()!).Order());
        Assert.Equal("{\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
            processed.GetProperty("Items").GetProperty("Properties").GetRawText());
        Assert.Equal("rate(1 day)", processed.GetProperty("ItemsFunctionNightly").GetProperty("Properties").GetProperty("ScheduleExpression").GetString());
        Assert.Equal("[\"ItemsFunctionUploadPermission\"]", processed.GetProperty("Uploads").GetProperty("DependsOn").GetRawText());
        Assert.Equal("Prod", processed.GetProperty("ServerlessRestApiProdStage").GetProperty("Properties").GetProperty("StageName").GetString());
        Assert.Equal("{\"Fn::GetAtt\":[\"FlowRole\",\"Arn\"]}", processed.GetProperty("Flow").GetProperty("Properties").GetProperty("RoleArn").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task TransformsRefuseWhatCloudFormationRefusesBeforeAnythingIsCreated()
    {
        var result = await RunAsync("refusals");
        const string Sam = "ValidationError: Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. ";

        Assert.Equal("ValidationError: No transform named 111111111111::CorpTags found.", result.GetProperty("macro").GetString());
        Assert.Equal(Sam + "Resource with id [Fn] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.",
            result.GetProperty("localCode").GetString());
        Assert.Equal(Sam + "Resource with id [Fn] is invalid. Either 'InlineCode' or 'CodeUri' must be set", result.GetProperty("noCode").GetString());
        Assert.Equal(Sam + "Resource with id [App] is invalid. Application with id arn:aws:serverlessrepo:us-east-1:123456789012:applications/none could not be found.", result.GetProperty("application").GetString());
        Assert.StartsWith(Sam + "Resource with id [Fn] is invalid. Policy template NoSuchPolicy is not one LocalCloud knows", result.GetProperty("policyTemplate").GetString());
        Assert.StartsWith("ValidationError: Transform AWS::LanguageExtensions failed with: Fn::ForEach::Topics: the OutputKey Topic must contain ${Name} or &{Name}",
            result.GetProperty("sameKey").GetString());
        Assert.StartsWith("ValidationError: Transform AWS::LanguageExtensions failed with: Fn::Length layout is incorrect", result.GetProperty("length").GetString());
        Assert.StartsWith("ValidationError: Template format error: Encountered unsupported function: Fn::ForEach::Topics", result.GetProperty("withoutTransform").GetString());
        Assert.Equal("[]", result.GetProperty("stacks").GetRawText());
    }
}
