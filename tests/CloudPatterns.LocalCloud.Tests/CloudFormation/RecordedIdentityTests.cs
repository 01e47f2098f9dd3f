using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// What Ref returns for resource types LocalCloud records generically (docs/localcloud-cloudformation-recorded.md,
/// "Ref of recorded resources"): a compound primary identifier is its parts joined with "|", so siblings under one
/// parent (two routes of a route table, two data sources of a knowledge base) are distinct resources, and the types
/// whose Ref the spec names apart from the identifier (cfnRefIdentifier) return that.
/// </summary>
public sealed class RecordedIdentityTests
{
    private readonly CloudFormationEngine _engine = new();

    [Fact]
    public async Task CompoundIdentifiersAreTheirPartsJoinedWithAPipeAndSiblingsStayDistinct()
    {
        const string template = """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Gateway: { Type: AWS::EC2::InternetGateway }
              Attachment: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway } }
              Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              Internet: { Type: AWS::EC2::Route, DependsOn: Attachment, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway } }
              Peer: { Type: AWS::EC2::Route, DependsOn: Attachment, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.1.0.0/16, GatewayId: !Ref Gateway } }
              Documents:
                Type: AWS::Bedrock::DataSource
                Properties: { KnowledgeBaseId: KB12345678, Name: documents, DataSourceConfiguration: { Type: S3, S3Configuration: { BucketArn: "arn:aws:s3:::documents" } } }
              Manuals:
                Type: AWS::Bedrock::DataSource
                Properties: { KnowledgeBaseId: KB12345678, Name: manuals, DataSourceConfiguration: { Type: S3, S3Configuration: { BucketArn: "arn:aws:s3:::manuals" } } }
            Outputs:
              Vpc: { Value: !Ref Vpc }
              Table: { Value: !Ref Table }
              Attachment: { Value: !Ref Attachment }
              Internet: { Value: !Ref Internet }
              InternetCidr: { Value: !GetAtt Internet.CidrBlock }
              Peer: { Value: !Ref Peer }
              Documents: { Value: !Ref Documents }
              DocumentsId: { Value: !GetAtt Documents.DataSourceId }
              Manuals: { Value: !Ref Manuals }
            """;
        var stack = await CreateAsync(_engine, "compound", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal($"IGW|{outputs["Vpc"]}", outputs["Attachment"]);
        Assert.Equal($"{outputs["Table"]}|0.0.0.0/0", outputs["Internet"]);
        Assert.Equal("0.0.0.0/0", outputs["InternetCidr"]);
        Assert.Equal($"{outputs["Table"]}|10.1.0.0/16", outputs["Peer"]);
        Assert.Matches("^KB12345678\\|[0-9A-Z]{10}$", outputs["Documents"]);
        Assert.Equal(outputs["Documents"], $"KB12345678|{outputs["DocumentsId"]}");
        Assert.Matches("^KB12345678\\|[0-9A-Z]{10}$", outputs["Manuals"]);
        Assert.NotEqual(outputs["Documents"], outputs["Manuals"]);
        // Both routes are recorded (they used to share the route table's id, the second overwriting the first).
        Assert.Equal(2, _engine.Provisioners.Generic.Recorded(Account, Region, "AWS::EC2::Route").Count);

        await DeleteAsync(_engine, "compound");
        Assert.Empty(_engine.Provisioners.Generic.Recorded(Account, Region, "AWS::EC2::Route"));
    }

    [Fact]
    public async Task RefReturnsWhatTheSpecNamesWhereItIsNotThePrimaryIdentifier()
    {
        const string template = """
            Resources:
              Project:
                Type: AWS::CodeBuild::Project
                Properties:
                  Name: build-app
                  ServiceRole: arn:aws:iam::333333333333:role/build
                  Artifacts: { Type: NO_ARTIFACTS }
                  Environment: { Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0 }
                  Source: { Type: NO_SOURCE, BuildSpec: "version: 0.2" }
              Attachment:
                Type: AWS::SecretsManager::SecretTargetAttachment
                Properties:
                  SecretId: arn:aws:secretsmanager:us-east-2:333333333333:secret:db-AbCdEf
                  TargetId: db-instance
                  TargetType: AWS::RDS::DBInstance
            Outputs:
              Project: { Value: !Ref Project }
              Attachment: { Value: !Ref Attachment }
            """;
        var stack = await CreateAsync(_engine, "references", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Equal("build-app", outputs["Project"]);
        Assert.Equal("arn:aws:secretsmanager:us-east-2:333333333333:secret:db-AbCdEf", outputs["Attachment"]);
    }

    [Fact]
    public async Task LoadBalancerArnsCarryTheirKindAndNameAndListenersExtendTheirParents()
    {
        const string template = """
            Resources:
              Edge: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: edge, Type: network, Subnets: [subnet-0a1b2c3d4e5f60718] } }
              Web: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Name: web, Port: 80, Protocol: TCP, VpcId: vpc-0a1b2c3d4e5f60718 } }
              EdgeListener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Edge, Port: 80, Protocol: TCP, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Web }] }
              Site: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer }
              SiteListener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Site, Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Web }] }
              Rule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref SiteListener
                  Priority: 1
                  Conditions: [{ Field: path-pattern, Values: [/api/*] }]
                  Actions: [{ Type: forward, TargetGroupArn: !Ref Web }]
            Outputs:
              Edge: { Value: !Ref Edge }
              EdgeName: { Value: !GetAtt Edge.LoadBalancerName }
              EdgeFullName: { Value: !GetAtt Edge.LoadBalancerFullName }
              EdgeListener: { Value: !Ref EdgeListener }
              Web: { Value: !Ref Web }
              WebName: { Value: !GetAtt Web.TargetGroupName }
              Site: { Value: !Ref Site }
              SiteListener: { Value: !Ref SiteListener }
              Rule: { Value: !Ref Rule }
            """;
        var stack = await CreateAsync(_engine, "balancers", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        var match = System.Text.RegularExpressions.Regex.Match(outputs["Edge"], "^arn:aws:elasticloadbalancing:us-east-2:333333333333:loadbalancer/net/edge/([0-9a-f]{16})$");
        Assert.True(match.Success, outputs["Edge"]);
        var edge = match.Groups[1].Value;
        Assert.Equal("edge", outputs["EdgeName"]);
        Assert.Equal($"net/edge/{edge}", outputs["EdgeFullName"]);
        Assert.Matches($"^arn:aws:elasticloadbalancing:us-east-2:333333333333:listener/net/edge/{edge}/[0-9a-f]{{16}}$", outputs["EdgeListener"]);
        Assert.Matches("^arn:aws:elasticloadbalancing:us-east-2:333333333333:targetgroup/web/[0-9a-f]{16}$", outputs["Web"]);
        Assert.Equal("web", outputs["WebName"]);
        Assert.Contains(":loadbalancer/app/balancers-Site-", outputs["Site"]);
        Assert.Equal(outputs["Site"].Replace(":loadbalancer/", ":listener/"), outputs["SiteListener"][..outputs["SiteListener"].LastIndexOf('/')]);
        Assert.Equal(outputs["SiteListener"].Replace(":listener/", ":listener-rule/"), outputs["Rule"][..outputs["Rule"].LastIndexOf('/')]);
    }

    [Fact]
    public async Task DatabaseAndCacheAttributesFollowTheServiceAndTheTemplate()
    {
        const string template = """
            Resources:
              Graph: { Type: AWS::Neptune::DBCluster, Properties: { DBClusterIdentifier: graph } }
              Documents: { Type: AWS::DocDB::DBCluster, Properties: { DBClusterIdentifier: documents, Port: 27018, MasterUsername: admin, MasterUserPassword: Passw0rdPassw0rd } }
              DocumentsOne: { Type: AWS::DocDB::DBInstance, Properties: { DBClusterIdentifier: !Ref Documents, DBInstanceClass: db.r6g.large } }
              Sessions:
                Type: AWS::ElastiCache::ReplicationGroup
                Properties: { ReplicationGroupDescription: sessions, Engine: redis, CacheNodeType: cache.t3.micro, NumCacheClusters: 2 }
              Pages: { Type: AWS::ElastiCache::CacheCluster, Properties: { Engine: memcached, CacheNodeType: cache.t3.micro, NumCacheNodes: 2 } }
              Warehouse:
                Type: AWS::Redshift::Cluster
                Properties: { ClusterType: single-node, DBName: dev, MasterUsername: admin, ManageMasterPassword: true, NodeType: ra3.large }
            Outputs:
              GraphEndpoint: { Value: !GetAtt Graph.Endpoint }
              GraphReader: { Value: !GetAtt Graph.ReadEndpoint }
              GraphPort: { Value: !GetAtt Graph.Port }
              DocumentsPort: { Value: !GetAtt Documents.Port }
              DocumentsOneEndpoint: { Value: !GetAtt DocumentsOne.Endpoint }
              SessionsPort: { Value: !GetAtt Sessions.PrimaryEndPoint.Port }
              PagesPort: { Value: !GetAtt Pages.ConfigurationEndpoint.Port }
              WarehousePort: { Value: !GetAtt Warehouse.Endpoint.Port }
              WarehouseSecret: { Value: !GetAtt Warehouse.MasterPasswordSecretArn }
            """;
        var stack = await CreateAsync(_engine, "stores", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Matches("^graph\\.cluster-[0-9a-f]{12}\\.us-east-2\\.neptune\\.amazonaws\\.com$", outputs["GraphEndpoint"]);
        Assert.Matches("^graph\\.cluster-ro-[0-9a-f]{12}\\.us-east-2\\.neptune\\.amazonaws\\.com$", outputs["GraphReader"]);
        Assert.Equal("8182", outputs["GraphPort"]);
        Assert.Equal("27018", outputs["DocumentsPort"]);
        Assert.Matches("^stores-documentsone-[0-9a-z]{13}\\.[0-9a-f]{12}\\.us-east-2\\.docdb\\.amazonaws\\.com$", outputs["DocumentsOneEndpoint"]);
        Assert.Equal("6379", outputs["SessionsPort"]);
        Assert.Equal("11211", outputs["PagesPort"]);
        Assert.Equal("5439", outputs["WarehousePort"]);
        Assert.Matches("^arn:aws:secretsmanager:us-east-2:333333333333:secret:.+-[0-9a-f]{6}$", outputs["WarehouseSecret"]);
    }

    [Fact]
    public async Task AnEksClustersIssuerAndEndpointAreUrlsThatTemplatesSplitForServiceAccountRoles()
    {
        // Service-account roles take the issuer's host and path: !Select [1, !Split ['//', !GetAtt Cluster.OpenIdConnectIssuerUrl]].
        const string template = """
            Resources:
              Cluster:
                Type: AWS::EKS::Cluster
                Properties: { RoleArn: "arn:aws:iam::333333333333:role/eks", ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] } }
            Outputs:
              Issuer: { Value: !GetAtt Cluster.OpenIdConnectIssuerUrl }
              IssuerHost: { Value: !Select [1, !Split ["//", !GetAtt Cluster.OpenIdConnectIssuerUrl]] }
              Endpoint: { Value: !GetAtt Cluster.Endpoint }
            """;
        var stack = await CreateAsync(_engine, "eks", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Matches("^https://oidc\\.eks\\.us-east-2\\.amazonaws\\.com/id/[0-9A-F]{32}$", outputs["Issuer"]);
        Assert.Equal(outputs["Issuer"]["https://".Length..], outputs["IssuerHost"]);
        Assert.Matches("^https://[0-9A-F]{32}\\.[0-9a-f]{3}\\.us-east-2\\.eks\\.amazonaws\\.com$", outputs["Endpoint"]);
    }

    [Fact]
    public async Task ASecurityGroupsGroupIdIsItsRef()
    {
        const string template = """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: files, VpcId: !Ref Vpc } }
            Outputs:
              Ref: { Value: !Ref Group }
              GroupId: { Value: !GetAtt Group.GroupId }
            """;
        var stack = await CreateAsync(_engine, "group", template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.StartsWith("sg-", outputs["Ref"]);
        Assert.Equal(outputs["Ref"], outputs["GroupId"]);
    }

    [Fact]
    public async Task AnMskClustersArnIsKafkasWithItsNameAndUuid_AndAnSesIdentitysDkimRecordsFitItsDomain()
    {
        var stack = await CreateAsync(_engine, "kafka-mail", """
            Resources:
              Cluster:
                Type: AWS::MSK::Cluster
                Properties:
                  ClusterName: orders
                  KafkaVersion: 3.6.0
                  NumberOfBrokerNodes: 2
                  BrokerNodeGroupInfo: { InstanceType: kafka.m5.large, ClientSubnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }
              Identity:
                Type: AWS::SES::EmailIdentity
                Properties:
                  EmailIdentity: mail.example.com
            Outputs:
              Arn: { Value: !Ref Cluster }
              Name: { Value: !Select [1, !Split ["/", !Ref Cluster]] }
              Uuid: { Value: !Select [2, !Split ["/", !Ref Cluster]] }
              Name1: { Value: !GetAtt Identity.DkimDNSTokenName1 }
              Value1: { Value: !GetAtt Identity.DkimDNSTokenValue1 }
              Name2: { Value: !GetAtt Identity.DkimDNSTokenName2 }
            """);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        Assert.Matches(@"^arn:aws:kafka:us-east-2:333333333333:cluster/orders/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[1-9]$", outputs["Arn"]);
        Assert.Equal("orders", outputs["Name"]);
        var token = outputs["Name1"].Split('.')[0];
        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.Equal($"{token}._domainkey.mail.example.com", outputs["Name1"]);
        Assert.Equal($"{token}.dkim.amazonses.com", outputs["Value1"]);
        Assert.NotEqual(outputs["Name1"], outputs["Name2"]);
    }
}
