using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>The Backup and KMS calls the scenario tests arrange their cases with; each fails the test unless AWS-shaped success comes back.</summary>
internal static class BackupCalls
{
    public const string OrganizationId = "o-lc0example01";

    public static string RoleArn(this AwsCaller caller) => $"arn:aws:iam::{caller.Account.Id}:role/service-role/AWSBackupDefaultServiceRole";

    public static string VaultArn(this AwsCaller caller, string name) => $"arn:aws:backup:{caller.Region}:{caller.Account.Id}:backup-vault:{name}";

    public static string TableArn(this AwsCaller caller) => $"arn:aws:dynamodb:{caller.Region}:{caller.Account.Id}:table/{caller.Account.Name}-orders";

    public static async Task<string> CreateVaultAsync(this AwsCaller caller, string name, string? encryptionKeyArn = null)
    {
        var body = encryptionKeyArn is null ? new JsonObject() : new JsonObject { ["EncryptionKeyArn"] = encryptionKeyArn };
        return (await caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/{name}", body)).Ok()["BackupVaultArn"]!.GetValue<string>();
    }

    /// <summary>Lets every account of the organization copy into the vault (the policy the DR pattern sets).</summary>
    public static async Task AllowOrganizationCopiesAsync(this AwsCaller caller, string vaultName, string action = "backup:CopyIntoBackupVault")
    {
        var policy = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = "*",
                ["Action"] = action,
                ["Resource"] = "*",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = OrganizationId } },
            }),
        };
        (await caller.BackupAsync(HttpMethod.Put, $"/backup-vaults/{vaultName}/access-policy", new { Policy = policy.ToJsonString() })).Ok();
    }

    public static async Task SetCrossAccountBackupAsync(this AwsCaller management, bool enabled) =>
        (await management.BackupAsync(HttpMethod.Put, "/global-settings", new { GlobalSettings = new { isCrossAccountBackupEnabled = enabled ? "true" : "false" } })).Ok();

    /// <summary>A customer managed key; <paramref name="shareWithOrganization"/> adds the statement that lets other accounts of the organization use it.</summary>
    public static async Task<string> CreateKeyAsync(this AwsCaller caller, bool shareWithOrganization)
    {
        var statements = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{caller.Account.Id}:root" },
            ["Action"] = "kms:*",
            ["Resource"] = "*",
        });
        if (shareWithOrganization)
        {
            statements.Add(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = "*" },
                ["Action"] = new JsonArray("kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"),
                ["Resource"] = "*",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = OrganizationId } },
            });
        }

        var policy = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
        var answer = await caller.JsonAsync("kms", "TrentService.CreateKey", new { Policy = policy.ToJsonString() });
        return answer.Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
    }

    /// <summary>Backs up the account's seed DynamoDB table into the vault; returns the recovery point ARN (complete once the clock passes the job's time).</summary>
    public static async Task<string> StartTableBackupAsync(this AwsCaller caller, string vaultName, object? lifecycle = null)
    {
        var answer = await caller.BackupAsync(HttpMethod.Put, "/backup-jobs", new Dictionary<string, object?>
        {
            ["BackupVaultName"] = vaultName,
            ["ResourceArn"] = caller.TableArn(),
            ["IamRoleArn"] = caller.RoleArn(),
            ["Lifecycle"] = lifecycle,
        }.Where(member => member.Value is not null).ToDictionary());
        return answer.Ok()["RecoveryPointArn"]!.GetValue<string>();
    }

    public static async Task<string> StartCopyAsync(this AwsCaller caller, string sourceVault, string recoveryPointArn, string destinationVaultArn, object? lifecycle = null)
    {
        var answer = await caller.BackupAsync(HttpMethod.Put, "/copy-jobs", new Dictionary<string, object?>
        {
            ["SourceBackupVaultName"] = sourceVault,
            ["RecoveryPointArn"] = recoveryPointArn,
            ["DestinationBackupVaultArn"] = destinationVaultArn,
            ["IamRoleArn"] = caller.RoleArn(),
            ["Lifecycle"] = lifecycle,
        }.Where(member => member.Value is not null).ToDictionary());
        return answer.Ok()["CopyJobId"]!.GetValue<string>();
    }

    public static async Task<JsonNode> DescribeCopyJobAsync(this AwsCaller caller, string copyJobId) =>
        (await caller.BackupAsync(HttpMethod.Get, $"/copy-jobs/{copyJobId}")).Ok()["CopyJob"]!;

    public static async Task<IReadOnlyList<JsonNode>> RecoveryPointsAsync(this AwsCaller caller, string vaultName) =>
        (await caller.BackupAsync(HttpMethod.Get, $"/backup-vaults/{vaultName}/recovery-points/")).Ok()["RecoveryPoints"]!.AsArray().Select(point => point!).ToList();
}
