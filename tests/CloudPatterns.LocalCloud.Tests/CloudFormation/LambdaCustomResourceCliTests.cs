using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// A stack with a Python (cfnresponse) Lambda-backed custom resource created, updated and deleted, and a macro,
/// through the AWS CLI v1 and v2, each parsing LocalCloud's answers with its own model.
/// </summary>
public sealed class LambdaCustomResourceCliTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Providers = """
        Parameters:
          Macro: { Type: String }
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
          Provider:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: index.handler
              Role: !GetAtt Role.Arn
              Code:
                ZipFile: |
                  import cfnresponse
                  def handler(event, context):
                      props = event["ResourceProperties"]
                      old = event.get("OldResourceProperties", {}).get("Greeting", "none")
                      cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Message": props["Greeting"] + " world", "Old": old}, "greeter-1")
          MacroFunction:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: index.handler
              Role: !GetAtt Role.Arn
              Code:
                ZipFile: |
                  def handler(event, context):
                      fragment = event["fragment"]
                      for name, resource in fragment["Resources"].items():
                          resource.setdefault("Properties", {})["TopicName"] = event["templateParameterValues"]["Prefix"] + "-" + name
                      return {"requestId": event["requestId"], "status": "success", "fragment": fragment}
          Namer:
            Type: AWS::CloudFormation::Macro
            Properties:
              Name: !Ref Macro
              FunctionName: !GetAtt MacroFunction.Arn
        Outputs:
          Provider: { Value: !GetAtt Provider.Arn }
        """;

    private const string Greeter = """
        Parameters:
          Token: { Type: String }
          Greeting: { Type: String }
        Resources:
          Thing:
            Type: Custom::Greeter
            Properties: { ServiceToken: !Ref Token, Greeting: !Ref Greeting }
        Outputs:
          Message: { Value: !GetAtt Thing.Message }
          Old: { Value: !GetAtt Thing.Old }
          Id: { Value: !Ref Thing }
        """;

    [Theory]
    [InlineData(nameof(AwsCli.V1))]
    [InlineData(nameof(AwsCli.V2))]
    public async Task APythonCustomResourceAndAMacro_WorkThroughTheCli(string version)
    {
        var cli = Enum.Parse<AwsCli>(version);
        var suffix = cli.ToString().ToLowerInvariant();
        var providers = await WriteAsync(Providers);
        var greeter = await WriteAsync(Greeter);
        var usesMacro = await WriteAsync($"Transform: Namer-{suffix}\nParameters:\n  Prefix: {{ Type: String }}\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n");
        try
        {
            Assert.Equal(0, (await CloudFormationAsync(cli, "create-stack", "--stack-name", $"providers-{suffix}", "--template-body", providers,
                "--capabilities", "CAPABILITY_IAM", "--parameters", $"ParameterKey=Macro,ParameterValue=Namer-{suffix}")).ExitCode);
            await SettledAsync($"providers-{suffix}");
            var token = Outputs(await DescribeAsync(cli, $"providers-{suffix}"))["Provider"];

            var stackId = (await CloudFormationAsync(cli, "create-stack", "--stack-name", $"greeter-{suffix}", "--template-body", greeter,
                "--parameters", $"ParameterKey=Token,ParameterValue={token}", "ParameterKey=Greeting,ParameterValue=hello")).Json.Text("StackId")!;
            await SettledAsync(stackId);
            var created = await DescribeAsync(cli, stackId);
            Assert.Equal("CREATE_COMPLETE", created.Text("StackStatus"));
            Assert.Equal(("hello world", "none", "greeter-1"), (Outputs(created)["Message"], Outputs(created)["Old"], Outputs(created)["Id"]));

            Assert.Equal(0, (await CloudFormationAsync(cli, "update-stack", "--stack-name", stackId, "--use-previous-template",
                "--parameters", "ParameterKey=Token,UsePreviousValue=true", "ParameterKey=Greeting,ParameterValue=bonjour")).ExitCode);
            await SettledAsync(stackId);
            var updated = await DescribeAsync(cli, stackId);
            Assert.Equal("UPDATE_COMPLETE", updated.Text("StackStatus"));
            Assert.Equal(("bonjour world", "hello"), (Outputs(updated)["Message"], Outputs(updated)["Old"]));

            Assert.Equal(0, (await CloudFormationAsync(cli, "delete-stack", "--stack-name", stackId)).ExitCode);
            await SettledAsync(stackId);
            Assert.Equal("DELETE_COMPLETE", (await DescribeAsync(cli, stackId)).Text("StackStatus"));

            Assert.Equal(0, (await CloudFormationAsync(cli, "create-stack", "--stack-name", $"named-{suffix}", "--template-body", usesMacro,
                "--capabilities", "CAPABILITY_AUTO_EXPAND", "--parameters", "ParameterKey=Prefix,ParameterValue=" + suffix)).ExitCode);
            await SettledAsync($"named-{suffix}");
            Assert.Equal("CREATE_COMPLETE", (await DescribeAsync(cli, $"named-{suffix}")).Text("StackStatus"));
            var processed = (await CloudFormationAsync(cli, "get-template", "--stack-name", $"named-{suffix}", "--template-stage", "Processed")).Json;
            Assert.Equal($"{suffix}-Alerts", processed.At("TemplateBody", "Resources", "Alerts", "Properties", "TopicName").GetString());
        }
        finally
        {
            File.Delete(providers[7..]);
            File.Delete(greeter[7..]);
            File.Delete(usesMacro[7..]);
        }
    }

    private Task<ProcessResult> CloudFormationAsync(AwsCli cli, params string[] arguments) =>
        AwsClients.RunCliAsync(cli, fixture.Server, fixture.Management, ["cloudformation", .. arguments]);

    private async Task<JsonElement> DescribeAsync(AwsCli cli, string stack) =>
        (await CloudFormationAsync(cli, "describe-stacks", "--stack-name", stack)).Json.GetProperty("Stacks")[0];

    private Task SettledAsync(string stack) =>
        fixture.Server.State.CloudFormation.GetStack(fixture.Organization.ManagementAccountId, fixture.Organization.PrimaryRegion, stack).Operation;

    private static Dictionary<string, string> Outputs(JsonElement stack) => stack.GetProperty("Outputs").EnumerateArray()
        .ToDictionary(output => output.Text("OutputKey")!, output => output.Text("OutputValue")!);

    private static async Task<string> WriteAsync(string template)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cfnlambda-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, template);
        return "file://" + path;
    }
}
