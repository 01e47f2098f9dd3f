using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Tests.Authorization;

/// <summary>The policy grammar, one rule per row: each row holds for one request and fails for the other.</summary>
public sealed class PolicyConditionTests
{
    private static readonly CallerIdentity Alice = new("333333333333", "arn:aws:iam::333333333333:user/alice", "AIDAALICE", RoleArn: null);
    private static readonly CallerIdentity Deployer = new("333333333333", "arn:aws:sts::333333333333:assumed-role/Deployer/run-1", "AROADEPLOYER:run-1", "arn:aws:iam::333333333333:role/Deployer");
    private static readonly CallerIdentity Stranger = new("999999999999", "arn:aws:iam::999999999999:user/mallory", "AIDAMALLORY", RoleArn: null);

    /// <summary>Statement JSON (Effect Allow added), then a matching and a non-matching (action, resource, keys).</summary>
    public static TheoryData<string, string, string, string, string, string, string> Rules => new()
    {
        // Action / NotAction, wildcards, case-insensitive actions
        { "\"Action\":\"backup:Describe*\",\"Resource\":\"*\"", "backup:DescribeBackupVault", "*", "", "backup:DeleteRecoveryPoint", "*", "" },
        { "\"Action\":\"S3:getobject\",\"Resource\":\"*\"", "s3:GetObject", "*", "", "s3:GetObjectRetention", "*", "" },
        { "\"Action\":\"kms:?ncrypt\",\"Resource\":\"*\"", "kms:Encrypt", "*", "", "kms:ReEncrypt", "*", "" },
        { "\"NotAction\":\"iam:*\",\"Resource\":\"*\"", "s3:GetObject", "*", "", "iam:CreateRole", "*", "" },
        // Resource / NotResource, case-sensitive resources
        { "\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::evidence/*\"", "s3:PutObject", "arn:aws:s3:::evidence/run.json", "", "s3:PutObject", "arn:aws:s3:::Evidence/run.json", "" },
        { "\"Action\":\"*\",\"NotResource\":\"arn:aws:s3:::evidence/*\"", "s3:PutObject", "arn:aws:s3:::other/x", "", "s3:PutObject", "arn:aws:s3:::evidence/x", "" },
        // Policy variables
        { "\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"", "s3:GetObject", "arn:aws:s3:::home/alice/a", "", "s3:GetObject", "arn:aws:s3:::home/bob/a", "" },
        { "\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::t/${aws:PrincipalTag/team, 'none'}/*\"", "s3:GetObject", "arn:aws:s3:::t/none/a", "", "s3:GetObject", "arn:aws:s3:::t/dr/a", "" },
        { "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceAccount\":\"${aws:PrincipalAccount}\"}}", "s3:GetObject", "*", "aws:ResourceAccount=333333333333", "s3:GetObject", "*", "aws:ResourceAccount=222222222222" },
        // String operators
        { Cond("StringEquals", "aws:SourceAccount", "\"333333333333\""), "sns:Publish", "*", "aws:SourceAccount=333333333333", "sns:Publish", "*", "aws:SourceAccount=444444444444" },
        { Cond("StringNotEquals", "aws:SourceAccount", "\"333333333333\""), "sns:Publish", "*", "aws:SourceAccount=444444444444", "sns:Publish", "*", "aws:SourceAccount=333333333333" },
        { Cond("StringEqualsIgnoreCase", "aws:RequestedRegion", "\"US-EAST-2\""), "s3:GetObject", "*", "aws:RequestedRegion=us-east-2", "s3:GetObject", "*", "aws:RequestedRegion=us-west-2" },
        { Cond("StringNotEqualsIgnoreCase", "aws:RequestedRegion", "\"US-EAST-2\""), "s3:GetObject", "*", "aws:RequestedRegion=us-west-2", "s3:GetObject", "*", "aws:RequestedRegion=us-east-2" },
        { Cond("StringLike", "kms:ViaService", "\"backup.*.amazonaws.com\""), "kms:Decrypt", "*", "kms:ViaService=backup.us-east-2.amazonaws.com", "kms:Decrypt", "*", "kms:ViaService=s3.us-east-2.amazonaws.com" },
        { Cond("StringNotLike", "s3:prefix", "\"private/*\""), "s3:ListBucket", "*", "s3:prefix=public/", "s3:ListBucket", "*", "s3:prefix=private/a" },
        // Missing keys: positive operators fail, negated ones and IfExists hold
        { Cond("StringEquals", "aws:SourceArn", "\"arn:aws:backup:us-east-2:333333333333:backup-vault:central\""), "sns:Publish", "*", "aws:SourceArn=arn:aws:backup:us-east-2:333333333333:backup-vault:central", "sns:Publish", "*", "" },
        { Cond("StringEqualsIfExists", "s3:x-amz-server-side-encryption", "\"aws:kms\""), "s3:PutObject", "*", "", "s3:PutObject", "*", "s3:x-amz-server-side-encryption=AES256" },
        // Numeric and date
        { Cond("NumericLessThanEquals", "s3:max-keys", "\"10\""), "s3:ListBucket", "*", "s3:max-keys=10", "s3:ListBucket", "*", "s3:max-keys=11" },
        { Cond("NumericGreaterThan", "s3:max-keys", "10"), "s3:ListBucket", "*", "s3:max-keys=11", "s3:ListBucket", "*", "s3:max-keys=10" },
        { Cond("NumericNotEquals", "s3:max-keys", "\"10\""), "s3:ListBucket", "*", "s3:max-keys=9", "s3:ListBucket", "*", "s3:max-keys=10" },
        { Cond("DateLessThan", "aws:CurrentTime", "\"2026-12-31T00:00:00Z\""), "s3:GetObject", "*", "aws:CurrentTime=2026-12-05T01:00:00Z", "s3:GetObject", "*", "aws:CurrentTime=2027-01-01T00:00:00Z" },
        { Cond("DateGreaterThanEquals", "aws:EpochTime", "\"1767225600\""), "s3:GetObject", "*", "aws:EpochTime=1767225600", "s3:GetObject", "*", "aws:EpochTime=1767225599" },
        // Bool, Null, IpAddress, Arn
        { Cond("Bool", "aws:SecureTransport", "\"false\""), "s3:GetObject", "*", "aws:SecureTransport=false", "s3:GetObject", "*", "aws:SecureTransport=true" },
        { Cond("BoolIfExists", "aws:PrincipalIsAWSService", "\"false\""), "kms:CreateGrant", "*", "", "kms:CreateGrant", "*", "aws:PrincipalIsAWSService=true" },
        { Cond("Null", "aws:SourceArn", "\"true\""), "sns:Publish", "*", "", "sns:Publish", "*", "aws:SourceArn=arn:aws:backup:us-east-2:1:backup-vault:x" },
        { Cond("Null", "aws:SourceArn", "\"false\""), "sns:Publish", "*", "aws:SourceArn=arn:aws:backup:us-east-2:1:backup-vault:x", "sns:Publish", "*", "" },
        { Cond("IpAddress", "aws:SourceIp", "\"127.0.0.0/8\""), "s3:GetObject", "*", "aws:SourceIp=127.0.0.1", "s3:GetObject", "*", "aws:SourceIp=10.0.0.1" },
        { Cond("NotIpAddress", "aws:SourceIp", "[\"10.0.0.0/8\",\"192.168.1.1\"]"), "s3:GetObject", "*", "aws:SourceIp=127.0.0.1", "s3:GetObject", "*", "aws:SourceIp=192.168.1.1" },
        { Cond("ArnLike", "aws:SourceArn", "\"arn:aws:backup:*:333333333333:backup-vault:*\""), "sns:Publish", "*", "aws:SourceArn=arn:aws:backup:us-east-2:333333333333:backup-vault:central", "sns:Publish", "*", "aws:SourceArn=arn:aws:backup:us-east-2:444444444444:backup-vault:central" },
        { Cond("ArnNotEquals", "aws:PrincipalArn", "\"arn:aws:iam::333333333333:role/Breakglass\""), "s3:GetObject", "*", "aws:PrincipalArn=arn:aws:iam::333333333333:role/Deployer", "s3:GetObject", "*", "aws:PrincipalArn=arn:aws:iam::333333333333:role/Breakglass" },
        // Multi-valued keys
        { Cond("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\",\"env\"]"), "s3:PutBucketTagging", "*", "aws:TagKeys=team,env", "s3:PutBucketTagging", "*", "aws:TagKeys=team,owner" },
        { Cond("ForAnyValue:StringLike", "aws:TagKeys", "\"own*\""), "s3:PutBucketTagging", "*", "aws:TagKeys=team,owner", "s3:PutBucketTagging", "*", "aws:TagKeys=team,env" },
        { Cond("ForAnyValue:StringEquals", "aws:TagKeys", "\"team\""), "s3:PutBucketTagging", "*", "aws:TagKeys=team", "s3:PutBucketTagging", "*", "" },
        // Several keys under one operator are ANDed, several values ORed
        { "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":[\"1\",\"333333333333\"],\"aws:RequestedRegion\":\"us-east-2\"}}", "sns:Publish", "*", "aws:SourceAccount=333333333333;aws:RequestedRegion=us-east-2", "sns:Publish", "*", "aws:SourceAccount=333333333333;aws:RequestedRegion=us-west-2" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Statement_AppliesToTheFirstRequest_AndNotTheSecond(string statement, string action, string resource, string keys, string otherAction, string otherResource, string otherKeys)
    {
        var policy = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow",{{statement}}}]}""");

        Assert.True(policy.Allows(Request(Alice, action, resource, keys)), "the first request should match");
        Assert.False(policy.Allows(Request(Alice, otherAction, otherResource, otherKeys)), "the second request should not match");
    }

    /// <summary>Principal element: (principal JSON, the caller that matches, the caller that does not, matched via the account).</summary>
    public static TheoryData<string, string, string, bool> Principals => new()
    {
        { "{\"AWS\":\"arn:aws:iam::333333333333:root\"}", "alice", "stranger", true },
        { "{\"AWS\":\"333333333333\"}", "deployer", "stranger", true },
        { "{\"AWS\":\"arn:aws:iam::333333333333:role/Deployer\"}", "deployer", "alice", false },
        { "{\"AWS\":\"arn:aws:iam::333333333333:user/alice\"}", "alice", "deployer", false },
        { "{\"Service\":\"backup.amazonaws.com\"}", "backup", "alice", false },
        { "\"*\"", "stranger", "backup-never-fails", false },
    };

    [Theory]
    [MemberData(nameof(Principals))]
    public void Principal_MatchesTheNamedPrincipalOnly(string principal, string matching, string other, bool viaAccount)
    {
        var policy = PolicyDocument.Parse($$"""{"Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"*"}]}""");

        var match = policy.Evaluate(Request(Caller(matching), "sts:AssumeRole", "*", ""));
        Assert.Equal((PolicyEffect.Allow, viaAccount), (match.Effect, match.ViaAccount));
        if (other != "backup-never-fails")
        {
            Assert.Equal(PolicyEffect.None, policy.Evaluate(Request(Caller(other), "sts:AssumeRole", "*", "")).Effect);
        }
    }

    [Fact]
    public void NotPrincipal_AppliesToEveryoneElse()
    {
        var policy = PolicyDocument.Parse("""{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::333333333333:role/Deployer"},"Action":"s3:*","Resource":"*"}]}""");

        Assert.Equal(PolicyEffect.Deny, policy.Evaluate(Request(Alice, "s3:GetObject", "*", "")).Effect);
        Assert.Equal(PolicyEffect.None, policy.Evaluate(Request(Deployer, "s3:GetObject", "*", "")).Effect);
    }

    [Fact]
    public void Deny_WinsOverAllow_InOnePolicy()
    {
        var policy = PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoDeletes","Effect":"Deny","Action":"backup:Delete*","Resource":"*"}]}""");

        var match = policy.Evaluate(Request(Alice, "backup:DeleteRecoveryPoint", "*", ""));

        Assert.Equal((PolicyEffect.Deny, "NoDeletes"), (match.Effect, match.Statement!.Sid));
        Assert.Equal(PolicyEffect.Allow, policy.Evaluate(Request(Alice, "backup:DescribeBackupVault", "*", "")).Effect);
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}""", "Effect must be Allow or Deny")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Resource":"*"}]}""", "needs Action or NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}""", "both Action and NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSortOf":{"a":"b"}}}]}""", "'StringSortOf' is not valid")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}""", "'NullIfExists' is not valid")]
    [InlineData("""{"Version":"2012-10-17"}""", "with a Statement")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"everyone","Action":"*"}]}""", "Principal must be")]
    public void MalformedPolicy_IsRefusedNamingTheProblem(string json, string problem)
    {
        var error = Assert.Throws<FormatException>(() => PolicyDocument.Parse(json));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static string Cond(string op, string key, string values) =>
        $"\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{{\"{op}\":{{\"{key}\":{values}}}}}";

    private static CallerIdentity Caller(string name) => name switch
    {
        "alice" => Alice,
        "deployer" => Deployer,
        "backup" => CallerIdentity.ForService("backup.amazonaws.com", "333333333333"),
        _ => Stranger,
    };

    // keys: "k=v1,v2;k2=v"
    private static RequestContext Request(CallerIdentity caller, string action, string resource, string keys)
    {
        var request = PrincipalKeys.Context(caller, action, resource, "o-lc0example01");
        foreach (var pair in keys.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, values) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            request.Set(key, values.Split(','));
        }

        return request;
    }
}
