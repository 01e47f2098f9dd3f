using System.Xml.Linq;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Ec2;

/// <summary>EC2 and RAM calls of the transit gateway tests, signed as a seed account, and VPCs deployed by CloudFormation.</summary>
internal static class TransitGatewayCalls
{
    public static async Task<AwsAnswer> Ec2Async(this AwsCaller caller, string action, params (string Name, string Value)[] parameters) =>
        await caller.QueryAsync("ec2", action, "2016-11-15", parameters.ToDictionary(parameter => parameter.Name, parameter => parameter.Value));

    public static Task<AwsAnswer> RamAsync(this AwsCaller caller, string path, object body) => caller.RestJsonAsync("ram", HttpMethod.Post, path, body);

    /// <summary>The text of every element with that local name in a successful EC2 answer.</summary>
    public static List<string> Values(this AwsAnswer answer, string name) =>
        XDocument.Parse(answer.Ok()["xml"]!.GetValue<string>()).Descendants().Where(element => element.Name.LocalName == name).Select(element => element.Value).ToList();

    public static string Value(this AwsAnswer answer, string name) => answer.Values(name).First();

    /// <summary>Routes of a route table as "CIDR type state".</summary>
    public static async Task<List<string>> RoutesAsync(this AwsCaller caller, string tableId)
    {
        var answer = await caller.Ec2Async("SearchTransitGatewayRoutes", ("TransitGatewayRouteTableId", tableId),
            ("Filter.1.Name", "type"), ("Filter.1.Value.1", "static"), ("Filter.1.Value.2", "propagated"));
        var routes = XDocument.Parse(answer.Ok()["xml"]!.GetValue<string>()).Descendants().Where(element => element.Name.LocalName == "routeSet").Elements();
        return routes.Select(route => string.Join(' ', new[] { "destinationCidrBlock", "type", "state" }
            .Select(name => route.Elements().Single(element => element.Name.LocalName == name).Value))).ToList();
    }

    /// <summary>Deploys a template as the account and waits for the stack; returns its outputs.</summary>
    public static async Task<(Stack Stack, Dictionary<string, string> Outputs)> DeployAsync(this LocalCloudFixture cloud, string accountName, string stackName, string template,
        string region = "us-east-2", IReadOnlyDictionary<string, string>? parameters = null)
    {
        var account = cloud.Organization.Accounts.Single(candidate => candidate.Name == accountName);
        var stack = cloud.Server.State.CloudFormation.CreateStack(account.Id, region, new StackInput
        {
            StackName = stackName,
            TemplateBody = template,
            Parameters = parameters ?? new Dictionary<string, string>(),
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;
        return (stack, stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue));
    }

    /// <summary>A VPC with one subnet per zone given; outputs Vpc and Subnet0, Subnet1, ….</summary>
    public static async Task<(string Vpc, List<string> Subnets)> DeployVpcAsync(this LocalCloudFixture cloud, string accountName, string cidrPrefix, params string[] zones)
    {
        var subnets = string.Concat(zones.Select((zone, index) => $$"""
              Subnet{{index}}:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !Ref Vpc, CidrBlock: {{cidrPrefix}}.{{index + 1}}.0/24, AvailabilityZone: {{zone}} }

            """));
        var outputs = string.Concat(zones.Select((_, index) => $"  Subnet{index}: {{ Value: !Ref Subnet{index} }}\n"));
        var (stack, values) = await cloud.DeployAsync(accountName, "vpc-" + cidrPrefix.Replace('.', '-'), $$"""
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: {{cidrPrefix}}.0.0/16 }
            {{subnets}}Outputs:
              Vpc: { Value: !Ref Vpc }
            {{outputs}}
            """);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        return (values["Vpc"], zones.Select((_, index) => values[$"Subnet{index}"]).ToList());
    }
}
