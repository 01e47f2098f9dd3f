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

    [Fact]
    public async Task NameAndVersionAttributesFollowTheTemplate()
    {
        const string template = """
            Resources:
              Repo:
                Type: AWS::CodeCommit::Repository
                Properties:
                  RepositoryName: my-serverless-api
              Artifacts:
                Type: AWS::CodeArtifact::Repository
                Properties:
                  DomainName: corpus-domain
                  RepositoryName: corpus-packages
              Rule:
                Type: AWS::Events::Rule
                Properties:
                  Name: !Join ["-", [Serverless-CodePipeline, !GetAtt Repo.Name, master]]
                  ScheduleExpression: rate(1 day)
              Unnamed:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  RoleArn: !Sub arn:aws:iam::${AWS::AccountId}:role/corpus
                  DefinitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}'
              Launch:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    InstanceType: t3.micro
              Pipeline:
                Type: AWS::CodePipeline::Pipeline
                Properties:
                  RoleArn: !Sub arn:aws:iam::${AWS::AccountId}:role/corpus
                  ArtifactStore: { Type: S3, Location: corpus-artifacts }
                  Stages:
                    - Name: Source
                      Actions:
                        - Name: Source
                          ActionTypeId: { Category: Source, Owner: ThirdParty, Provider: GitHub, Version: "1" }
                          Configuration: { Owner: corpus, Repo: corpus, Branch: main, OAuthToken: corpus }
                          OutputArtifacts: [{ Name: SourceArtifact }]
                    - Name: Build
                      Actions:
                        - Name: Build
                          ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }
                          Configuration: { ProjectName: corpus }
                          InputArtifacts: [{ Name: SourceArtifact }]
              Webhook:
                Type: AWS::CodePipeline::Webhook
                Properties:
                  Authentication: GITHUB_HMAC
                  AuthenticationConfiguration: { SecretToken: corpus }
                  Filters: [{ JsonPath: "$.ref", MatchEquals: refs/heads/main }]
                  TargetPipeline: !Ref Pipeline
                  TargetAction: Source
                  TargetPipelineVersion: !GetAtt Pipeline.Version
            Outputs:
              RepoName: { Value: !GetAtt Repo.Name }
              ArtifactsName: { Value: !GetAtt Artifacts.Name }
              RuleName: { Value: !GetAtt Rule.RuleName }
              UnnamedName: { Value: !GetAtt Unnamed.Name }
              LatestVersion: { Value: !GetAtt Launch.LatestVersionNumber }
              PipelineVersion: { Value: !GetAtt Pipeline.Version }
            """;

        var stack = await CreateAsync(_engine, "names", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal("my-serverless-api", outputs["RepoName"]);
        Assert.Equal("corpus-packages", outputs["ArtifactsName"]);
        Assert.Equal("Serverless-CodePipeline-my-serverless-api-master", outputs["RuleName"]);
        Assert.StartsWith("names-Unnamed-", outputs["UnnamedName"]);
        Assert.Equal("1", outputs["LatestVersion"]);
        Assert.Equal("1", outputs["PipelineVersion"]);
    }
}
