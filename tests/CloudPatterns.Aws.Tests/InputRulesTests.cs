namespace CloudPatterns.Aws.Tests;

/// <summary>S3's bucket naming rules and AWS's regions, checked before any call (docs/dr-safety.md).</summary>
public sealed class InputRulesTests
{
    [Theory]
    [InlineData("xn--evidence", "the prefix xn-- is reserved by S3")]
    [InlineData("sthree-evidence", "the prefix sthree- is reserved by S3")]
    [InlineData("amzn-s3-demo-evidence", "the prefix amzn-s3-demo- is reserved by S3")]
    [InlineData("evidence-s3alias", "the suffix -s3alias is reserved by S3")]
    [InlineData("evidence--ol-s3", "the suffix --ol-s3 is reserved by S3")]
    [InlineData("evidence.mrap", "the suffix .mrap is reserved by S3")]
    [InlineData("evidence--x-s3", "the suffix --x-s3 is reserved by S3")]
    [InlineData("evidence--table-s3", "the suffix --table-s3 is reserved by S3")]
    [InlineData("192.168.5.4", "bucket names are never formatted as an IP address")]
    [InlineData("org..evidence", "bucket names never have two adjacent dots")]
    [InlineData("ab", "it is 2 characters long; bucket names have 3 to 63")]
    [InlineData("Evidence", "bucket names have only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit")]
    [InlineData("-evidence", "bucket names have only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit")]
    [InlineData("evidence_bucket", "bucket names have only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit")]
    public void BucketName_ThatBreaksARule_IsRefusedNamingTheRule(string name, string rule)
    {
        Assert.Equal($"-EvidenceBucket '{name}' is not an S3 bucket name: {rule}.", AwsIdentifiers.BucketNameProblem("EvidenceBucket", name));
        Assert.False(AwsIdentifiers.IsBucketName(name));
    }

    [Theory]
    [InlineData("org-dr-evidence")]
    [InlineData("abc")]
    [InlineData("evidence.example.com")]
    [InlineData("1.2.3")]
    [InlineData("192.168.5.4.5")]
    [InlineData("xn-evidence")]
    [InlineData("s3alias-evidence")]
    public void BucketName_ThatFollowsEveryRule_IsAccepted(string name)
    {
        Assert.Null(AwsIdentifiers.BucketNameProblem("EvidenceBucket", name));
        Assert.True(AwsIdentifiers.IsBucketName(name));
    }

    [Fact]
    public void BucketName_Of63Characters_IsAcceptedAnd64AreNot()
    {
        Assert.Null(AwsIdentifiers.BucketNameProblem("B", new string('a', 63)));
        Assert.Equal($"-B '{new string('a', 64)}' is not an S3 bucket name: it is 64 characters long; bucket names have 3 to 63.", AwsIdentifiers.BucketNameProblem("B", new string('a', 64)));
    }

    [Theory]
    [InlineData("us-east-2")]
    [InlineData("eu-central-2")]
    [InlineData("cn-north-1")]
    [InlineData("us-gov-west-1")]
    public void Region_OfAnyPartition_IsAccepted(string region) => Assert.Null(AwsIdentifiers.RegionProblem("Region", region));

    [Fact]
    public void Region_NoPartitionHas_IsRefusedWithRegionsThatExist()
    {
        Assert.Equal(
            "-Region 'us-east-9' is not a region of any AWS partition: give one AWS has, such as us-east-1, us-east-2.",
            AwsIdentifiers.RegionProblem("Region", "us-east-9"));
        Assert.Equal("-DrRegion 'useast2' is not an AWS region name: give one such as us-east-2 or eu-west-1.", AwsIdentifiers.RegionProblem("DrRegion", "useast2"));
    }
}
