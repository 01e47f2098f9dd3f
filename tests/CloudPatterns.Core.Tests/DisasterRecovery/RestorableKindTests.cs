using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

/// <summary>How each restorable type is named: by the validation in the restore metadata, or by AWS and the restore job.</summary>
public sealed class RestorableKindTests
{
    [Theory]
    [InlineData("RDS", "DBInstanceIdentifier")]
    [InlineData("DynamoDB", "TargetTableName")]
    public void NamedTypesPutTheChosenNameInTheMetadataAndKeepIt(string resourceType, string nameKey)
    {
        RestorableKind kind = RestorableKind.For(resourceType)!;
        var metadata = new Dictionary<string, string> { [nameKey] = "production-source" };

        kind.NameRestore(metadata, "drv-abc123-1");

        Assert.True(kind.NamedByCaller);
        Assert.Equal("drv-abc123-1", metadata[nameKey]);
        Assert.Equal("drv-abc123-1", kind.RestoredName("drv-abc123-1", createdResourceArn: "arn:aws:rds:us-west-2:222222222222:db:other"));
    }

    [Fact]
    public void EbsLeavesTheMetadataAloneAndTakesTheVolumeIdFromTheRestoreJob()
    {
        RestorableKind kind = RestorableKind.For("ebs")!;
        var metadata = new Dictionary<string, string> { ["availabilityZone"] = "us-west-2a", ["volumeType"] = "gp3" };

        kind.NameRestore(metadata, "drv-abc123-1");

        Assert.False(kind.NamedByCaller);
        Assert.Equal(new[] { "availabilityZone", "volumeType" }, metadata.Keys.OrderBy(key => key, StringComparer.Ordinal));
        Assert.Equal("vol-0123456789abcdef0", kind.RestoredName("drv-abc123-1", "arn:aws:ec2:us-west-2:222222222222:volume/vol-0123456789abcdef0"));
        Assert.Null(kind.RestoredName("drv-abc123-1", createdResourceArn: null));
    }

    [Fact]
    public void EveryBackupTypeTheValidationRestoresIsSupported() =>
        Assert.Equal(new[] { "Aurora", "DynamoDB", "EBS", "EC2", "EFS", "RDS", "S3" }, RestorableKind.SupportedTypes.OrderBy(type => type, StringComparer.Ordinal));
}
