using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Organizations;

namespace CloudPatterns.LocalCloud.Tests.Organizations;

/// <summary>
/// The effective-policy merge against the Organizations user guide's inheritance examples
/// (docs/localcloud-backup-policies.md, "Inheritance operators and the effective policy").
/// </summary>
public sealed class ManagementPolicyMergeTests
{
    [Fact]
    public void A_child_assign_replaces_append_adds_and_remove_takes_away()
    {
        var effective = Merge(
            [Policy("""{"@@assign":["us-east-1","eu-north-1"]}""")],
            [Policy("""{"@@append":["us-west-2"]}""")],
            [Policy("""{"@@remove":["eu-north-1"]}""")]);

        Assert.Equal("""["us-east-1","us-west-2"]""", effective!["plans"]!["p"]!["regions"]!.ToJsonString());
    }

    [Fact]
    public void A_locked_setting_ignores_the_child_and_keys_are_case_insensitive()
    {
        var effective = Merge(
            [Policy("""{"@@assign":["us-east-1"],"@@operators_allowed_for_child_policies":["@@none"]}""")],
            ["""{"plans":{"P":{"Regions":{"@@assign":["eu-west-1"]}}}}"""]);

        Assert.Equal("""{"plans":{"p":{"regions":["us-east-1"]}}}""", effective!.ToJsonString());
    }

    [Fact]
    public void Limits_at_one_level_intersect_for_the_levels_below()
    {
        // Example 5: one root policy allows @@append, another @@append and @@remove: children may only append.
        var effective = Merge(
            [Policy("""{"@@assign":["a"],"@@operators_allowed_for_child_policies":["@@append"]}"""), Policy("""{"@@operators_allowed_for_child_policies":["@@append","@@remove"]}""")],
            [Policy("""{"@@remove":["a"],"@@append":["b"]}""")]);

        Assert.Equal("""["a","b"]""", effective!["plans"]!["p"]!["regions"]!.ToJsonString());
    }

    [Fact]
    public void At_one_level_the_policy_attached_first_wins_an_assign()
    {
        // Example 6: the first attached assigns PROJECT, the second's assign at the same level does not replace it.
        var effective = Merge([Policy("""{"@@assign":"first"}"""), Policy("""{"@@assign":"second"}""")], [Policy("""{"@@assign":"child"}""")]);
        Assert.Equal("\"child\"", effective!["plans"]!["p"]!["regions"]!.ToJsonString());

        var sameLevel = Merge([Policy("""{"@@assign":"first"}"""), Policy("""{"@@assign":"second"}""")]);
        Assert.Equal("\"first\"", sameLevel!["plans"]!["p"]!["regions"]!.ToJsonString());
    }

    [Fact]
    public void No_policy_no_effective_policy()
    {
        Assert.Null(Merge([], []));
    }

    [Theory]
    [InlineData("""{"plans":{"p":{"regions":{"@@replace":["x"]}}}}""", "'plans.p.regions.@@replace' is not an inheritance operator")]
    [InlineData("""{"plans":{"p":{"regions":{"@@append":"x"}}}}""", "'plans.p.regions.@@append' applies only to lists")]
    [InlineData("""{"plans":{"p":{"rules":{"r":{"start_backup_window_minutes":{"@@assign":"soon"}}}}}}""", "must be a whole number")]
    [InlineData("""{"plans":{"p":{"regions":{"@@assign":["x"],"extra":{"@@assign":"y"}}}}}""", "cannot sit beside an operator")]
    [InlineData("""{"tags":{}}""", "'tags' is not a backup policy element")]
    [InlineData("""{"plans":{"p":{"regions":{"@@assign":["x"]}},"p":{}}}""", "not valid JSON")]
    public void The_grammar_names_what_is_wrong(string content, string expected)
    {
        Assert.Contains(BackupPolicySyntax.Problems(content), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_user_guide_example_is_valid()
    {
        const string content = """{"plans":{"PII_Backup_Plan":{"regions":{"@@append":["us-east-1","eu-north-1"]},"rules":{"My_Hourly_Rule":{"schedule_expression":{"@@assign":"cron(0 5 ? * * *)"},"start_backup_window_minutes":{"@@assign":"60"},"complete_backup_window_minutes":{"@@assign":"604800"},"target_backup_vault_name":{"@@assign":"My_Backup_Vault"},"recovery_point_tags":{"owner":{"tag_key":{"@@assign":"Owner"},"tag_value":{"@@assign":"Backup"}}},"lifecycle":{"move_to_cold_storage_after_days":{"@@assign":"180"},"delete_after_days":{"@@assign":"270"}},"copy_actions":{"arn:aws:backup:us-west-2:$account:backup-vault:My_Secondary_Vault":{"target_backup_vault_arn":{"@@assign":"arn:aws:backup:us-west-2:$account:backup-vault:My_Secondary_Vault"},"lifecycle":{"delete_after_days":{"@@assign":"270"}}}}}},"selections":{"tags":{"My_Backup_Assignment":{"iam_role_arn":{"@@assign":"arn:aws:iam::$account:role/MyIamRole"},"tag_key":{"@@assign":"dataType"},"tag_value":{"@@assign":["PII","RED"]}}}},"advanced_backup_settings":{"ec2":{"WindowsVSS":{"@@assign":"enabled"}}},"backup_plan_tags":{"stage":{"tag_key":{"@@assign":"Stage"},"tag_value":{"@@assign":"Beta"}}}}}}""";
        Assert.Empty(BackupPolicySyntax.Problems(content));
    }

    private static string Policy(string regions) => "{\"plans\":{\"p\":{\"regions\":" + regions + "}}}";

    private static JsonObject? Merge(params string[][] levels) => ManagementPolicyMerge.Effective(levels);
}
