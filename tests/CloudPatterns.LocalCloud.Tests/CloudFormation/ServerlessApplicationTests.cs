using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// SAM's AWS::Serverless::Application (docs/localcloud-cloudformation-transforms.md): an application of the Serverless
/// Application Repository becomes a nested stack of its published template, its id and version resolved from
/// parameters and mappings and recorded as the stack's tags; an application that is not published is refused in
/// SAM's words, before anything is created.
/// </summary>
public sealed class ServerlessApplicationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Boto3_APublishedApplicationDeploysAsANestedStackAndDeletesWithItsParent_AnUnpublishedVersionIsRefused()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "serverless_applications_client.py", ApplicationFile);
        var region = fixture.Organization.PrimaryRegion;

        Assert.Equal(400, result.GetProperty("bad")[0].GetInt32());
        Assert.StartsWith("applicationId 'arn:aws:lambda:us-east-1:172664222583:function:x' is not an application ARN", result.GetProperty("bad")[1].GetString());
        Assert.Equal(200, result.GetProperty("published")[0].GetInt32());
        Assert.Contains("\"semanticVersion\":\"1.2.0\"", result.GetProperty("published")[1].GetRawText());
        Assert.Equal("ValidationError: Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. "
            + "Resource with id [Alerts] is invalid. Application with id arn:aws:serverlessrepo:us-east-1:172664222583:applications/wire-topic could not be found.",
            result.GetProperty("unknown").GetString());
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal($"arn:aws:sns:{region}:111111111111:wire-alerts", result.GetProperty("outputs").GetProperty("Topic").GetString());
        var processed = result.GetProperty("processed");
        Assert.Equal("AWS::CloudFormation::Stack", processed.GetProperty("Type").GetString());
        Assert.Equal("""[{"Key":"lambda:createdBy","Value":"SAM"},{"Key":"serverlessrepo:applicationId","Value":"arn:aws:serverlessrepo:us-east-1:172664222583:applications/wire-topic"},{"Key":"serverlessrepo:semanticVersion","Value":"1.2.0"}]""",
            processed.GetProperty("Properties").GetProperty("Tags").GetRawText());
        var child = result.GetProperty("child");
        Assert.Equal("CREATE_COMPLETE", child[0].GetString());
        Assert.True(child[1].GetBoolean());
        Assert.Equal($"arn:aws:sns:{region}:111111111111:wire-alerts", child[2].GetProperty("TopicArn").GetString());
        Assert.Equal("""{"team":"ops","lambda:createdBy":"SAM","serverlessrepo:applicationId":"arn:aws:serverlessrepo:us-east-1:172664222583:applications/wire-topic","serverlessrepo:semanticVersion":"1.2.0"}""",
            child[3].GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("childAfterDelete").GetString());
    }

    private const string ApplicationId = "arn:aws:serverlessrepo:us-east-1:172664222583:applications/sns-topic";

    private static readonly string ApplicationFile = Path.Combine(AppContext.BaseDirectory, "CloudFormation", "Transforms", "serverless-application-topic.yaml");

    /// <summary>The application's template (also the boto3 test's, python/serverless_applications_client.py).</summary>
    private static readonly string Application = File.ReadAllText(ApplicationFile);

    private const string Parent = """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Version:
            Type: String
            Default: 2.1.0
        Mappings:
          Repository:
            Applications:
              Topic: arn:aws:serverlessrepo:us-east-1:172664222583:applications/sns-topic
        Resources:
          Alerts:
            Type: AWS::Serverless::Application
            Properties:
              Location:
                ApplicationId: !FindInMap [Repository, Applications, Topic]
                SemanticVersion: !Ref Version
              Parameters:
                TopicName: alerts
              Tags:
                team: ops
          Subscription:
            Type: AWS::SNS::Subscription
            Properties:
              Protocol: email
              Endpoint: ops@example.com
              TopicArn: !GetAtt Alerts.Outputs.TopicArn
        Outputs:
          Topic:
            Value: !GetAtt Alerts.Outputs.TopicArn
        """;

    [Fact]
    public async Task APublishedApplicationIsDeployedAsANestedStackOfItsTemplate_TaggedWithItsIdAndVersion()
    {
        var engine = new CloudFormationEngine();
        engine.ServerlessApplications.Publish(ApplicationId, "2.1.0", Application);

        var parent = await CreateAsync(engine, "monitoring", Parent, capabilities: ["CAPABILITY_AUTO_EXPAND"]);

        Assert.Equal("CREATE_COMPLETE", parent.Status);
        var processed = parent.Template!.ProcessedBody!;
        Assert.Contains("\"AWS::CloudFormation::Stack\"", processed);
        Assert.Contains("\"serverlessrepo:applicationId\"", processed);
        Assert.Contains("\"Key\":\"team\"", processed.Replace(" ", ""));
        var child = engine.ListStacks(Account, Region).Single(stack => stack.ParentId == parent.StackId);
        Assert.Equal("CREATE_COMPLETE", child.Status);
        Assert.StartsWith("monitoring-Alerts-", child.StackName);
        var topicArn = Assert.Single(parent.Outputs).OutputValue;
        Assert.Equal($"arn:aws:sns:{Region}:{Account}:alerts", topicArn);
        Assert.Equal(topicArn, Assert.Single(child.Outputs).OutputValue);

        await DeleteAsync(engine, "monitoring");
        Assert.True(engine.FindStack(Account, Region, child.StackId)?.IsDeleted ?? true);
    }

    [Fact]
    public void AnApplicationNotPublished_OrAVersionNotPublished_IsRefusedInSamsWordsBeforeAnythingIsCreated()
    {
        var engine = new CloudFormationEngine();
        engine.ServerlessApplications.Publish(ApplicationId, "2.0.0", Application);

        var refused = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region,
            new StackInput { StackName = "monitoring", TemplateBody = Parent, Capabilities = ["CAPABILITY_AUTO_EXPAND"] }));

        Assert.Equal("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. "
            + $"Resource with id [Alerts] is invalid. Application with id {ApplicationId} could not be found.", refused.Message);
        Assert.Null(engine.FindStack(Account, Region, "monitoring"));
    }

    [Theory]
    [InlineData("arn:aws:serverlessrepo:us-east-1:172664222583:applications/", "1.0.0", "applicationId")]
    [InlineData("arn:aws:lambda:us-east-1:172664222583:function:sns-topic", "1.0.0", "applicationId")]
    [InlineData(ApplicationId, "", "semanticVersion")]
    public void PublishingRefusesABadIdOrVersion_NamingIt(string applicationId, string version, string named)
    {
        var engine = new CloudFormationEngine();
        var refused = Assert.Throws<ArgumentException>(() => engine.ServerlessApplications.Publish(applicationId, version, Application));
        Assert.StartsWith(named, refused.Message);
        Assert.Empty(engine.ServerlessApplications.List());
    }

    [Fact]
    public async Task ALocationThatIsAnS3Url_IsTheNestedStacksTemplateUrl()
    {
        var engine = new CloudFormationEngine { TemplateSource = new OneTemplate("https://corpus-apps.s3.amazonaws.com/sns-topic.yaml", Application) };

        var parent = await CreateAsync(engine, "monitoring", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Alerts:
                Type: AWS::Serverless::Application
                Properties:
                  Location: https://corpus-apps.s3.amazonaws.com/sns-topic.yaml
                  Parameters:
                    TopicName: alerts
            Outputs:
              Topic:
                Value: !GetAtt Alerts.Outputs.TopicArn
            """, capabilities: ["CAPABILITY_AUTO_EXPAND"]);

        Assert.Equal("CREATE_COMPLETE", parent.Status);
        Assert.Equal($"arn:aws:sns:{Region}:{Account}:alerts", Assert.Single(parent.Outputs).OutputValue);
        Assert.DoesNotContain("serverlessrepo:", parent.Template!.ProcessedBody);
    }

    /// <summary>A template source holding one object (the S3 side is tested with S3 in NestedStackTests).</summary>
    private sealed class OneTemplate(string url, string body) : ITemplateSource
    {
        public string Read(StackIdentity stack, string templateUrl) =>
            templateUrl == url ? body : throw new ResourceFailedException("S3 error: The specified key does not exist.");
    }
}
