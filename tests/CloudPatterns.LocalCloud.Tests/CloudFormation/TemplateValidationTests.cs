using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

public sealed class TemplateValidationTests
{
    private readonly CloudFormationEngine _engine = new();

    private CloudFormationException Refused(string body, IReadOnlyList<string>? capabilities = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        Assert.Throws<CloudFormationException>(() => _engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "refused",
            TemplateBody = body,
            Capabilities = capabilities ?? [],
            Parameters = parameters ?? new Dictionary<string, string>(),
        }));

    [Fact]
    public void UnknownResourceTypeIsRefusedAtCreateStack()
    {
        var error = Refused(ReadTemplate("invalid/unknown-type.yaml"));
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("Template format error: Unrecognized resource types: [AWS::Foo::Bar]", error.Message);
        Assert.Null(_engine.FindStack(Account, Region, "refused"));
    }

    [Fact]
    public void RefToAnUnknownLogicalIdIsRefused()
    {
        var error = Refused(ReadTemplate("invalid/bad-ref.yaml"));
        Assert.Equal("Template format error: Unresolved resource dependencies [MissingVpc] in the Resources block of the template", error.Message);
    }

    [Fact]
    public void GetAttOfAMissingAttributeNamesResourceAndAttribute()
    {
        var error = Refused(ReadTemplate("invalid/bad-getatt.yaml"));
        Assert.Equal("Template error: resource Topic does not support attribute type Url in Fn::GetAtt", error.Message);
    }

    [Fact]
    public void GetAttOfAnUndefinedResourceIsRefused()
    {
        var error = Refused("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Arn:\n    Value: !GetAtt Queue.Arn\n");
        Assert.Equal("Template error: instance of Fn::GetAtt references undefined resource Queue", error.Message);
    }

    [Fact]
    public void CircularDependenciesAreRefused()
    {
        var error = Refused(ReadTemplate("invalid/circular.yaml"));
        Assert.Equal("Circular dependency between resources: [First, Second]", error.Message);
    }

    [Fact]
    public void IamResourcesNeedCapabilities()
    {
        const string role = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n";
        var unnamed = Refused(role);
        Assert.Equal("InsufficientCapabilitiesException", unnamed.ErrorCode);
        Assert.Equal("Requires capabilities : [CAPABILITY_IAM]", unnamed.Message);

        var named = Refused(role + "      RoleName: fixed\n", ["CAPABILITY_IAM"]);
        Assert.Equal("Requires capabilities : [CAPABILITY_NAMED_IAM]", named.Message);
    }

    [Theory]
    [InlineData("{\"Resources\": {", "Template format error: JSON not well-formed. (line 1, column 16)")]
    [InlineData("Resources:\n  A: [\n", "Template format error: YAML not well-formed. (line 3, column 1)")]
    [InlineData("Description: none\n", "Template format error: At least one Resources member must be defined.")]
    [InlineData("Conditions:\n  Never: !Equals [a, b]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: Never\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Topic.TopicName\n",
        "Template format error: Unresolved resource dependencies [Topic] in the Resources block of the template")]
    [InlineData("Resources:\n  Function:\n    Type: AWS::Serverless::Function\n", "Template format error: Unrecognized resource types: [AWS::Serverless::Function]")]
    [InlineData("Resources:\n  Topic:\n    Properties: {}\n", "Template format error: [/Resources/Topic] Every Resources object must contain a Type member.")]
    [InlineData("Resource:\n  Topic:\n    Type: AWS::SNS::Topic\n", "Template format error: Invalid template property or properties [Resource]")]
    [InlineData("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Propertes: {}\n", "Template format error: Invalid template resource property 'Propertes'")]
    [InlineData("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Foo bar\n",
        "Template format error: Encountered unsupported function: Fn::Foo Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]")]
    [InlineData("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Sub '${Nothing}'\n",
        "Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template")]
    [InlineData("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !FindInMap [Missing, a, b]\n",
        "Template error: Unable to get mapping for Missing::a::b")]
    [InlineData("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Select [3, [a, b]]\n",
        "Template error: Fn::Select cannot select nonexistent value at index 3")]
    [InlineData("Parameters:\n  P:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /x\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        "Unable to fetch parameters [/x] from parameter store for this account.")]
    [InlineData("Parameters:\n  P:\n    Type: AWS::SSM::Parameter::Value<Number>\n    Default: /x\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        "Template format error: Unrecognized parameter type: AWS::SSM::Parameter::Value<Number>")]
    public void FormatErrorsAreRefusedWithCloudFormationsText(string body, string message)
    {
        Assert.Equal(message, Refused(body).Message);
    }

    [Theory]
    [InlineData("Stage", "test", "Parameter 'Stage' must be one of AllowedValues")]
    [InlineData("Count", "abc", "Parameter 'Count' must be a number")]
    [InlineData("Count", "0", "Parameter 'Count' must be a number not less than 1")]
    [InlineData("Count", "11", "Parameter 'Count' must be a number not greater than 10")]
    [InlineData("Name", "a", "Parameter 'Name' must contain at least 2 characters")]
    [InlineData("Name", "abcdef", "Parameter 'Name' must contain at most 5 characters")]
    [InlineData("Name", "A1", "Parameter 'Name' must match pattern [a-z]+")]
    [InlineData("Zone", "us-east-2z", "Parameter value us-east-2z for parameter name Zone does not exist")]
    [InlineData("Other", "x", "Parameters: [Other] do not exist in the template")]
    public void ParameterConstraintsAreEnforced(string name, string value, string message)
    {
        const string template = """
            Parameters:
              Stage: { Type: String, AllowedValues: [dev, prod], Default: dev }
              Count: { Type: Number, MinValue: 1, MaxValue: 10, Default: 2 }
              Name: { Type: String, MinLength: 2, MaxLength: 5, AllowedPattern: "[a-z]+", Default: ab }
              Zone: { Type: "AWS::EC2::AvailabilityZone::Name", Default: us-east-2a }
            Resources:
              Topic: { Type: "AWS::SNS::Topic" }
            """;
        Assert.Equal(message, Refused(template, parameters: new Dictionary<string, string> { [name] = value }).Message);
    }

    [Theory]
    [InlineData("prod", "t3.micro", "us-east-2a", "For production, the instance type must be m6i.large or m6i.xlarge")]
    [InlineData("test", "t3.micro", "us-west-2a", "Zones must be in us-east-2")]
    public void RulesRefuseParameterCombinations(string environment, string instanceType, string zones, string message)
    {
        var error = Refused(ReadTemplate("valid/rules.yaml"), parameters: new Dictionary<string, string>
        {
            ["Environment"] = environment,
            ["InstanceType"] = instanceType,
            ["Zones"] = zones,
        });
        Assert.Equal(("ValidationError", message), (error.ErrorCode, error.Message));
    }

    [Fact]
    public async Task RulesLetAllowedCombinationsThrough()
    {
        var stack = await CreateAsync(_engine, "ruled", ReadTemplate("valid/rules.yaml"),
            parameters: new Dictionary<string, string> { ["Environment"] = "prod", ["InstanceType"] = "m6i.large" });
        Assert.Equal("CREATE_COMPLETE", stack.Status);
    }

    [Fact]
    public void ParametersWithoutDefaultsMustHaveValues()
    {
        var error = Refused("Parameters:\n  A: { Type: String }\n  B: { Type: String }\nResources:\n  Topic: { Type: \"AWS::SNS::Topic\" }\n");
        Assert.Equal("Parameters: [A, B] must have values", error.Message);
    }
}

/// <summary>Resource types of shut-down services are unknown to CloudFormation from the shutdown date on (the sandbox clock decides).</summary>
public sealed class RetiredServiceTests
{
    private const string IoTEvents = "Resources:\n  Input:\n    Type: AWS::IoTEvents::Input\n    Properties:\n      InputDefinition:\n        Attributes:\n          - JsonPath: a\n";
    private const string OpsWorks = "Resources:\n  Stack:\n    Type: AWS::OpsWorks::Stack\n    Properties:\n      Name: s\n      ServiceRoleArn: arn:aws:iam::333333333333:role/r\n      DefaultInstanceProfileArn: arn:aws:iam::333333333333:instance-profile/p\n  Topic:\n    Type: AWS::SNS::Topic\n";

    [Fact]
    public void AServicesTypesAreRefusedFromItsShutdownDateOn()
    {
        var before = new CloudFormationEngine(new FixedClock(new DateTimeOffset(2026, 5, 19, 23, 59, 0, TimeSpan.Zero)));
        Assert.Equal("AWS::IoTEvents::Input", Assert.Single(before.ValidateTemplate(IoTEvents).Resources.Values).Type);

        var after = new CloudFormationEngine(new FixedClock(new DateTimeOffset(2026, 5, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("Template format error: Unrecognized resource types: [AWS::IoTEvents::Input]",
            Assert.Throws<CloudFormationException>(() => after.ValidateTemplate(IoTEvents)).Message);
        Assert.Equal("Template format error: Unrecognized resource types: [AWS::OpsWorks::Stack]",
            Assert.Throws<CloudFormationException>(() => after.CreateStack(Account, Region, new StackInput { StackName = "ops", TemplateBody = OpsWorks })).Message);
        Assert.Null(after.FindStack(Account, Region, "ops"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
