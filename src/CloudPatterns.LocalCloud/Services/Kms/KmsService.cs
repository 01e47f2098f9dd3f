using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>KMS (JSON 1.1, target prefix TrentService): keys, key policies, aliases, rotation, and asymmetric signing
/// keys (Sign, Verify, GetPublicKey: KmsSigning.cs).</summary>
internal sealed partial class KmsService : JsonService
{
    private const int DefaultRotationPeriodInDays = 365;
    private readonly KmsStore store;
    private readonly TimeProvider clock;

    public KmsService(KmsStore store, TimeProvider clock)
        : base("kms", "TrentService", "ThrottlingException")
    {
        this.store = store;
        this.clock = clock;
        AddOperation("CreateKey", mutating: true, CreateKey);
        AddOperation("DescribeKey", mutating: false, (request, input) => new JsonObject { ["KeyMetadata"] = Metadata(Authorize(request, input, "kms:DescribeKey")) });
        AddOperation("GetKeyPolicy", mutating: false, GetKeyPolicy);
        AddOperation("PutKeyPolicy", mutating: true, PutKeyPolicy);
        AddOperation("CreateAlias", mutating: true, CreateAlias);
        AddOperation("ListAliases", mutating: false, ListAliases);
        AddOperation("EnableKeyRotation", mutating: true, EnableKeyRotation);
        AddOperation("GetKeyRotationStatus", mutating: false, GetKeyRotationStatus);
        AddOperation("EnableKey", mutating: true, (request, input) => SetEnabled(request, input, "kms:EnableKey", true));
        AddOperation("DisableKey", mutating: true, (request, input) => SetEnabled(request, input, "kms:DisableKey", false));
        AddSigningOperations();
    }

    private JsonObject CreateKey(AwsRequest request, JsonElement input)
    {
        var tags = input.GetArrayOrEmpty("Tags")
            .ToDictionary(tag => RequiredString(tag, "TagKey"), tag => RequiredString(tag, "TagValue"), StringComparer.Ordinal);
        // CustomerMasterKeySpec is KeySpec's deprecated name; KMS takes either.
        var keySpec = OptionalString(input, "KeySpec") ?? OptionalString(input, "CustomerMasterKeySpec");
        var key = store.CreateKey(request.AccountId, request.Region, OptionalString(input, "Description") ?? "", OptionalString(input, "Policy"), tags, clock.GetUtcNow(), keySpec, OptionalString(input, "KeyUsage"));
        return new JsonObject { ["KeyMetadata"] = Metadata(key) };
    }

    private JsonObject SetEnabled(AwsRequest request, JsonElement input, string action, bool enabled)
    {
        var key = Authorize(request, input, action);
        if (key.AwsManaged)
        {
            throw new AwsServiceException(400, "UnsupportedOperationException", $"{key.Arn} is an AWS managed key; it cannot be enabled or disabled.");
        }

        store.SetEnabled(key, enabled);
        return [];
    }

    private JsonObject GetKeyPolicy(AwsRequest request, JsonElement input)
    {
        var key = Authorize(request, input, "kms:GetKeyPolicy");
        return new JsonObject { ["Policy"] = store.GetPolicy(key), ["PolicyName"] = PolicyName(input) };
    }

    private JsonObject PutKeyPolicy(AwsRequest request, JsonElement input)
    {
        var key = Authorize(request, input, "kms:PutKeyPolicy");
        PolicyName(input);
        store.PutPolicy(key, RequiredString(input, "Policy"));
        return [];
    }

