using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

public sealed class ResourceSpecificationTests
{
    [Fact]
    public void LoadsEveryResourceTypeOfTheEmbeddedSpecification()
    {
        // Load time and retained memory are measured by bench/cfn-spec.ps1, not asserted here (this machine is shared).
        using var database = typeof(ResourceSpecification).Assembly.GetManifestResourceStream("aws-service-spec.db.json.gz")!;
        var specification = ResourceSpecification.Load(database);
        Assert.True(specification.ResourceTypeCount > 1500, $"only {specification.ResourceTypeCount} resource types");
    }

    [Fact]
    public void DescribesPropertiesNestedTypesAndAttributes()
    {
        Assert.True(ResourceSpecification.Default.TryGetResourceType("AWS::EC2::Subnet", out var subnet));
        Assert.True(subnet.Properties["VpcId"].Required);
        Assert.Equal(UpdateBehavior.Replacement, subnet.Properties["CidrBlock"].UpdateBehavior);
        Assert.Equal(UpdateBehavior.InPlace, subnet.Properties["MapPublicIpOnLaunch"].UpdateBehavior);
        Assert.Contains("AvailabilityZone", subnet.Attributes.Keys);
        Assert.Equal(["SubnetId"], subnet.PrimaryIdentifier);

        Assert.True(ResourceSpecification.Default.TryGetResourceType("AWS::S3::Bucket", out var bucket));
        var versioning = bucket.Properties["VersioningConfiguration"].Type;
        Assert.Equal(PropertyKind.Object, versioning.Kind);
        Assert.True(versioning.ObjectType!.Properties["Status"].Required);

        Assert.True(ResourceSpecification.Default.TryGetResourceType("AWS::RDS::DBInstance", out var database));
        Assert.Contains("Endpoint.Address", database.Attributes.Keys);
        Assert.False(ResourceSpecification.Default.TryGetResourceType("AWS::Foo::Bar", out _));
    }
}
