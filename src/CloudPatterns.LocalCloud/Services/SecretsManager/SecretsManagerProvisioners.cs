using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.SecretsManager;

/// <summary>
/// AWS::SecretsManager::Secret in LocalCloud's Secrets Manager: Ref is the ARN; SecretString or a generated one
/// (GenerateSecretString: PasswordLength, ExcludeCharacters, ExcludePunctuation, ExcludeNumbers, ExcludeLowercase,
/// ExcludeUppercase, IncludeSpace, SecretStringTemplate with GenerateStringKey).
/// </summary>
internal sealed class SecretsManagerSecretProvisioner(SecretStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "Name");
        var tags = TagList(properties).ToList();
        var secret = store.Create(request.Stack.AccountId, request.Stack.Region, name, properties.GetStringOrNull("Description"), properties.GetStringOrNull("KmsKeyId"), tags, Value(properties), Now);
        return Provisioned(secret.Arn, ("Id", secret.Arn));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        if (properties.GetStringOrNull("SecretString") is not null)
        {
            store.Put(Secret(request, current), Value(properties)!, [SecretStore.Current], Now);
        }

        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) =>
        store.ScheduleDeletion(Secret(request, current), Now, now: true);

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            Secret(request, current);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }

    private Secret Secret(ResourceRequest request, ProvisionedResource current) => store.Find(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    private SecretVersion? Value(JsonElement properties)
    {
        if (properties.GetStringOrNull("SecretString") is { } text)
        {
            return new SecretVersion(Guid.NewGuid().ToString(), text, null, Now);
        }

        var generate = properties.GetObjectOrNull("GenerateSecretString") ?? JsonDocument.Parse("{}").RootElement;
        var password = Password(generate);
        var value = generate.GetStringOrNull("SecretStringTemplate") is { } template && generate.GetStringOrNull("GenerateStringKey") is { } key
            ? AddKey(template, key, password)
            : password;
        return new SecretVersion(Guid.NewGuid().ToString(), value, null, Now);
    }

    private static string AddKey(string template, string key, string password)
    {
        var fields = JsonNode.Parse(template) as JsonObject ?? [];
        fields[key] = password;
        return fields.ToJsonString();
    }

    /// <summary>A random password as GetRandomPassword makes it: 32 characters by default, from the classes not excluded.</summary>
    private static string Password(JsonElement options)
    {
        bool Excluded(string option) => options.GetBooleanOrNull(option) ?? false;
        var excluded = options.GetStringOrNull("ExcludeCharacters") ?? "";
        var alphabet = string.Concat(
                Excluded("ExcludeLowercase") ? "" : "abcdefghijklmnopqrstuvwxyz",
                Excluded("ExcludeUppercase") ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                Excluded("ExcludeNumbers") ? "" : "0123456789",
                Excluded("ExcludePunctuation") ? "" : Punctuation,
                options.GetBooleanOrNull("IncludeSpace") ?? false ? " " : "")
            .Where(character => !excluded.Contains(character, StringComparison.Ordinal))
            .ToArray();
        var length = (int)(options.GetInt64OrNull("PasswordLength") ?? 32);
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
