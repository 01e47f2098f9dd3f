using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Kms;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>
/// Systems Manager Parameter Store (JSON 1.1, target prefix AmazonSSM): parameters with versions and labels,
/// SecureString through LocalCloud KMS, and AWS's public parameters (docs/localcloud-ssm.md).
/// </summary>
internal sealed class SsmService : JsonService
{
    private const string DefaultKeyAlias = "alias/aws/ssm";
    private readonly SsmStore store;
    private readonly KmsStore kms;
    private readonly TimeProvider clock;

    /// <summary>Keys the stand-in ciphertext of SecureString values; it never leaves the process.</summary>
    private readonly byte[] ciphertextKey = RandomNumberGenerator.GetBytes(32);

    public SsmService(SsmStore store, KmsStore kms, TimeProvider clock)
        : base("ssm", "AmazonSSM", "ThrottlingException")
    {
        this.store = store;
        this.kms = kms;
        this.clock = clock;
        AddOperation("PutParameter", mutating: true, PutParameter);
        AddOperation("GetParameter", mutating: false, GetParameter);
        AddOperation("GetParameters", mutating: false, GetParameters);
        AddOperation("GetParametersByPath", mutating: false, GetParametersByPath);
        AddOperation("GetParameterHistory", mutating: false, GetParameterHistory);
        AddOperation("DescribeParameters", mutating: false, DescribeParameters);
        AddOperation("LabelParameterVersion", mutating: true, LabelParameterVersion);
        AddOperation("DeleteParameter", mutating: true, DeleteParameter);
        AddOperation("DeleteParameters", mutating: true, DeleteParameters);
    }

