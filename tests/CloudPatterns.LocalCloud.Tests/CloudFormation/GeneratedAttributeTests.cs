using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>GetAtt values of recorded resources (docs/localcloud-cloudformation-recorded.md and -validation.md, "GetAtt attributes").</summary>
public sealed class GeneratedAttributeTests
{
    private readonly CloudFormationEngine _engine = new();

    [Fact]
    public async Task ADomainsArnIsAGetAttAttribute()
    {
        const string template = """
            Resources:
              Search:
                Type: AWS::OpenSearchService::Domain
                Properties:
                  DomainName: corpus-search
              Legacy:
                Type: AWS::Elasticsearch::Domain
                Properties:
                  DomainName: corpus-legacy
            Outputs:
              DomainArn:
                Value: !GetAtt Search.DomainArn
              Arn:
                Value: !GetAtt Search.Arn
              LegacyDomainArn:
                Value: !GetAtt Legacy.DomainArn
            """;

        var stack = await CreateAsync(_engine, "search", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal($"arn:aws:es:{Region}:{Account}:domain/corpus-search", outputs["DomainArn"]);
        Assert.Equal(outputs["Arn"], outputs["DomainArn"]);
        Assert.Equal($"arn:aws:es:{Region}:{Account}:domain/corpus-legacy", outputs["LegacyDomainArn"]);
    }

    [Fact]
    public async Task AFirewallHasOneEndpointPerSubnetInTheSubnetsZone()
    {
        const string template = """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
              SubnetB:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.0.1.0/24
                  AvailabilityZone: us-east-2b
              SubnetC:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.0.2.0/24
                  AvailabilityZone: us-east-2c
              Firewall:
                Type: AWS::NetworkFirewall::Firewall
                Properties:
                  FirewallName: corpus-firewall
                  FirewallPolicyArn: !Sub arn:aws:network-firewall:${AWS::Region}:${AWS::AccountId}:firewall-policy/corpus
                  VpcId: !Ref Vpc
                  SubnetMappings:
                    - SubnetId: !Ref SubnetB
                    - SubnetId: !Ref SubnetC
            Outputs:
              Endpoints:
                Value: !Join [",", !GetAtt Firewall.EndpointIds]
              SecondEndpoint:
                Value: !Select [1, !Split [":", !Select [1, !GetAtt Firewall.EndpointIds]]]
            """;

        var stack = await CreateAsync(_engine, "firewall", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        var endpoints = outputs["Endpoints"].Split(',');
        Assert.Equal(2, endpoints.Length);
        Assert.Matches("^us-east-2b:vpce-[0-9a-f]{17}$", endpoints[0]);
        Assert.Matches("^us-east-2c:vpce-[0-9a-f]{17}$", endpoints[1]);
        Assert.Equal(endpoints[1].Split(':')[1], outputs["SecondEndpoint"]);
    }
}
