using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS Backup (REST-JSON, 2018-11-15), the part the module's readiness checks use: global settings and vaults.
/// Vaults live per account and region; the cross-account setting belongs to the organization, per region.
/// </summary>
internal sealed partial class BackupService : RestJsonService
{
    private const string CrossAccountSetting = "isCrossAccountBackupEnabled";
    private const int MaxPageSize = 1000;
    private readonly LocalCloudState state;

    public BackupService(LocalCloudState state)
        : base("backup", "ThrottlingException")
    {
        this.state = state;
        AddOperation("DescribeGlobalSettings", mutating: false, "GET", "/global-settings", DescribeGlobalSettings);
        AddOperation("UpdateGlobalSettings", mutating: true, "PUT", "/global-settings", UpdateGlobalSettings);
        AddOperation("CreateBackupVault", mutating: true, "PUT", "/backup-vaults/{backupVaultName}", CreateBackupVault);
        AddOperation("ListBackupVaults", mutating: false, "GET", "/backup-vaults", ListBackupVaults);
        AddOperation("DescribeBackupVault", mutating: false, "GET", "/backup-vaults/{backupVaultName}", DescribeBackupVault);
    }

    private RestJsonResult DescribeGlobalSettings(AwsRequest request, RestJsonInput input)
    {
        var settings = state.Backup.GetGlobalSettings(request.Region);
        var body = new JsonObject
        {
            ["GlobalSettings"] = new JsonObject { [CrossAccountSetting] = settings.CrossAccountBackupEnabled ? "true" : "false" },
        };
        if (settings.LastUpdateTime is { } updated)
        {
            body["LastUpdateTime"] = ResponseBodies.EpochSeconds(updated);
        }

        return new RestJsonResult(200, body);
    }

    private RestJsonResult UpdateGlobalSettings(AwsRequest request, RestJsonInput input)
    {
        // AWS documents that only the management account may change this; the exact refusal text is not published.
        if (request.AccountId != state.Organization.ManagementAccountId)
        {
            throw Error(400, "InvalidRequestException", "Only the management account of an organization can update the global settings of AWS Backup.");
        }

        if (input.Body is not { } body || !body.TryGetProperty("GlobalSettings", out var settings) || settings.ValueKind != JsonValueKind.Object)
        {
            throw Error(400, "MissingParameterValueException", "GlobalSettings is required.");
        }

        var enabled = state.Backup.GetGlobalSettings(request.Region).CrossAccountBackupEnabled;
        foreach (var setting in settings.EnumerateObject())
        {
            if (setting.Name != CrossAccountSetting || setting.Value.GetString() is not ("true" or "false"))
            {
                throw Error(400, "InvalidParameterValueException", $"Invalid value for global setting {setting.Name}: {setting.Value}. Supported: {CrossAccountSetting} = true | false.");
            }

            enabled = setting.Value.GetString() == "true";
        }

        state.Backup.SetGlobalSettings(request.Region, new BackupGlobalSettings(enabled, state.Clock.GetUtcNow()));
        return new RestJsonResult(200, null);
    }

    private RestJsonResult CreateBackupVault(AwsRequest request, RestJsonInput input)
    {
        var name = input.Path["backupVaultName"];
        if (!VaultNamePattern().IsMatch(name))
        {
            throw Error(400, "InvalidParameterValueException", $"1 validation error detected: Value '{name}' at 'backupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]{{2,50}}$");
        }

        var body = input.Body;
        var creatorRequestId = OptionalString(body, "CreatorRequestId");
        var vault = new BackupVault(
            name,
            $"arn:aws:backup:{request.Region}:{request.AccountId}:backup-vault:{name}",
            state.Clock.GetUtcNow(),
            OptionalString(body, "EncryptionKeyArn") ?? DefaultBackupKeyArn(request.AccountId, request.Region),
            creatorRequestId,
            body is { } json && json.TryGetProperty("BackupVaultTags", out var tags) && tags.ValueKind == JsonValueKind.Object
                ? tags.EnumerateObject().ToDictionary(tag => tag.Name, tag => tag.Value.GetString() ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>());
        var stored = state.Backup.AddVault(request.AccountId, request.Region, vault);
        if (!ReferenceEquals(stored, vault))
        {
            throw new AwsServiceException(400, "AlreadyExistsException", "Backup vault with the same name already exists")
            {
                JsonMessageMember = "Message",
                Fields = [new("Arn", stored.Arn), new("CreatorRequestId", creatorRequestId ?? "")],
            };
        }

        return new RestJsonResult(200, new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["CreationDate"] = ResponseBodies.EpochSeconds(vault.CreationDate),
        });
    }

