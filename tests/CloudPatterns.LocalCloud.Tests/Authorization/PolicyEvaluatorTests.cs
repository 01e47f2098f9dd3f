using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Identity;

namespace CloudPatterns.LocalCloud.Tests.Authorization;

/// <summary>
/// AWS's policy evaluation logic, one rule per row: each case names the policies present and the decision AWS
/// documents for them, so removing any rule from the evaluator fails a row.
/// </summary>
public sealed class PolicyEvaluatorTests
{
    private const string Vault = "arn:aws:backup:us-east-2:333333333333:backup-vault:central";
    private const string Key = "arn:aws:kms:us-east-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static readonly CallerIdentity Deployer = new("333333333333", "arn:aws:sts::333333333333:assumed-role/Deployer/run", "AROAD:run", "arn:aws:iam::333333333333:role/Deployer");
    private static readonly CallerIdentity Outsider = new("444444444444", "arn:aws:sts::444444444444:assumed-role/Ops/run", "AROAO:run", "arn:aws:iam::444444444444:role/Ops");

    private static readonly Dictionary<string, string> Documents = new()
    {
        ["allow-all"] = """{"Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}""",
        ["allow-backup"] = """{"Statement":[{"Sid":"Backup","Effect":"Allow","Action":"backup:*","Resource":"*"}]}""",
        ["allow-kms"] = """{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}""",
        ["deny-delete"] = """{"Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"backup:DeleteRecoveryPoint","Resource":"*"}]}""",
        ["allow-describe"] = """{"Statement":[{"Effect":"Allow","Action":"backup:Describe*","Resource":"*"}]}""",
        ["vault-deployer"] = """{"Statement":[{"Sid":"Deployer","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:role/Deployer"},"Action":"backup:*","Resource":"*"}]}""",
        ["vault-account"] = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"backup:*","Resource":"*"}]}""",
        ["vault-outsider"] = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444444444444"},"Action":"backup:*","Resource":"*"}]}""",
        ["vault-deny"] = """{"Statement":[{"Sid":"Locked","Effect":"Deny","Principal":"*","Action":"backup:DeleteRecoveryPoint","Resource":"*"}]}""",
        ["key-root"] = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"kms:*","Resource":"*"}]}""",
        ["key-deployer"] = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:role/Deployer"},"Action":"kms:Decrypt","Resource":"*"}]}""",
        ["key-other"] = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"kms:*","Resource":"*"}]}""",
    };

    /// <summary>
    /// (case, caller, action, identity policies, SCP levels "a+b|c", resource policy, boundary, session, expected
    /// decision: Allow, or the refusal's reason text).
    /// </summary>
    public static TheoryData<string, string, string, string, string, string, string, string, string> Cases => new()
    {
        { "identity allows", "deployer", "backup:DescribeBackupVault", "allow-backup", "", "", "", "", "Allow" },
        { "nothing allows", "deployer", "backup:DescribeBackupVault", "allow-kms", "", "", "", "", "because no identity-based policy allows the backup:DescribeBackupVault action" },
        { "explicit deny in an identity policy wins", "deployer", "backup:DeleteRecoveryPoint", "allow-all,deny-delete", "", "", "", "", "with an explicit deny in an identity-based policy" },
        { "every SCP level must allow", "deployer", "backup:DescribeBackupVault", "allow-all", "allow-all|allow-kms|allow-all", "", "", "", "because no service control policy allows the backup:DescribeBackupVault action" },
        { "SCPs allowing at every level", "deployer", "backup:DescribeBackupVault", "allow-all", "allow-all|allow-backup|allow-all", "", "", "", "Allow" },
        { "SCP deny at one level wins", "deployer", "backup:DeleteRecoveryPoint", "allow-all", "allow-all|allow-all+deny-delete|allow-all", "", "", "", "with an explicit deny in a service control policy" },
        { "SCPs grant nothing by themselves", "deployer", "backup:DescribeBackupVault", "", "allow-all|allow-all", "", "", "", "because no identity-based policy allows the backup:DescribeBackupVault action" },
        { "resource policy naming the role allows alone", "deployer", "backup:DescribeBackupVault", "", "", "vault-deployer", "", "", "Allow" },
        { "resource policy naming only the account delegates to IAM", "deployer", "backup:DescribeBackupVault", "", "", "vault-account", "", "", "because no identity-based policy allows the backup:DescribeBackupVault action" },
        { "resource policy deny wins", "deployer", "backup:DeleteRecoveryPoint", "allow-all", "", "vault-deny", "", "", "with an explicit deny in a resource-based policy" },
        { "cross-account needs the resource policy", "outsider", "backup:DescribeBackupVault", "allow-all", "", "", "", "", "because no resource-based policy allows the backup:DescribeBackupVault action" },
        { "cross-account needs the identity policy", "outsider", "backup:DescribeBackupVault", "allow-kms", "", "vault-outsider", "", "", "because no identity-based policy allows the backup:DescribeBackupVault action" },
        { "cross-account with both sides", "outsider", "backup:DescribeBackupVault", "allow-all", "", "vault-outsider", "", "", "Allow" },
        { "permissions boundary caps identity", "deployer", "backup:DescribeBackupVault", "allow-all", "", "", "allow-kms", "", "because no permissions boundary allows the backup:DescribeBackupVault action" },
        { "permissions boundary allowing", "deployer", "backup:DescribeBackupVault", "allow-all", "", "", "allow-backup", "", "Allow" },
        { "permissions boundary deny", "deployer", "backup:DeleteRecoveryPoint", "allow-all", "", "", "deny-delete", "", "with an explicit deny in a permissions boundary" },
        { "session policy caps identity", "deployer", "backup:DeleteRecoveryPoint", "allow-all", "", "", "", "allow-describe", "because no session policy allows the backup:DeleteRecoveryPoint action" },
        { "session policy allowing", "deployer", "backup:DescribeBackupVault", "allow-all", "", "", "", "allow-describe", "Allow" },
        { "session policy deny", "deployer", "backup:DeleteRecoveryPoint", "allow-all", "", "", "", "deny-delete", "with an explicit deny in a session policy" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluation_FollowsAwsLogic(string name, string caller, string action, string identity, string scps, string resource, string boundary, string session, string expected)
    {
        var principal = caller == "outsider" ? Outsider : Deployer;
        var policies = new PolicySet
        {
            Identity = Policies(identity),
            ServiceControl = scps.Length == 0 ? null : scps.Split('|').Select(level => Policies(level.Replace('+', ','))).ToList(),
            Resource = resource.Length == 0 ? null : Policies(resource)[0],
            PermissionsBoundary = boundary.Length == 0 ? null : Policies(boundary)[0],
            Session = Policies(session),
            CrossAccount = principal.AccountId != "333333333333",
        };

        var decision = PolicyEvaluator.Evaluate(policies, PrincipalKeys.Context(principal, action, Vault, "o-lc0example01"));

        Assert.True(expected == (decision.Allowed ? "Allow" : AccessDeniedErrors.Reason(action, decision)), $"{name}: got {(decision.Allowed ? "Allow" : AccessDeniedErrors.Reason(action, decision))}");
    }

    [Theory]
    [InlineData("key-root", "allow-kms", "Allow")]
    [InlineData("key-root", "", "because no identity-based policy allows the kms:Decrypt action")]
    [InlineData("key-deployer", "", "Allow")]
    [InlineData("key-other", "allow-all", "because no resource-based policy allows the kms:Decrypt action")]
    public void KmsKeyPolicy_MustAllow_AndItsRootStatementDelegatesToIam(string keyPolicy, string identity, string expected)
    {
        var policies = new PolicySet { Identity = Policies(identity), Resource = Policies(keyPolicy)[0], ResourcePolicyRequired = true };

        var decision = PolicyEvaluator.Evaluate(policies, PrincipalKeys.Context(Deployer, "kms:Decrypt", Key, "o-lc0example01"));

        Assert.Equal(expected, decision.Allowed ? "Allow" : AccessDeniedErrors.Reason("kms:Decrypt", decision));
    }

    [Fact]
    public void Decision_NamesThePolicyAndStatementThatDecided()
    {
        var scp = new NamedPolicy("arn:aws:organizations::111111111111:policy/o-lc0example01/service_control_policy/p-abcd1234", PolicyDocument.Parse(Documents["deny-delete"]));
        var policies = new PolicySet { Identity = Policies("allow-all"), ServiceControl = [[Policies("allow-all")[0], scp]] };

        var denied = PolicyEvaluator.Evaluate(policies, PrincipalKeys.Context(Deployer, "backup:DeleteRecoveryPoint", Vault, null));
        var allowed = PolicyEvaluator.Evaluate(policies, PrincipalKeys.Context(Deployer, "backup:DescribeBackupVault", Vault, null));

        Assert.Equal($"{scp.Name}#NoDelete", denied.Describe());
        Assert.Equal($"with an explicit deny in a service control policy: {scp.Name}", AccessDeniedErrors.Reason("backup:DeleteRecoveryPoint", denied));
        Assert.Equal("allow-all#All", allowed.Describe());
    }

    [Fact]
    public void ServicePrincipal_ActsOnlyWhereTheResourcePolicyAdmitsIt()
    {
        var backup = CallerIdentity.ForService("backup.amazonaws.com", "333333333333");
        var topicPolicy = new NamedPolicy("topic policy", PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sns:Publish","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"333333333333"}}}]}"""));
        var policies = new PolicySet { Resource = topicPolicy, ResourcePolicyRequired = true };

        var own = PrincipalKeys.Context(backup, "sns:Publish", "arn:aws:sns:us-east-2:333333333333:alerts", null).Set("aws:SourceAccount", "333333333333");
        var foreign = PrincipalKeys.Context(backup, "sns:Publish", "arn:aws:sns:us-east-2:333333333333:alerts", null).Set("aws:SourceAccount", "444444444444");

        Assert.True(PolicyEvaluator.Evaluate(policies, own).Allowed);
        Assert.False(PolicyEvaluator.Evaluate(policies, foreign).Allowed);
        Assert.False(PolicyEvaluator.Evaluate(new PolicySet { ResourcePolicyRequired = true }, own).Allowed);
    }

    private static IReadOnlyList<NamedPolicy> Policies(string names) => names
        .Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(name => new NamedPolicy(name, PolicyDocument.Parse(Documents[name])))
        .ToList();
}
