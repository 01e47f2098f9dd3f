using System.Diagnostics;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using Xunit.Abstractions;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>Measures alone: tests running in parallel would allocate into the memory figure and slow the clock.</summary>
[CollectionDefinition(nameof(ResourceSpecificationTests), DisableParallelization = true)]
public sealed class SpecificationMeasurementCollection;

[Collection(nameof(ResourceSpecificationTests))]
public sealed class ResourceSpecificationTests(ITestOutputHelper output)
{
    [Fact]
    public void LoadsTheEmbeddedSpecificationQuicklyAndCompactly()
    {
        using var database = typeof(ResourceSpecification).Assembly.GetManifestResourceStream("aws-service-spec.db.json.gz")!;
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        var specification = ResourceSpecification.Load(database);
        stopwatch.Stop();
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(specification);
        output.WriteLine($"resource types: {specification.ResourceTypeCount}, load: {stopwatch.ElapsedMilliseconds} ms, retained: {retained / 1024 / 1024.0:F1} MiB");

        Assert.True(specification.ResourceTypeCount > 1500, $"only {specification.ResourceTypeCount} resource types");
        // About 0.3 s on an idle machine; the bound leaves room for a machine shared with other builds.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"loading took {stopwatch.Elapsed}");
        Assert.True(retained < 64 * 1024 * 1024, $"the index retains {retained} bytes");
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
