using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>GetAtt of a property, on the types whose GetAtt returns their properties too (a subnet's Ipv6CidrBlock).</summary>
public sealed class PropertyAttributeTests
{
    private readonly CloudFormationEngine _engine = new();

    [Fact]
    public async Task ASubnetsGetAttReturnsItsProperties()
    {
        var stack = await CreateAsync(_engine, "dualstack", """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.0.1.0/24
                  Ipv6CidrBlock: 2600:1f16:0:100::/64
            Outputs:
              Ipv6:
                Value: !GetAtt Subnet.Ipv6CidrBlock
              Ipv4:
                Value: !GetAtt Subnet.CidrBlock
              VpcCidr:
                Value: !GetAtt Vpc.CidrBlock
            """);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal("2600:1f16:0:100::/64", outputs["Ipv6"]);
        Assert.Equal("10.0.1.0/24", outputs["Ipv4"]);
        Assert.Equal("10.0.0.0/16", outputs["VpcCidr"]);
    }

    [Theory]
    [InlineData("AWS::S3::Bucket", "BucketName")]
    [InlineData("AWS::EC2::Subnet", "NoSuchProperty")]
    public void GetAttOfAPropertyIsRefusedOnOtherTypesAndOfAnUnknownName(string type, string attribute)
    {
        var error = Assert.Throws<CloudFormationException>(() => _engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "refused",
            TemplateBody = $"Resources:\n  Thing:\n    Type: {type}\nOutputs:\n  Value:\n    Value: !GetAtt Thing.{attribute}\n",
        }));

        Assert.Equal($"Template error: resource Thing does not support attribute type {attribute} in Fn::GetAtt", error.Message);
    }
}