    private RestJsonResult ListBackupVaults(AwsRequest request, RestJsonInput input)
    {
        var pageSize = MaxPageSize;
        if (input.Query["maxResults"].ToString() is { Length: > 0 } maxResults
            && (!int.TryParse(maxResults, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            throw Error(400, "InvalidParameterValueException", $"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MaxPageSize}");
        }

        var offset = 0;
        if (input.Query["nextToken"].ToString() is { Length: > 0 } nextToken && !PageTokens.TryRead("ListBackupVaults", nextToken, out offset))
        {
            throw Error(400, "InvalidParameterValueException", "The nextToken is not valid.");
        }

        var vaults = state.Backup.ListVaults(request.AccountId, request.Region);
        var body = new JsonObject
        {
            ["BackupVaultList"] = new JsonArray(vaults.Skip(offset).Take(pageSize).Select(vault => (JsonNode)Describe(vault)).ToArray()),
        };
        if (offset + pageSize < vaults.Count)
        {
            body["NextToken"] = PageTokens.Create("ListBackupVaults", offset + pageSize);
        }

        return new RestJsonResult(200, body);
    }

    private RestJsonResult DescribeBackupVault(AwsRequest request, RestJsonInput input)
    {
        var accountId = input.Query["backupVaultAccountId"].ToString() is { Length: > 0 } owner ? owner : request.AccountId;

        // Real AWS answers an unknown (or someone else's unshared) vault with 403, not the modelled ResourceNotFound.
        var vault = state.Backup.FindVault(accountId, request.Region, input.Path["backupVaultName"])
            ?? throw Error(403, "AccessDeniedException", "Insufficient privileges to perform this action.");
        return new RestJsonResult(200, Describe(vault));
    }

    private static JsonObject Describe(BackupVault vault)
    {
        var description = new JsonObject
        {
            ["BackupVaultName"] = vault.Name,
            ["BackupVaultArn"] = vault.Arn,
            ["VaultType"] = "BACKUP_VAULT",
            ["VaultState"] = "AVAILABLE",
            ["CreationDate"] = ResponseBodies.EpochSeconds(vault.CreationDate),
            ["EncryptionKeyArn"] = vault.EncryptionKeyArn,
            ["NumberOfRecoveryPoints"] = 0,
            ["Locked"] = false,
        };
        if (vault.CreatorRequestId is not null)
        {
            description["CreatorRequestId"] = vault.CreatorRequestId;
        }

        return description;
    }

    /// <summary>The ARN of the account's AWS managed key for Backup (aws/backup) in a region; stable per account and region.</summary>
    private static string DefaultBackupKeyArn(string accountId, string region)
    {
        var keyId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"aws/backup/{accountId}/{region}")).AsSpan(0, 16));
        return $"arn:aws:kms:{region}:{accountId}:key/{keyId}";
    }

    private static string? OptionalString(JsonElement? body, string member) =>
        body is { } json && json.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static AwsServiceException Error(int statusCode, string code, string message) =>
        new(statusCode, code, message) { JsonMessageMember = "Message" };

    [GeneratedRegex(@"^[a-zA-Z0-9_-]{2,50}$")]
    private static partial Regex VaultNamePattern();
}
