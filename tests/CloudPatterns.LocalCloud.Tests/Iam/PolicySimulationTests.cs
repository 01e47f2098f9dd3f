namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>
/// iam:SimulatePrincipalPolicy and iam:SimulateCustomPolicy through boto3 over HTTP, decided by LocalCloud's evaluator:
/// EvalDecision allowed, implicitDeny and explicitDeny with the MatchedStatements that decided, context keys
/// (iam:PassedToService), a resource policy, input policies only for the custom simulation, and a missing role.
/// </summary>
public sealed class PolicySimulationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Simulation_DecidesAsTheEvaluator_NamingTheStatementThatDecided()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var account = fixture.Organization.ManagementAccountId;
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "policy_simulation_client.py", suffix);

        Assert.Equal(
            """[["s3:GetObject", "arn:aws:s3:::data/run.json", "allowed", [["validation", "role"]], true], """
            + """["s3:PutObject", "arn:aws:s3:::data/run.json", "implicitDeny", [], true], """
            + """["s3:DeleteObject", "arn:aws:s3:::data/run.json", "explicitDeny", [["validation", "role"]], true]]""",
            result.GetProperty("objects").GetRawText());
        var restoreRole = $"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole";
        Assert.Equal(
            $"""[["iam:PassRole", "{restoreRole}", "allowed", [["validation", "role"]], true], ["iam:PassRole", "{restoreRole}", "implicitDeny", [], true]]""",
            result.GetProperty("passRole").GetRawText());
        Assert.Equal(
            """[["kms:Decrypt", "*", "allowed", [["ResourcePolicy", "resource"]], true], ["kms:GenerateDataKey", "*", "implicitDeny", [], true]]""",
            result.GetProperty("keyPolicy").GetRawText());
        Assert.Equal("""[["kms:Decrypt", "*", "explicitDeny", [["PolicyInputList.2", "none"]], true]]""", result.GetProperty("custom").GetRawText());
        Assert.Equal($"NoSuchEntity: The role with name none-{suffix} cannot be found.", result.GetProperty("missing").GetString());
    }
}
