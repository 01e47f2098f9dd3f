namespace CloudPatterns.LocalCloud.CloudFormation.Specification;

/// <summary>
/// The resource types whose every property CloudFormation also returns through Fn::GetAtt (a subnet's
/// <c>Ipv6CidrBlock</c> or <c>CidrBlock</c>, a queue's <c>QueueName</c>), beyond the attributes the specification lists
/// (docs/localcloud-cloudformation-validation.md, "GetAtt of a property").
/// </summary>
internal static class PropertyAttributes
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "AWS::Amplify::Branch", "AWS::Amplify::Domain", "AWS::AppSync::DomainName", "AWS::AppSync::FunctionConfiguration",
        "AWS::AppSync::Resolver", "AWS::AutoScaling::AutoScalingGroup", "AWS::Backup::BackupSelection", "AWS::Backup::BackupVault",
        "AWS::Backup::LogicallyAirGappedBackupVault", "AWS::CodeArtifact::Domain", "AWS::CodeArtifact::Repository",
        "AWS::EC2::CapacityReservation", "AWS::EC2::Instance", "AWS::EC2::SecurityGroup", "AWS::EC2::Subnet", "AWS::EC2::VPC",
        "AWS::EFS::MountTarget", "AWS::EKS::Nodegroup", "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::Events::EventBus", "AWS::EventSchemas::Discoverer",
        "AWS::EventSchemas::Registry", "AWS::EventSchemas::Schema", "AWS::GameLift::GameSessionQueue",
        "AWS::GameLift::MatchmakingConfiguration", "AWS::GameLift::MatchmakingRuleSet", "AWS::Grafana::Workspace",
        "AWS::Greengrass::ConnectorDefinition", "AWS::Greengrass::CoreDefinition", "AWS::Greengrass::DeviceDefinition",
        "AWS::Greengrass::FunctionDefinition", "AWS::Greengrass::Group", "AWS::Greengrass::LoggerDefinition",
        "AWS::Greengrass::ResourceDefinition", "AWS::Greengrass::SubscriptionDefinition",
        "AWS::ImageBuilder::Component", "AWS::ImageBuilder::ContainerRecipe", "AWS::ImageBuilder::DistributionConfiguration",
        "AWS::ImageBuilder::ImagePipeline", "AWS::ImageBuilder::ImageRecipe", "AWS::ImageBuilder::InfrastructureConfiguration",
        "AWS::ManagedBlockchain::Node", "AWS::Neptune::DBCluster", "AWS::RDS::DBInstance", "AWS::RDS::DBParameterGroup",
        "AWS::RedshiftServerless::Workgroup", "AWS::RoboMaker::RobotApplication", "AWS::RoboMaker::SimulationApplication",
        "AWS::Route53Resolver::ResolverRule", "AWS::Route53Resolver::ResolverRuleAssociation", "AWS::S3::AccessPoint",
        "AWS::SageMaker::DataQualityJobDefinition", "AWS::SageMaker::ModelBiasJobDefinition",
        "AWS::SageMaker::ModelExplainabilityJobDefinition", "AWS::SageMaker::ModelQualityJobDefinition",
        "AWS::SageMaker::MonitoringSchedule", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::SSM::Parameter",
        "AWS::StepFunctions::Activity",
    };

    /// <summary>Whether GetAtt of <paramref name="typeName"/> returns its properties too.</summary>
    public static bool Apply(string typeName) => Types.Contains(typeName);

    /// <summary>Adds each property of such a type to its attributes (an attribute of the same name keeps its own type).</summary>
    public static void AddTo(string typeName, IReadOnlyDictionary<string, PropertySpec> properties, Dictionary<string, PropertyTypeSpec> attributes)
    {
        if (!Apply(typeName))
        {
            return;
        }
        foreach (var (name, property) in properties)
        {
            attributes.TryAdd(name, property.Type);
        }
    }
}
