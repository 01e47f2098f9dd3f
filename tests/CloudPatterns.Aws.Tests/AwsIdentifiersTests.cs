namespace CloudPatterns.Aws.Tests;

public sealed class AwsIdentifiersTests
{
    [Theory]
    [InlineData("123456789012", true)]
    [InlineData("12345678901", false)]
    [InlineData("١٢٣٤٥٦٧٨٩٠١٢", false)] // Arabic-Indic digits: \d would take them
    [InlineData("12345678901a", false)]
    public void AccountIdIsTwelveAsciiDigits(string value, bool valid) => Assert.Equal(valid, AwsIdentifiers.IsAccountId(value));

    [Theory]
    [InlineData("us-east-2", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("US-EAST-2", false)]
    [InlineData("us-east", false)]
    public void RegionIsLowerCaseWithNumber(string value, bool valid) => Assert.Equal(valid, AwsIdentifiers.IsRegion(value));

    [Fact]
    public void ProblemNamesTheValueAndTheForm()
    {
        Assert.Null(AwsIdentifiers.Problem(AwsIdentifierKind.BucketName, "dr-evidence-1", "-EvidenceBucketName"));
        var problem = AwsIdentifiers.Problem(AwsIdentifierKind.BucketName, "Evidence", "-EvidenceBucketName");
        Assert.Equal("-EvidenceBucketName 'Evidence' is not " + AwsIdentifiers.Describe(AwsIdentifierKind.BucketName) + ".", problem);
    }

    [Theory]
    [InlineData(AwsIdentifierKind.IamRoleArn, "arn:aws:iam::123456789012:role/service-role/Backup", true)]
    [InlineData(AwsIdentifierKind.IamRoleArn, "arn:aws:iam::123456789012:user/alice", false)]
    [InlineData(AwsIdentifierKind.SnsTopicArn, "arn:aws:sns:us-east-2:123456789012:dr-alerts", true)]
    [InlineData(AwsIdentifierKind.SnsTopicArn, "arn:aws:sns::123456789012:dr-alerts", false)]
    [InlineData(AwsIdentifierKind.AcmCertificateArn, "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc", true)]
    [InlineData(AwsIdentifierKind.AcmCertificateArn, "arn:aws:acm:us-east-2:123456789012:certificate/", false)]
    public void ArnKindsCheckServiceAndResource(AwsIdentifierKind kind, string value, bool valid) => Assert.Equal(valid, AwsIdentifiers.Is(kind, value));

    [Fact]
    public void ArnParts()
    {
        var arn = AwsArn.Parse("arn:aws:rds:us-east-2:123456789012:db:orders");
        Assert.Equal(("aws", "rds", "us-east-2", "123456789012", "db:orders", "orders"), (arn.Partition, arn.Service, arn.Region, arn.AccountId, arn.Resource, arn.ResourceName));
        Assert.Equal("", AwsArn.Parse("arn:aws:s3:::bucket").AccountId);
        Assert.Null(AwsArn.TryParse("arn:aws:s3:::"));
        Assert.Null(AwsArn.TryParse("not-an-arn"));
        Assert.Throws<FormatException>(() => AwsArn.Parse("arn:aws:iam::1234:role/x"));
    }
}
