using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

public sealed class IntrinsicFunctionTests
{
    private readonly CloudFormationEngine _engine = new();

    [Fact]
    public async Task EveryFunctionResolvesInAStack()
    {
        var stack = await CreateAsync(_engine, "intrinsics", ReadTemplate("valid/intrinsics.yaml"));

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var resources = stack.Resources.ToDictionary(resource => resource.LogicalId);
        Assert.DoesNotContain("ProdOnlyTopic", resources.Keys);
        var topicName = resources["Topic"].PhysicalId!.Split(':')[^1];
        Assert.Matches("^intrinsics-Topic-[0-9A-F]{13}$", topicName);
        var summary = resources["Summary"].Properties!;
        Assert.Equal(
            $"333333333333|us-east-2|aws|amazonaws.com|beta|x|7|ohio-or-prod|us-east-2c|10.0.1.0/24|aGk=|hello-${{Literal}}|{topicName}|443|us-east-2b",
            summary["Value"]!.ToString());
        Assert.False(summary.ContainsKey("Description"), "AWS::NoValue must remove the property");
        Assert.Equal("intrinsics-dev", resources["Topic"].Properties!["DisplayName"]!.ToString());

        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey);
        Assert.Equal(summary["Value"]!.ToString(), outputs["Summary"].OutputValue);
        Assert.Equal("intrinsics-TopicArn", outputs["TopicArn"].ExportName);
        Assert.Equal($"intrinsics {stack.StackId}", outputs["StackIdentity"].OutputValue);
        Assert.Matches(@"^arn:aws:cloudformation:us-east-2:333333333333:stack/intrinsics/[0-9a-f-]{36}$", stack.StackId);
        Assert.True(stack.Parameters.Single(parameter => parameter.ParameterKey == "ApiToken").NoEcho);
    }

    [Fact]
    public async Task ConditionsFollowParameterValues()
    {
        var stack = await CreateAsync(_engine, "prod", ReadTemplate("valid/intrinsics.yaml"), parameters: new Dictionary<string, string> { ["Stage"] = "prod" });

        var resources = stack.Resources.ToDictionary(resource => resource.LogicalId);
        Assert.Contains("ProdOnlyTopic", resources.Keys);
        Assert.Equal(resources["ProdOnlyTopic"].PhysicalId, resources["Summary"].Properties!["Description"]!.ToString());
        Assert.Contains("|35|ohio-or-prod|", resources["Summary"].Properties!["Value"]!.ToString());
    }

    [Fact]
    public void ShortFormTagsBecomeLongForm()
    {
        var yaml = TemplateParser.Parse("""
            A: !GetAtt Database.Endpoint.Address
            B: !Sub "${AWS::Region}"
            C: !If [Cond, !Ref X, !Ref "AWS::NoValue"]
            D: !Not [!Condition Cond]
            E: "012"
            F: 012
            G: 1.50
            H: true
            """);
        var json = JsonNode.Parse("""
            {"A": {"Fn::GetAtt": ["Database", "Endpoint.Address"]}, "B": {"Fn::Sub": "${AWS::Region}"},
             "C": {"Fn::If": ["Cond", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]}, "D": {"Fn::Not": [{"Condition": "Cond"}]},
             "E": "012", "F": "012", "G": 1.50, "H": true}
            """);
        Assert.True(JsonNode.DeepEquals(json, yaml), yaml.ToJsonString());
    }

    [Fact]
    public void YamlStandardTagsGiveTheirTypes_AsCloudFormationReadsYaml11()
    {
        var yaml = TemplateParser.Parse("""
            Period: !!int 86400
            Quoted: !!int "120"
            Hex: !!int 0x1F
            Octal: !!int 010
            Grouped: !!int 1_000
            Negative: !!int -5
            Ratio: !!float 0.5
            Flag: !!bool yes
            Off: !!bool "false"
            Nothing: !!null ~
            Account: !!str 012345678901
            List: !!seq [1, !!str 2]
            Map: !!map {A: !Ref X}
            """);
        var json = JsonNode.Parse("""
            {"Period": 86400, "Quoted": 120, "Hex": 31, "Octal": 8, "Grouped": 1000, "Negative": -5, "Ratio": 0.5,
             "Flag": true, "Off": false, "Nothing": null, "Account": "012345678901", "List": [1, "2"], "Map": {"A": {"Ref": "X"}}}
            """);
        Assert.True(JsonNode.DeepEquals(json, yaml), yaml.ToJsonString());
    }

    [Theory]
    [InlineData("A: !!int abc", "!!int")]
    [InlineData("A: !!timestamp 2001-12-14", "!!timestamp")]
    [InlineData("A: !!binary R0lG", "!!binary")]
    [InlineData("A: !!seq x", "!!seq")]
    [InlineData("A: !!bool maybe", "!!bool")]
    public void YamlTagsCloudFormationDoesNotReadAreRefused(string yaml, string tag)
    {
        var error = Assert.Throws<CloudFormationException>(() => TemplateParser.Parse(yaml));
        Assert.Contains($"The tag {tag} is not supported here. (line 1, column 4)", error.Message);
    }

    [Theory]
    [InlineData("""{"Fn::Cidr": ["192.168.0.0/24", 4, 6]}""", """["192.168.0.0/26","192.168.0.64/26","192.168.0.128/26","192.168.0.192/26"]""")]
    [InlineData("""{"Fn::Cidr": ["2001:db8::/56", 2, 64]}""", """["2001:db8::/64","2001:db8:0:1::/64"]""")]
    [InlineData("""{"Fn::GetAZs": "eu-west-1"}""", """["eu-west-1a","eu-west-1b","eu-west-1c"]""")]
    [InlineData("""{"Fn::Split": ["|", "a|b||c"]}""", """["a","b","","c"]""")]
    [InlineData("""{"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, 1, true]]}""", "\"unit-1-true\"")]
    [InlineData("""{"Fn::Sub": "${Bucket.Arn}/${!Literal}/${AWS::URLSuffix}"}""", "\"arn:aws:s3:::bucket-1/${Literal}/amazonaws.com\"")]
    [InlineData("""{"Fn::Sub": ["${A}-${Bucket}", {"A": {"Fn::Base64": "x"}}]}""", "\"eA==-bucket-1\"")]
    [InlineData("""{"Fn::Select": ["1", {"Ref": "AWS::NotificationARNs"}]}""", "\"arn:aws:sns:us-east-2:333333333333:b\"")]
    [InlineData("""{"Fn::Equals": [{"Ref": "AWS::Partition"}, "aws"]}""", "true")]
    [InlineData("""{"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}]}""", "true")]
    [InlineData("""{"Fn::And": [{"Fn::Equals": ["a", "a"]}, {"Fn::Equals": ["a", "b"]}]}""", "false")]
    [InlineData("""{"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}""", "\"ami-123\"")]
    [InlineData("""{"Fn::ImportValue": "shared"}""", "\"exported-value\"")]
    [InlineData("""[1, {"Ref": "AWS::NoValue"}, 2]""", "[1,2]")]
    public void FunctionsEvaluate(string expression, string expected)
    {
        var template = Template.Parse("""
            {"Mappings": {"Regions": {"us-east-2": {"Ami": "ami-123"}}},
             "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}
            """, CloudPatterns.LocalCloud.CloudFormation.Specification.ResourceSpecification.Default);
        var context = new EvaluationContext(
            new StackIdentity(Account, Region, "unit", "arn:aws:cloudformation:us-east-2:333333333333:stack/unit/1",
                ["arn:aws:sns:us-east-2:333333333333:a", "arn:aws:sns:us-east-2:333333333333:b"]),
            new Dictionary<string, JsonNode>(),
            new FixedResourceValues(),
            region => [region + "a", region + "b", region + "c"],
            name => name == "shared" ? "exported-value" : null);

        var result = new TemplateEvaluator(template, context).Resolve(JsonNode.Parse(expression));

        Assert.Equal(expected, result!.ToJsonString());
    }

    private sealed class FixedResourceValues : IResourceValues
    {
        public JsonNode Ref(string logicalId) => JsonValue.Create("bucket-1");

        public JsonNode GetAtt(string logicalId, string attribute) => JsonValue.Create("arn:aws:s3:::bucket-1");
    }

    [Fact]
    public async Task AnEmptyCommaDelimitedListIsOneEmptyString_AsCloudFormationMakesIt()
    {
        var stack = await CreateAsync(_engine, "regions", """
            Parameters:
              AggregatorRegions:
                Type: CommaDelimitedList
                Default: ''
            Conditions:
              Aggregate: !Not [!Equals [!Select [0, !Ref AggregatorRegions], '']]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
              AggregatedTopic:
                Type: AWS::SNS::Topic
                Condition: Aggregate
            Outputs:
              First:
                Value: !Join ['|', ['[', !Select [0, !Ref AggregatorRegions], ']']]
              Count:
                Value: !Join [',', !Ref AggregatorRegions]
            """);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(["Topic"], stack.Resources.Select(resource => resource.LogicalId));
        Assert.Equal("[||]", stack.Outputs.Single(output => output.OutputKey == "First").OutputValue);

        var given = await CreateAsync(_engine, "regions-given", """
            Parameters:
              AggregatorRegions:
                Type: CommaDelimitedList
            Conditions:
              Aggregate: !Not [!Equals [!Select [0, !Ref AggregatorRegions], '']]
            Resources:
              AggregatedTopic:
                Type: AWS::SNS::Topic
                Condition: Aggregate
            """, parameters: new Dictionary<string, string> { ["AggregatorRegions"] = "us-east-1,eu-west-1" });
        Assert.Equal(["AggregatedTopic"], given.Resources.Select(resource => resource.LogicalId));
    }
}
