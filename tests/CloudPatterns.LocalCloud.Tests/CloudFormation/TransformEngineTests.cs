using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// The engine's side of transforms: a stack keeps the submitted and the processed template, through LocalCloud's
/// state file too, and a macro that a stack of the account defines is refused as a LocalCloud limit, naming it.
/// </summary>
public sealed class TransformEngineTests
{
    private const string Loop = """
        Transform: AWS::LanguageExtensions
        Parameters:
          Names:
            Type: CommaDelimitedList
            Default: Blue,Green
        Resources:
          Fn::ForEach::Topics:
            - Name
            - !Ref Names
            - ${Name}Topic:
                Type: AWS::SNS::Topic
        """;

    [Fact]
    public async Task AStackKeepsBothTemplatesAcrossTheStateFile()
    {
        var engine = new CloudFormationEngine();
        await CreateAsync(engine, "loops", Loop, capabilities: ["CAPABILITY_AUTO_EXPAND"]);

        // Through JSON, as LocalCloud's --state file keeps it.
        var saved = JsonSerializer.Deserialize<EngineSnapshot>(JsonSerializer.Serialize(engine.Save()))!;
        var restored = new CloudFormationEngine();
        restored.Restore(saved);

        var template = restored.GetStack(Account, Region, "loops").Template!;
        Assert.Equal(Loop, template.Body);
        Assert.Equal(["BlueTopic", "GreenTopic"], template.Resources.Keys.Order());
        Assert.Contains("\"GreenTopic\"", template.ProcessedBody);
        Assert.Equal(["AWS::LanguageExtensions"], template.DeclaredTransforms);
        Assert.Equal("CREATE_COMPLETE", restored.GetStack(Account, Region, "loops").Resources.Single(resource => resource.LogicalId == "GreenTopic").Status);
    }

    [Fact]
    public async Task AnIamPolicyConditionBlockStaysAsWrittenWhileALoopsComputedConditionNameResolves()
    {
        // Real-world templates (EKS roles) put IAM Condition blocks in a LanguageExtensions template; the transform
        // once took every object under a "Condition" key for a computed condition name and refused the template.
        var engine = new CloudFormationEngine();
        var stack = await CreateAsync(engine, "conditions", """
            Transform: AWS::LanguageExtensions
            Parameters:
              Names:
                Type: CommaDelimitedList
                Default: Blue,Green
            Conditions:
              IsBlue: !Equals [Blue, Blue]
              IsGreen: !Equals [Green, Red]
            Resources:
              Fn::ForEach::Topics:
                - Name
                - !Ref Names
                - ${Name}Topic:
                    Type: AWS::SNS::Topic
                    Condition: !Sub Is${Name}
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: autoscaling:SetDesiredCapacity
                        Resource: "*"
                        Condition:
                          StringEquals:
                            aws:ResourceTag/k8s.io/cluster-autoscaler/enabled: "true"
                          Bool:
                            aws:SecureTransport: "true"
            """, capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(["BlueTopic", "Policy"], stack.Resources.Where(resource => resource.Status == "CREATE_COMPLETE").Select(resource => resource.LogicalId).Order());
        using var processed = JsonDocument.Parse(stack.Template!.ProcessedBody!);
        var resources = processed.RootElement.GetProperty("Resources");
        Assert.Equal("IsGreen", resources.GetProperty("GreenTopic").GetProperty("Condition").GetString());
        var condition = resources.GetProperty("Policy").GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Condition");
        Assert.Equal("true", condition.GetProperty("StringEquals").GetProperty("aws:ResourceTag/k8s.io/cluster-autoscaler/enabled").GetString());
        Assert.Equal("true", condition.GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Fact]
    public async Task ADefinedMacroWithoutALambdaServiceIsRefusedAsALocalCloudLimitAndAnUndefinedOneAsCloudFormationDoes()
    {
        var engine = new CloudFormationEngine();
        const string UsesMacro = "Transform: CorpTags\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
        var undefined = Assert.Throws<CloudPatterns.LocalCloud.CloudFormation.CloudFormationException>(() => engine.CreateStack(Account, Region,
            new StackInput { StackName = "tagged", TemplateBody = UsesMacro, Capabilities = ["CAPABILITY_AUTO_EXPAND"] }));
        Assert.Equal($"No transform named {Account}::CorpTags found.", undefined.Message);

        var macro = await CreateAsync(engine, "macro", """
            Resources:
              Macro:
                Type: AWS::CloudFormation::Macro
                Properties:
                  Name: CorpTags
                  FunctionName: arn:aws:lambda:us-east-2:333333333333:function:corp-tags
            """);
        Assert.Equal("CREATE_COMPLETE", macro.Status);
        var defined = Assert.Throws<CloudPatterns.LocalCloud.CloudFormation.CloudFormationException>(() => engine.CreateStack(Account, Region,
            new StackInput { StackName = "tagged", TemplateBody = UsesMacro, Capabilities = ["CAPABILITY_AUTO_EXPAND"] }));
        Assert.Equal($"Transform {Account}::CorpTags failed: LocalCloud cannot run this macro's function (no Lambda service).", defined.Message);
        Assert.Null(engine.FindStack(Account, Region, "tagged"));
    }
}
