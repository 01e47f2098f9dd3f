using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Tests.Rds;

/// <summary>
/// RDS deletion protection as AWS enforces it, through boto3 over HTTP: DeleteDBInstance is refused, so is the
/// deletion of the stack holding the instance (DELETE_FAILED on the DB resource); once ModifyDBInstance or a stack
/// update (in place, no replacement) turns it off, the stack goes. A restore from AWS Backup starts unprotected.
/// </summary>
public sealed class DeletionProtectionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Refusal = "Cannot delete protected DB Instance, please disable deletion protection and try again.";

    [Fact]
    public async Task ProtectedInstanceRefusesDeletionUntilProtectionIsTurnedOff()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "provisioning_client.py", "deletion_protection", "guarded");

        Assert.Equal("[\"CREATE_COMPLETE\", true]", result.GetProperty("created").GetRawText());
        Assert.Equal($"InvalidParameterCombination: {Refusal}", result.GetProperty("apiDelete").GetString());

        var stackDelete = result.GetProperty("stackDelete");
        Assert.Equal("DELETE_FAILED", stackDelete[0].GetString());
        Assert.Matches(
            $"^Resource handler returned message: \"{Regex.Escape(Refusal)} \\(Service: Rds, Status Code: 400, Request ID: [0-9a-f-]{{36}}\\)\" \\(RequestToken: [0-9a-f-]{{36}}, HandlerErrorCode: InvalidRequest\\)$",
            stackDelete[1].GetString());
        Assert.True(stackDelete[2].GetBoolean());

        Assert.Equal("[false, true, false]", result.GetProperty("modified").GetRawText());
        Assert.Equal("[\"DELETE_COMPLETE\", \"DBInstanceNotFound: DBInstance guarded-api not found.\"]", result.GetProperty("deletedAfterModify").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", \"UPDATE_COMPLETE\", false, 0]", result.GetProperty("updated").GetRawText());
        Assert.Equal("[\"DELETE_COMPLETE\", \"DBInstanceNotFound: DBInstance guarded-update not found.\"]", result.GetProperty("deletedAfterUpdate").GetRawText());
    }

    [Fact]
    public async Task RestoredInstanceIsUnprotectedWhateverItsSourceWas()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "provisioning_client.py", "restore_unprotected", production.Id, "production-db");

        Assert.Equal("[\"COMPLETED\", true, false]", result.GetProperty("restore").GetRawText());
        Assert.Equal("deleting", result.GetProperty("deleted").GetString());
        Assert.Equal($"InvalidParameterCombination: {Refusal}", result.GetProperty("sourceRefuses").GetString());
    }
}