    private JsonObject PutParameter(AwsRequest request, JsonElement input)
    {
        var name = Required(input, "Name");
        var value = Required(input, "Value");
        SsmRules.CheckNameToWrite(name);
        var overwrite = input.GetBooleanOrNull("Overwrite") ?? false;
        var tags = input.GetArrayOrEmpty("Tags").ToDictionary(tag => Required(tag, "Key"), tag => Required(tag, "Value"), StringComparer.Ordinal);
        if (overwrite && tags.Count > 0)
        {
            throw new AwsServiceException(400, "ValidationException", "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }

        var existing = store.Latest(request.AccountId, request.Region, name);
        var type = SsmRules.OneOf("type", input.GetStringOrNull("Type"), SsmRules.Types, existing?.Type ?? "")
            is { Length: > 0 } known ? known : throw new AwsServiceException(400, "ValidationException", "A parameter type is required when you create a parameter.");
        var tier = SsmRules.OneOf("tier", input.GetStringOrNull("Tier"), SsmRules.Tiers, existing?.Tier ?? "Standard") switch
        {
            // Intelligent-Tiering picks the cheapest tier the value fits.
            "Intelligent-Tiering" => value.Length > 4096 ? "Advanced" : "Standard",
            var chosen => chosen,
        };
        var dataType = SsmRules.OneOf("dataType", input.GetStringOrNull("DataType"), SsmRules.DataTypes, existing?.DataType ?? "text");
        var allowedPattern = input.GetStringOrNull("AllowedPattern") ?? existing?.AllowedPattern;
        SsmRules.CheckValue(name, value, type, tier, dataType, allowedPattern);
        string? keyId = null;
        if (type == "SecureString")
        {
            keyId = input.GetStringOrNull("KeyId") ?? (existing?.Type == "SecureString" ? existing.KeyId : null) ?? DefaultKeyAlias;
            UseKey(request, keyId, "kms:Encrypt");
        }
        else if (input.GetStringOrNull("KeyId") is not null)
        {
            throw new AwsServiceException(400, "ValidationException", "KeyId is required for SecureString type parameter only.");
        }

        var version = store.Put(
            request.AccountId,
            request.Region,
            new SsmParameterVersion(name, type, value, 0, clock.GetUtcNow(), request.Caller.Arn, input.GetStringOrNull("Description"), keyId, allowedPattern, tier, dataType),
            overwrite,
            tags);
        return new JsonObject { ["Version"] = version.Version, ["Tier"] = version.Tier };
    }

    private JsonObject GetParameter(AwsRequest request, JsonElement input)
    {
        var reference = Required(input, "Name");
        var selection = store.Select(request.AccountId, request.Region, reference) ?? throw NotFound();
        return new JsonObject { ["Parameter"] = Parameter(request, selection, input.GetBooleanOrNull("WithDecryption") ?? false) };
    }

    private JsonObject GetParameters(AwsRequest request, JsonElement input)
    {
        var names = input.GetStringsOrEmpty("Names");
        CheckCount("names", names.Count, 10);
        var decrypt = input.GetBooleanOrNull("WithDecryption") ?? false;
        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var reference in names.Distinct(StringComparer.Ordinal))
        {
            var selection = TrySelect(request, reference);
            if (selection is null)
            {
                invalid.Add(reference);
            }
            else
            {
                found.Add(Parameter(request, selection, decrypt));
            }
        }

        return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
    }

    private JsonObject GetParametersByPath(AwsRequest request, JsonElement input)
    {
        var path = Required(input, "Path");
        if (!path.StartsWith('/'))
        {
            throw new AwsServiceException(400, "ValidationException", $"The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". Path: {path}");
        }

        var recursive = input.GetBooleanOrNull("Recursive") ?? false;
        var filters = SsmFilters.Read(input, "ParameterFilters", ["Type", "KeyId", "Label"]);
        var prefix = path.EndsWith('/') ? path : path + "/";
        var candidates = SsmPublicParameters.IsPublic(prefix)
            ? SsmPublicParameters.In(request.Region).Values.Select(published => new SsmListing(published, [], new Dictionary<string, string>()))
            : store.List(request.AccountId, request.Region);
        var matching = candidates
            .Where(listing => listing.Latest.Name.StartsWith(prefix, StringComparison.Ordinal)
                && (recursive || !listing.Latest.Name[prefix.Length..].Contains('/', StringComparison.Ordinal))
                && filters.All(filter => filter.Matches(listing)))
            .OrderBy(listing => listing.Latest.Name, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Page(input, "GetParametersByPath", matching, 10);
        var decrypt = input.GetBooleanOrNull("WithDecryption") ?? false;
        var output = new JsonObject
        {
            ["Parameters"] = new JsonArray(page.Select(listing => (JsonNode)Parameter(request, new SsmSelection(listing.Latest, SsmStore.Arn(request.AccountId, request.Region, listing.Latest.Name), null), decrypt)).ToArray()),
        };
        return WithNextToken(output, next);
    }

    private JsonObject GetParameterHistory(AwsRequest request, JsonElement input)
    {
        var name = Required(input, "Name");
        var history = store.History(request.AccountId, request.Region, name) ?? throw NotFound();
        var decrypt = input.GetBooleanOrNull("WithDecryption") ?? false;
        var (page, next) = Page(input, "GetParameterHistory", history, 50);
        var output = new JsonObject
        {
            ["Parameters"] = new JsonArray(page.Select(entry =>
            {
                var node = Metadata(entry.Version);
                node["Value"] = Value(request, entry.Version, decrypt);
                node["Labels"] = new JsonArray(entry.Labels.Select(label => (JsonNode)label).ToArray());
                return (JsonNode)node;
            }).ToArray()),
        };
        return WithNextToken(output, next);
    }

    private JsonObject DescribeParameters(AwsRequest request, JsonElement input)
    {
        var filters = SsmFilters.Read(input, "ParameterFilters", ["Name", "Type", "KeyId", "Path", "Tier", "DataType"], allowTags: true)
            .Concat(SsmFilters.ReadLegacy(input))
            .ToList();
        var matching = store.List(request.AccountId, request.Region).Where(listing => filters.All(filter => filter.Matches(listing))).ToList();
        var (page, next) = Page(input, "DescribeParameters", matching, 50);
        var output = new JsonObject
        {
            ["Parameters"] = new JsonArray(page.Select(listing =>
            {
                var node = Metadata(listing.Latest);
                node["ARN"] = SsmStore.Arn(request.AccountId, request.Region, listing.Latest.Name);
                return (JsonNode)node;
            }).ToArray()),
        };
        return WithNextToken(output, next);
    }

    private JsonObject LabelParameterVersion(AwsRequest request, JsonElement input)
    {
        var name = Required(input, "Name");
        var labels = input.GetStringsOrEmpty("Labels");
        CheckCount("labels", labels.Count, 10);
        var valid = labels.Where(SsmRules.IsValidLabel).ToList();
        var version = store.Label(request.AccountId, request.Region, name, input.GetInt64OrNull("ParameterVersion"), valid) ?? throw NotFound();
        return new JsonObject
        {
            ["InvalidLabels"] = new JsonArray(labels.Except(valid, StringComparer.Ordinal).Select(label => (JsonNode)label).ToArray()),
            ["ParameterVersion"] = version,
        };
    }

    private JsonObject DeleteParameter(AwsRequest request, JsonElement input)
    {
        var name = Required(input, "Name");
        return store.Delete(request.AccountId, request.Region, name) ? [] : throw NotFound();
    }

    private JsonObject DeleteParameters(AwsRequest request, JsonElement input)
    {
        var names = input.GetStringsOrEmpty("Names");
        CheckCount("names", names.Count, 10);
        var deleted = names.Distinct(StringComparer.Ordinal).Where(name => store.Delete(request.AccountId, request.Region, name)).ToList();
        return new JsonObject
        {
            ["DeletedParameters"] = new JsonArray(deleted.Select(name => (JsonNode)name).ToArray()),
            ["InvalidParameters"] = new JsonArray(names.Distinct(StringComparer.Ordinal).Except(deleted, StringComparer.Ordinal).Select(name => (JsonNode)name).ToArray()),
        };
    }

    private SsmSelection? TrySelect(AwsRequest request, string reference)
    {
        try
        {
            return store.Select(request.AccountId, request.Region, reference);
        }
        catch (AwsServiceException error) when (error.Code == "ParameterVersionNotFound")
        {
            return null;
        }
    }

    private JsonObject Parameter(AwsRequest request, SsmSelection selection, bool decrypt)
    {
        var parameter = selection.Parameter;
        var node = new JsonObject
        {
            ["Name"] = parameter.Name,
            ["Type"] = parameter.Type,
            ["Value"] = Value(request, parameter, decrypt),
            ["Version"] = parameter.Version,
        };
        if (selection.Selector is not null)
        {
            node["Selector"] = selection.Selector;
        }

        node["LastModifiedDate"] = ResponseBodies.EpochSeconds(parameter.LastModifiedDate);
        node["ARN"] = selection.Arn;
        node["DataType"] = parameter.DataType;
        return node;
    }

    /// <summary>A SecureString's value is its ciphertext unless decryption is asked for and the key allows it.</summary>
    private string Value(AwsRequest request, SsmParameterVersion parameter, bool decrypt)
    {
        if (parameter.Type != "SecureString")
        {
            return parameter.Value;
        }

        if (decrypt)
        {
            UseKey(request, parameter.KeyId ?? DefaultKeyAlias, "kms:Decrypt");
            return parameter.Value;
        }

        var blob = HMACSHA256.HashData(ciphertextKey, Encoding.UTF8.GetBytes($"{parameter.Name}\n{parameter.Version}\n{parameter.Value}"));
        return Convert.ToBase64String([.. Encoding.UTF8.GetBytes(parameter.KeyId ?? DefaultKeyAlias), .. blob]);
    }

    /// <summary>Checks the caller may use the key through SSM; an unknown key is SSM's InvalidKeyId.</summary>
    private void UseKey(AwsRequest request, string keyId, string action)
    {
        try
        {
            kms.Authorize(request.Caller, request.Region, keyId, action, AwsManagedKeyService.Ssm.ViaService(request.Region));
        }
        catch (AwsServiceException error) when (error.Code == "NotFoundException")
        {
            throw new AwsServiceException(400, "InvalidKeyId", $"Invalid keyId {keyId}");
        }
    }

    private static JsonObject Metadata(SsmParameterVersion parameter)
    {
        var node = new JsonObject
        {
            ["Name"] = parameter.Name,
            ["Type"] = parameter.Type,
            ["LastModifiedDate"] = ResponseBodies.EpochSeconds(parameter.LastModifiedDate),
            ["LastModifiedUser"] = parameter.LastModifiedUser,
            ["Version"] = parameter.Version,
            ["Tier"] = parameter.Tier,
            ["Policies"] = new JsonArray(),
            ["DataType"] = parameter.DataType,
        };
        AddIfPresent(node, "KeyId", parameter.KeyId);
        AddIfPresent(node, "Description", parameter.Description);
        AddIfPresent(node, "AllowedPattern", parameter.AllowedPattern);
        return node;
    }

    private static void AddIfPresent(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }

    private static (IReadOnlyList<T> Page, string? Next) Page<T>(JsonElement input, string operation, IReadOnlyList<T> items, int maximum)
    {
        var size = input.GetInt64OrNull("MaxResults") ?? maximum;
        if (size < 1 || size > maximum)
        {
            throw AwsServiceException.Validation("ValidationException", [$"Value '{size}' at 'maxResults' failed to satisfy constraint: Member must have value {(size < 1 ? "greater than or equal to 1" : $"less than or equal to {maximum}")}"]);
        }

        return PageTokens.Page(items, operation, input.GetStringOrNull("NextToken"), (int)size, () => new AwsServiceException(400, "InvalidNextToken", "The specified token isn't valid."));
    }

    private static JsonObject WithNextToken(JsonObject output, string? next)
    {
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return output;
    }

    private static void CheckCount(string member, int count, int maximum)
    {
        if (count is < 1 || count > maximum)
        {
            throw AwsServiceException.Validation("ValidationException", [$"Value at '{member}' failed to satisfy constraint: Member must have length {(count < 1 ? "greater than or equal to 1" : $"less than or equal to {maximum}")}"]);
        }
    }

    /// <summary>Parameter Store answers ParameterNotFound with no message.</summary>
    private static AwsServiceException NotFound() => new(400, "ParameterNotFound", "");

    private static string Required(JsonElement input, string name) =>
        input.GetStringOrNull(name)
        ?? throw AwsServiceException.Validation("ValidationException", [$"Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null"]);
}
