using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Hosting;

namespace CloudPatterns.LocalCloud.Tests.Authorization;

/// <summary>The operation-to-action table covers exactly what LocalCloud implements, and derives ARNs from the request.</summary>
public sealed class OperationActionsTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public void EveryRegisteredOperation_HasARow_AndEveryRowARegisteredOperation()
    {
        var catalog = new ServiceCatalog(cloud.Server.State);
        var implemented = catalog.Services.SelectMany(service => service.OperationNames.Select(operation => $"{service.SigningName}.{operation}")).ToHashSet();
        var rows = OperationActions.All.SelectMany(service => service.Value.Keys.Select(operation => $"{service.Key}.{operation}")).ToHashSet();

        Assert.True(implemented.Count > 150, $"only {implemented.Count} operations found");
        Assert.Equal([], implemented.Except(rows).Order().ToList());
        Assert.Equal([], rows.Except(implemented).Order().ToList());
    }

    [Theory]
    [InlineData("s3", "ListObjectsV2", "s3:ListBucket", "arn:aws:s3:::evidence")]
    [InlineData("s3", "PutObject", "s3:PutObject", "arn:aws:s3:::evidence/runs/1.json")]
    [InlineData("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration", "arn:aws:s3:::evidence")]
    [InlineData("backup", "DeleteRecoveryPoint", "backup:DeleteRecoveryPoint", "arn:aws:backup:us-east-2:333333333333:recovery-point:abc")]
    [InlineData("backup", "DescribeBackupVault", "backup:DescribeBackupVault", "arn:aws:backup:us-east-2:333333333333:backup-vault:central")]
    [InlineData("sts", "AssumeRole", "sts:AssumeRole", "arn:aws:iam::222222222222:role/Admin")]
    [InlineData("monitoring", "PutMetricAlarm", "cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:us-east-2:333333333333:alarm:high")]
    [InlineData("organizations", "ListAccounts", "organizations:ListAccounts", "*")]
    [InlineData("ssm", "GetParameter", "ssm:GetParameter", "arn:aws:ssm:us-east-2:333333333333:parameter/app/db")]
    [InlineData("secretsmanager", "GetSecretValue", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:444444444444:secret:db-AbCdEf")]
    public void Row_NamesTheActionAndTheResourceOfTheRequest(string service, string operation, string action, string resource)
    {
        var parameters = new Dictionary<string, string>
        {
            ["Bucket"] = "evidence",
            ["Key"] = "runs/1.json",
            ["backupVaultName"] = "central",
            ["recoveryPointArn"] = "arn:aws:backup:us-east-2:333333333333:recovery-point:abc",
            ["RoleArn"] = "arn:aws:iam::222222222222:role/Admin",
            ["AlarmName"] = "high",
            ["Name"] = "/app/db",
            ["SecretId"] = "arn:aws:secretsmanager:eu-west-1:444444444444:secret:db-AbCdEf",
        };
        var row = OperationActions.Find(service, operation)!;

        Assert.Equal(action, row.Action);
        Assert.Equal(resource, OperationActions.ResourceArn(row.Resource, "333333333333", "us-east-2", parameters.GetValueOrDefault));
    }

    [Fact]
    public void GetCallerIdentity_NeedsNoPermission()
    {
        Assert.Null(OperationActions.Find("sts", "GetCallerIdentity")!.Action);
    }
}
