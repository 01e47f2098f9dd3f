using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// The Rules functions that read AWS-specific parameters (docs/localcloud-cloudformation-validation.md, "Rules"):
/// Fn::RefAll, Fn::ValueOf and Fn::ValueOfAll over the VPCs and subnets LocalCloud records, as Quick Starts check that
/// the subnets they are given are in the VPC they are given.
/// </summary>
public sealed class RuleFunctionTests
{
    private const string Network = """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: 10.0.0.0/16
          Other:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: 10.1.0.0/16
          SubnetA:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref Vpc
              CidrBlock: 10.0.0.0/24
              AvailabilityZone: us-east-2a
              Tags: [{Key: tier, Value: private}]
          SubnetB:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref Vpc
              CidrBlock: 10.0.1.0/24
              AvailabilityZone: us-east-2b
              Tags: [{Key: tier, Value: private}]
          Elsewhere:
            Type: AWS::EC2::Subnet
            Properties:
              VpcId: !Ref Other
              CidrBlock: 10.1.0.0/24
              AvailabilityZone: us-east-2a
              Tags: [{Key: tier, Value: public}]
        Outputs:
          Vpc: {Value: !Ref Vpc}
          SubnetA: {Value: !Ref SubnetA}
          SubnetB: {Value: !Ref SubnetB}
          Elsewhere: {Value: !Ref Elsewhere}
        """;

    private const string Consumer = """
        Parameters:
          VpcId:
            Type: AWS::EC2::VPC::Id
          Subnets:
            Type: List<AWS::EC2::Subnet::Id>
          FirstSubnet:
            Type: AWS::EC2::Subnet::Id
        Rules:
          SubnetsInVPC:
            Assertions:
              - Assert: !EachMemberIn [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !RefAll AWS::EC2::VPC::Id]
                AssertDescription: All subnets must exist in the VPC.
          PrivateSubnets:
            Assertions:
              - Assert: !EachMemberEquals [!ValueOfAll [AWS::EC2::Subnet::Id, Tags.tier], private]
                AssertDescription: Every subnet must be tagged tier=private.
          FirstZone:
            Assertions:
              - Assert: !Equals [!ValueOf [FirstSubnet, AvailabilityZone], us-east-2a]
                AssertDescription: The first subnet must be in us-east-2a.
        Resources:
          Topic:
            Type: AWS::SNS::Topic
        """;

    private static async Task<(CloudFormationEngine Engine, Dictionary<string, string> Ids)> NetworkAsync()
    {
        var engine = new CloudFormationEngine();
        var network = await CreateAsync(engine, "network", Network);
        Assert.Equal("CREATE_COMPLETE", network.Status);
        return (engine, network.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue));
    }

    [Fact]
    public async Task SubnetsOfTheGivenVpc_TaggedAndZonedAsTheRulesAsk_PassTheRules()
    {
        var (engine, ids) = await NetworkAsync();

        var stack = await CreateAsync(engine, "app", Consumer, parameters: new Dictionary<string, string>
        {
            ["VpcId"] = ids["Vpc"], ["Subnets"] = $"{ids["SubnetA"]},{ids["SubnetB"]}", ["FirstSubnet"] = ids["SubnetA"],
        });

        Assert.Equal("CREATE_COMPLETE", stack.Status);
    }

    [Theory]
    [InlineData("Elsewhere", "SubnetA", "All subnets must exist in the VPC.")]
    [InlineData("SubnetA", "SubnetB", "The first subnet must be in us-east-2a.")]
    public async Task ASubnetOfAnotherVpc_OrInAnotherZone_IsRefusedWithTheRulesDescription(string listed, string first, string description)
    {
        var (engine, ids) = await NetworkAsync();

        var refused = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "app",
            TemplateBody = Consumer,
            Parameters = new Dictionary<string, string> { ["VpcId"] = ids["Vpc"], ["Subnets"] = ids[listed], ["FirstSubnet"] = ids[first] },
        }));

        Assert.Equal(description, refused.Message);
        Assert.Null(engine.FindStack(Account, Region, "app"));
    }

    [Fact]
    public async Task AnAttributeLocalCloudDoesNotRecord_IsRefusedNamingWhatItReads()
    {
        var (engine, ids) = await NetworkAsync();

        var refused = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "app",
            TemplateBody = Consumer.Replace("[AWS::EC2::Subnet::Id, VpcId]", "[AWS::EC2::Subnet::Id, CidrBlock]", StringComparison.Ordinal),
            Parameters = new Dictionary<string, string> { ["VpcId"] = ids["Vpc"], ["Subnets"] = ids["SubnetA"], ["FirstSubnet"] = ids["SubnetA"] },
        }));

        Assert.StartsWith("The attribute CidrBlock of AWS::EC2::Subnet::Id in Rules is not supported by LocalCloud: it reads AWS::EC2::Subnet::Id (AvailabilityZone, VpcId, Tags.KEY)", refused.Message);
    }
}
