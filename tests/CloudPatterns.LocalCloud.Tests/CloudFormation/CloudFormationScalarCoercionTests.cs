using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// YAML numbers and booleans where a resource's schema declares a string reach the services as their text, as
/// CloudFormation hands them to its handlers (docs/localcloud-cloudformation-validation.md, "Scalars and patterns"):
/// an EventBridge target's <c>Id: 1</c>, an SSM parameter's <c>Value: 42</c>; created,
/// read through the services' APIs, updated with the same values quoted (no change), and deleted, with the AWS CLI v2.
/// </summary>
public sealed class CloudFormationScalarCoercionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Numbers = """
        Resources:
          Topic:
            Type: AWS::SNS::Topic
          Setting:
            Type: AWS::SSM::Parameter
            Properties:
              Name: /coercion/answer
              Type: String
              Value: 42
          Rule:
            Type: AWS::Events::Rule
            Properties:
              Name: coercion-rule
              EventPattern: { source: [app.coercion] }
              Targets:
                - Arn: !Ref Topic
                  Id: 1
                - Arn: !Ref Topic
                  Id: true
        """;

    [Fact]
    public async Task NumbersAndBooleansGivenForStrings_ReachTheServicesAsText()
    {
        var template = await WriteAsync(Numbers);
        var quoted = await WriteAsync(Numbers.Replace("Value: 42", "Value: \"42\"").Replace("Id: 1", "Id: \"1\""));
        try
        {
            var stackId = (await RunAsync("cloudformation", "create-stack", "--stack-name", "coercion", "--template-body", template)).Json.Text("StackId")!;
            await SettledAsync(stackId);
            var reasons = (await RunAsync("cloudformation", "describe-stack-events", "--stack-name", stackId)).Json.GetProperty("StackEvents")
                .EnumerateArray().Select(stackEvent => stackEvent.TryGetProperty("ResourceStatusReason", out var reason) ? reason.GetString() : null).OfType<string>().ToList();
            Assert.True(await StatusAsync(stackId) == "CREATE_COMPLETE", string.Join(" | ", reasons));

            Assert.Equal(["1", "true"], (await RunAsync("events", "list-targets-by-rule", "--rule", "coercion-rule")).Json.GetProperty("Targets")
                .EnumerateArray().Select(target => target.Text("Id")).Order(StringComparer.Ordinal));
            Assert.Equal("42", (await RunAsync("ssm", "get-parameter", "--name", "/coercion/answer")).Json.At("Parameter", "Value").GetString());

            var update = await RunAsync("cloudformation", "update-stack", "--stack-name", stackId, "--template-body", quoted);
            Assert.Contains("No updates are to be performed.", update.Error, StringComparison.Ordinal);

            Assert.Equal(0, (await RunAsync("cloudformation", "delete-stack", "--stack-name", stackId)).ExitCode);
            await SettledAsync(stackId);
            Assert.Equal("DELETE_COMPLETE", await StatusAsync(stackId));
            Assert.Contains("ParameterNotFound", (await RunAsync("ssm", "get-parameter", "--name", "/coercion/answer")).Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(template[7..]);
            File.Delete(quoted[7..]);
        }
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        AwsClients.RunCliAsync(AwsCli.V2, fixture.Server, fixture.Management, arguments);

    private async Task<string?> StatusAsync(string stackId) =>
        (await RunAsync("cloudformation", "describe-stacks", "--stack-name", stackId)).Json.GetProperty("Stacks")[0].Text("StackStatus");

    private Task SettledAsync(string stack) =>
        fixture.Server.State.CloudFormation.GetStack(fixture.Organization.ManagementAccountId, fixture.Organization.PrimaryRegion, stack).Operation;

    private static async Task<string> WriteAsync(string template)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cfncoercion-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, template);
        return "file://" + path;
    }
}
