using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.SecretsManager;

/// <summary>
/// A minimal Secrets Manager (JSON 1.1, target prefix secretsmanager): CreateSecret, GetSecretValue, PutSecretValue,
/// DescribeSecret, DeleteSecret; what CloudFormation's secretsmanager dynamic references read. No rotation, replication
/// or resource policies; values are never logged or persisted.
/// </summary>
internal sealed class SecretsManagerService : JsonService
{
    private readonly SecretStore store;
    private readonly TimeProvider clock;

    public SecretsManagerService(SecretStore store, TimeProvider clock)
        : base("secretsmanager", "secretsmanager", "ThrottlingException")
    {
        this.store = store;
        this.clock = clock;
        AddOperation("CreateSecret", mutating: true, CreateSecret);
        AddOperation("GetSecretValue", mutating: false, GetSecretValue);
        AddOperation("PutSecretValue", mutating: true, PutSecretValue);
        AddOperation("DescribeSecret", mutating: false, DescribeSecret);
        AddOperation("DeleteSecret", mutating: true, DeleteSecret);
    }

    private JsonObject CreateSecret(AwsRequest request, JsonElement input)
    {
        var name = Required(input, "Name");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "name", name, 1, 512, null);
        ModelConstraints.ThrowIfAny(violations, "InvalidParameterException");
        var tags = input.GetArrayOrEmpty("Tags").Select(tag => KeyValuePair.Create(tag.GetStringOrNull("Key") ?? "", tag.GetStringOrNull("Value") ?? "")).ToList();
        var first = NewVersion(input);
        var secret = store.Create(request.AccountId, request.Region, name, input.GetStringOrNull("Description"), input.GetStringOrNull("KmsKeyId"), tags, first, clock.GetUtcNow());
        var output = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (first is not null)
        {
            output["VersionId"] = first.VersionId;
        }

        return output;
    }

    private JsonObject GetSecretValue(AwsRequest request, JsonElement input)
    {
        var secret = store.Find(request.AccountId, request.Region, Required(input, "SecretId"));
        var version = store.Version(secret, input.GetStringOrNull("VersionId"), input.GetStringOrNull("VersionStage"));
        var output = new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = version.VersionId,
            ["VersionStages"] = new JsonArray(store.VersionStages(secret)[version.VersionId].Select(stage => (JsonNode)stage).ToArray()),
            ["CreatedDate"] = ResponseBodies.EpochSeconds(version.Created),
        };
        if (version.SecretString is not null)
        {
            output["SecretString"] = version.SecretString;
        }

        if (version.SecretBinary is not null)
        {
            output["SecretBinary"] = Convert.ToBase64String(version.SecretBinary);
        }

        return output;
    }

    private JsonObject PutSecretValue(AwsRequest request, JsonElement input)
    {
        var secret = store.Find(request.AccountId, request.Region, Required(input, "SecretId"));
        var version = NewVersion(input)
            ?? throw new AwsServiceException(400, "InvalidRequestException", "You must provide either SecretString or SecretBinary.") { JsonMessageMember = "Message" };
        var stages = input.GetStringsOrEmpty("VersionStages") is { Count: > 0 } given ? given : [SecretStore.Current];
        var stored = store.Put(secret, version, stages, clock.GetUtcNow());
        return new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = stored.VersionId,
            ["VersionStages"] = new JsonArray(store.VersionStages(secret).GetValueOrDefault(stored.VersionId, []).Select(stage => (JsonNode)stage).ToArray()),
        };
    }

    private JsonObject DescribeSecret(AwsRequest request, JsonElement input)
    {
        var secret = store.Find(request.AccountId, request.Region, Required(input, "SecretId"), allowDeleted: true);
        var output = new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["LastChangedDate"] = ResponseBodies.EpochSeconds(secret.LastChanged),
            ["CreatedDate"] = ResponseBodies.EpochSeconds(secret.Created),
            ["Tags"] = new JsonArray(secret.Tags.Select(tag => (JsonNode)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value }).ToArray()),
            ["VersionIdsToStages"] = new JsonObject(store.VersionStages(secret).Select(pair =>
                KeyValuePair.Create(pair.Key, (JsonNode?)new JsonArray(pair.Value.Select(stage => (JsonNode)stage).ToArray())))),
        };
        if (secret.Description is not null)
        {
            output["Description"] = secret.Description;
        }

        if (secret.KmsKeyId is not null)
        {
            output["KmsKeyId"] = secret.KmsKeyId;
        }

        if (secret.DeletionDate is { } deleted)
        {
            output["DeletedDate"] = ResponseBodies.EpochSeconds(deleted);
        }

        return output;
    }

    private JsonObject DeleteSecret(AwsRequest request, JsonElement input)
    {
        var secret = store.Find(request.AccountId, request.Region, Required(input, "SecretId"));
        var force = input.GetBooleanOrNull("ForceDeleteWithoutRecovery") ?? false;
        var window = input.GetInt64OrNull("RecoveryWindowInDays");
        if (force && window is not null)
        {
            throw new AwsServiceException(400, "InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.") { JsonMessageMember = "Message" };
        }

        if (window is < 7 or > 30)
        {
            throw new AwsServiceException(400, "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).") { JsonMessageMember = "Message" };
        }

        var now = clock.GetUtcNow();
        var deletionDate = force ? now : now.AddDays(window ?? 30);
        store.ScheduleDeletion(secret, deletionDate, force);
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["DeletionDate"] = ResponseBodies.EpochSeconds(deletionDate) };
    }

    /// <summary>The version a request's SecretString/SecretBinary makes (ClientRequestToken its id), or null without a value.</summary>
    private SecretVersion? NewVersion(JsonElement input)
    {
        var text = input.GetStringOrNull("SecretString");
        var binary = input.GetStringOrNull("SecretBinary") is { } encoded ? Convert.FromBase64String(encoded) : null;
        if (text is not null && binary is not null)
        {
            throw new AwsServiceException(400, "InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.") { JsonMessageMember = "Message" };
        }

        return text is null && binary is null
            ? null
            : new SecretVersion(input.GetStringOrNull("ClientRequestToken") ?? Guid.NewGuid().ToString(), text, binary, clock.GetUtcNow());
    }

    private static string Required(JsonElement input, string name) =>
        input.GetStringOrNull(name)
        ?? throw new AwsServiceException(400, "InvalidParameterException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null") { JsonMessageMember = "Message" };
}
