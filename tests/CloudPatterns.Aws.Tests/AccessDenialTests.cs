namespace CloudPatterns.Aws.Tests;

// The message forms AWS refuses with (docs/aws-errors.md quotes the sources), each parsed into principal, action,
// resource and deciding policy, and the remedy it leads to.
public sealed class AccessDenialTests
{
    private const string Session = "arn:aws:sts::111122223333:assumed-role/CloudPatternsDrValidation/run-1";
    private const string Key = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    [Fact]
    public void IdentityBasedImplicitDenyNamesTheRoleActionAndResourceToAdd()
    {
        var denial = AccessDenial.Parse($"User: {Session} is not authorized to perform: kms:GenerateDataKey on resource: {Key} because no identity-based policy allows the kms:GenerateDataKey action")!;
        Assert.Equal(Session, denial.Principal);
        Assert.Equal("kms:GenerateDataKey", denial.Action);
        Assert.Equal(Key, denial.Resource);
        Assert.Equal(DenyingPolicyType.IdentityBased, denial.PolicyType);
        Assert.False(denial.ExplicitDeny);
        Assert.Equal("CloudPatternsDrValidation", denial.RoleName);
        Assert.Equal($"Add kms:GenerateDataKey on {Key} to role CloudPatternsDrValidation.", denial.Remedy);
    }

    [Fact]
    public void ServiceControlPolicyExplicitDenyNamesThePolicyAndThatNoRolePolicyHelps()
    {
        const string scp = "arn:aws:organizations::111111111111:policy/o-lc0example01/service_control_policy/p-deny1234";
        var denial = AccessDenial.Parse($"User: {Session} is not authorized to perform: backup:DeleteRecoveryPoint on resource: arn:aws:backup:us-east-2:111122223333:recovery-point:abc with an explicit deny in a service control policy: {scp}")!;
        Assert.Equal(DenyingPolicyType.ServiceControl, denial.PolicyType);
        Assert.True(denial.ExplicitDeny);
        Assert.Equal(scp, denial.PolicyArn);
        Assert.Equal("arn:aws:backup:us-east-2:111122223333:recovery-point:abc", denial.Resource);
        Assert.Contains(scp, denial.Remedy);
        Assert.Contains("no role policy can override it", denial.Remedy);
    }

    [Theory]
    [InlineData("because no service control policy allows the s3:PutObject action", DenyingPolicyType.ServiceControl, false, "needs an SCP that allows it")]
    [InlineData("because no resource-based policy allows the s3:PutObject action", DenyingPolicyType.ResourceBased, false, "resource's own policy")]
    [InlineData("with an explicit deny in a resource-based policy", DenyingPolicyType.ResourceBased, true, "change its Deny statement")]
    [InlineData("because no permissions boundary allows the s3:PutObject action", DenyingPolicyType.PermissionsBoundary, false, "permissions boundary of role CloudPatternsDrValidation")]
    [InlineData("because no session policy allows the s3:PutObject action", DenyingPolicyType.Session, false, "session policy given when role CloudPatternsDrValidation was assumed")]
    [InlineData("with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy/NoEvidence", DenyingPolicyType.IdentityBased, true, "(arn:aws:iam::111122223333:policy/NoEvidence) denies s3:PutObject")]
    [InlineData("because no VPC endpoint policy allows the s3:PutObject action", DenyingPolicyType.VpcEndpoint, false, "endpoint policy")]
    public void EachPolicyTypeOfS3sQuotedFormHasItsRemedy(string reason, DenyingPolicyType type, bool explicitDeny, string remedy)
    {
        // S3 quotes the resource ARN (Amazon S3 user guide, troubleshoot-403-errors).
        var denial = AccessDenial.Parse($"User: {Session} is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::org-dr-evidence/dr-validation/1.json\" {reason}")!;
        Assert.Equal("arn:aws:s3:::org-dr-evidence/dr-validation/1.json", denial.Resource);
        Assert.Equal(type, denial.PolicyType);
        Assert.Equal(explicitDeny, denial.ExplicitDeny);
        Assert.Contains(remedy, denial.Remedy);
    }

    [Fact]
    public void Ec2sFormWithItsPrefixAndEncodedMessageParses()
    {
        var denial = AccessDenial.Parse($"You are not authorized to perform this operation. User: {Session} is not authorized to perform: ec2:DeleteVolume on resource: arn:aws:ec2:us-west-2:111122223333:volume/vol-0abc because no identity-based policy allows the ec2:DeleteVolume action. Encoded authorization failure message: AbCd")!;
        Assert.Equal("ec2:DeleteVolume", denial.Action);
        Assert.Equal("arn:aws:ec2:us-west-2:111122223333:volume/vol-0abc", denial.Resource);
        Assert.Equal(DenyingPolicyType.IdentityBased, denial.PolicyType);
    }

    [Fact]
    public void StssFormWithoutAReasonStillNamesPrincipalActionAndResource()
    {
        var denial = AccessDenial.Parse("User: arn:aws:iam::111111111111:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/CloudPatternsDrSetup")!;
        Assert.Equal(DenyingPolicyType.Unknown, denial.PolicyType);
        Assert.Null(denial.RoleName);
        Assert.Equal("arn:aws:iam::222222222222:role/CloudPatternsDrSetup", denial.Resource);
        Assert.StartsWith("Add sts:AssumeRole on arn:aws:iam::222222222222:role/CloudPatternsDrSetup to arn:aws:iam::111111111111:user/admin", denial.Remedy);
    }

    [Theory]
    [InlineData("Access Denied")]
    [InlineData("The security token included in the request is invalid.")]
    [InlineData(null)]
    public void OtherMessagesAreNoDenial(string? message) => Assert.Null(AccessDenial.Parse(message));

    [Fact]
    public void AFailureCarriesTheDenialAndItsRemedyAsTheHint()
    {
        var refused = new Amazon.Runtime.AmazonServiceException($"User: {Session} is not authorized to perform: kms:Decrypt on resource: {Key} because no identity-based policy allows the kms:Decrypt action")
        {
            ErrorCode = "AccessDeniedException",
            StatusCode = System.Net.HttpStatusCode.BadRequest,
        };
        var failure = AwsFailure.Of(refused, null);
        Assert.Equal(AwsErrorKind.AccessDenied, failure.Kind);
        Assert.Equal("kms:Decrypt", failure.Denial!.Action);
        Assert.Equal($"Add kms:Decrypt on {Key} to role CloudPatternsDrValidation.", failure.Hint);
    }
}