    private JsonObject CreateAlias(AwsRequest request, JsonElement input)
    {
        var aliasName = RequiredString(input, "AliasName");
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal) || aliasName.StartsWith("alias/aws/", StringComparison.Ordinal))
        {
            // AWS reserves alias/aws/ for AWS-managed keys.
            throw new AwsServiceException(400, "ValidationException", $"Alias must start with the prefix \"alias/\" and must not begin with \"alias/aws/\": {aliasName}");
        }

        var target = store.Authorize(request.Caller, request.Region, RequiredString(input, "TargetKeyId"), "kms:CreateAlias");
        store.CreateAlias(request.AccountId, request.Region, aliasName, target, clock.GetUtcNow());
        return [];
    }

    private JsonObject ListAliases(AwsRequest request, JsonElement input)
    {
        // The aws/backup alias exists in every account and region that uses Backup; list it like AWS does.
        store.BackupManagedKey(request.AccountId, request.Region);
        var target = OptionalString(input, "KeyId") is { } keyId ? store.Authorize(request.Caller, request.Region, keyId, "kms:ListAliases") : null;
        var aliases = store.ListAliases(request.AccountId, request.Region, target);
        var start = OptionalString(input, "Marker") is { } marker && int.TryParse(marker, out var offset) ? offset : 0;
        var limit = (int)(input.GetInt64OrNull("Limit") ?? 100);
        var page = aliases.Skip(start).Take(limit).ToList();
        var truncated = start + page.Count < aliases.Count;
        var output = new JsonObject
        {
            ["Aliases"] = new JsonArray(page.Select(alias => (JsonNode)new JsonObject
            {
                ["AliasName"] = alias.AliasName,
                ["AliasArn"] = alias.AliasArn,
                ["TargetKeyId"] = alias.TargetKeyId,
                ["CreationDate"] = ResponseBodies.EpochSeconds(alias.CreationDate),
                ["LastUpdatedDate"] = ResponseBodies.EpochSeconds(alias.CreationDate),
            }).ToArray()),
            ["Truncated"] = truncated,
        };
        if (truncated)
        {
            output["NextMarker"] = (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return output;
    }

    private JsonObject EnableKeyRotation(AwsRequest request, JsonElement input)
    {
        var key = Authorize(request, input, "kms:EnableKeyRotation");
        var period = (int)(input.GetInt64OrNull("RotationPeriodInDays") ?? DefaultRotationPeriodInDays);
        if (period is < 90 or > 2560)
        {
            throw new AwsServiceException(400, "ValidationException", $"1 validation error detected: Value '{period}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560");
        }

        if (key.AwsManaged)
        {
            throw new AwsServiceException(400, "UnsupportedOperationException", $"{key.Arn} is an AWS managed key; AWS rotates it every year and its rotation cannot be changed.");
        }

        if (key.KeySpec.Asymmetric)
        {
            // Automatic rotation exists only for symmetric encryption keys.
            throw new AwsServiceException(400, "UnsupportedOperationException", $"{key.Arn} has key spec {key.KeySpec.Name}; automatic key rotation is supported only for symmetric encryption KMS keys.");
        }

        store.EnableRotation(key, period, clock.GetUtcNow());
        return [];
    }

    private JsonObject GetKeyRotationStatus(AwsRequest request, JsonElement input)
    {
        var key = Authorize(request, input, "kms:GetKeyRotationStatus");
        var (period, enabledDate) = store.RotationStatus(key);
        var output = new JsonObject { ["KeyRotationEnabled"] = period is not null, ["KeyId"] = key.Arn };
        if (period is { } days && enabledDate is { } since)
        {
            output["RotationPeriodInDays"] = days;
            output["NextRotationDate"] = ResponseBodies.EpochSeconds(NextRotation(since, days, clock.GetUtcNow()));
        }

        return output;
    }

    private KmsKey Authorize(AwsRequest request, JsonElement input, string action) =>
        store.Authorize(request.Caller, request.Region, RequiredString(input, "KeyId"), action);

    private static DateTimeOffset NextRotation(DateTimeOffset since, int periodInDays, DateTimeOffset now)
    {
        var periods = Math.Floor((now - since).TotalDays / periodInDays) + 1;
        return since.AddDays(periods * periodInDays);
    }

    private static JsonObject Metadata(KmsKey key)
    {
        var metadata = new JsonObject
        {
            ["AWSAccountId"] = key.AccountId,
            ["KeyId"] = key.KeyId,
            ["Arn"] = key.Arn,
            ["CreationDate"] = ResponseBodies.EpochSeconds(key.CreationDate),
            ["Enabled"] = key.Enabled,
            ["Description"] = key.Description,
            ["KeyUsage"] = key.KeyUsage,
            ["KeyState"] = key.Enabled ? "Enabled" : "Disabled",
            ["Origin"] = "AWS_KMS",
            ["KeyManager"] = key.AwsManaged ? "AWS" : "CUSTOMER",
            ["CustomerMasterKeySpec"] = key.KeySpec.Name,
            ["KeySpec"] = key.KeySpec.Name,
            ["MultiRegion"] = false,
        };
        AddAlgorithms(metadata, key);
        return metadata;
    }

    /// <summary>SigningAlgorithms for a signing key, EncryptionAlgorithms for an encryption key (DescribeKey, GetPublicKey).</summary>
    private static void AddAlgorithms(JsonObject output, KmsKey key)
    {
        var (name, algorithms) = key.KeyUsage == KmsKeySpec.SignVerify
            ? ("SigningAlgorithms", key.KeySpec.SigningAlgorithms)
            : ("EncryptionAlgorithms", key.KeySpec.EncryptionAlgorithms);
        output[name] = new JsonArray(algorithms.Select(algorithm => (JsonNode)algorithm).ToArray());
    }

    /// <summary>KMS keys have one policy, named "default".</summary>
    private static string PolicyName(JsonElement input) => OptionalString(input, "PolicyName") switch
    {
        null or "default" => "default",
        var other => throw new AwsServiceException(400, "NotFoundException", $"Policy {other} does not exist"),
    };

    private static string? OptionalString(JsonElement input, string name) => input.GetStringOrNull(name);

    private static string RequiredString(JsonElement input, string name) =>
        input.GetStringOrNull(name)
        ?? throw new AwsServiceException(400, "ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");
}
