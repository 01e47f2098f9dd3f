using System.Net;
using CloudPatterns.LocalCloud.Tests.Backup;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Kms;

/// <summary>Key policies decide who outside the key's account may use it (docs/aws-behaviour.md section 7).</summary>
public sealed class KeyPolicyTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private readonly AwsCaller production = cloud.As("production");
    private readonly AwsCaller logArchive = cloud.As("log-archive");

    [Fact]
    public async Task Another_account_of_the_organization_may_use_a_key_shared_by_PrincipalOrgID()
    {
        var keyArn = await production.CreateKeyAsync(shareWithOrganization: true);

        var answer = await logArchive.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = keyArn });

        Assert.Equal(keyArn, answer.Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_account_is_refused_a_key_whose_policy_names_only_its_own_account()
    {
        var keyArn = await production.CreateKeyAsync(shareWithOrganization: false);

        var answer = await logArchive.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = keyArn });

        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (answer.Status, answer.ErrorType));
        Assert.Equal(
            $"User: arn:aws:iam::222222222222:user/admin is not authorized to perform: kms:DescribeKey on resource: {keyArn} because no resource-based policy allows the kms:DescribeKey action",
            answer.Message);
    }

    [Fact]
    public async Task The_AWS_managed_backup_key_policy_cannot_be_changed()
    {
        var key = (await production.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = "alias/aws/backup" })).Ok()["KeyMetadata"]!;
        Assert.Equal("AWS", key["KeyManager"]!.GetValue<string>());

        var answer = await production.JsonAsync("kms", "TrentService.PutKeyPolicy", new { KeyId = key["KeyId"]!.GetValue<string>(), PolicyName = "default", Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" });

        Assert.Equal("AccessDeniedException", answer.ErrorType);
    }

    [Fact]
    public async Task An_unknown_key_is_NotFoundException_with_KMS_text()
    {
        var arn = "arn:aws:kms:us-east-2:333333333333:key/00000000-0000-0000-0000-000000000000";

        var answer = await production.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = arn });

        Assert.Equal(("NotFoundException", $"Key '{arn}' does not exist"), (answer.ErrorType, answer.Message));
    }
}
