using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

public sealed class ReadinessTests
{
    private const string Org = "o-lc0example01";

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"backup:CopyIntoBackupVault","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-lc0example01"}}}]}""", true)]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::333333333333:root"]},"Action":["backup:*"],"Resource":"*"}}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"backup:CopyIntoBackupVault","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-other"}}}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444444444444"},"Action":"backup:CopyIntoBackupVault","Resource":"*"}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"backup:CopyIntoBackupVault","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"backup:Copy*","Resource":"*"}]}""", false)]
    [InlineData("not json", false)]
    public void VaultPolicyGrantsCopyOnlyToTheAccountOrItsOrganization(string policy, bool granted) =>
        Assert.Equal(granted, ResourcePolicy.Grants(policy, "backup:CopyIntoBackupVault", "333333333333", Org));

    [Theory]
    [InlineData("Access denied: Copy job failed. Both source and destination account must be a member of the same organization", "same AWS Organization")]
    [InlineData("Access denied: Copy job failed. Cross-account backup is not enabled for the organization (isCrossAccountBackupEnabled is false).", "isCrossAccountBackupEnabled=true")]
    [InlineData("Access Denied trying to call AWS Backup service", "backup:CopyIntoBackupVault")]
    [InlineData("Given key ID is not accessible. You must have DescribeKey permissions on the default CMK", "cannot be shared")]
    [InlineData("Given key ID is not accessible", "kms:DescribeKey, kms:Decrypt")]
    [InlineData("The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it", "kms:DescribeKey, kms:Decrypt")]
    [InlineData("Copy job from us-west-2 to us-east-1 cannot be initiated for RDS resources. Feature is not supported for provided resource type.", "same region first")]
    public void EachCopyRefusalNamesItsFix(string statusMessage, string fix) =>
        Assert.Contains(fix, BackupReadiness.RemediationFor(statusMessage), StringComparison.Ordinal);
}
