using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// AWS::S3::Bucket in LocalCloud's S3: Ref is the bucket name (BucketName or CloudFormation's generated lower-case
/// name); GetAtt Arn, DomainName, DualStackDomainName, RegionalDomainName, WebsiteURL. VersioningConfiguration,
/// ObjectLockEnabled/ObjectLockConfiguration, BucketEncryption, PublicAccessBlockConfiguration, LoggingConfiguration
/// and Tags are applied through the store and read back from it for drift. A non-empty bucket refuses deletion
/// with S3's BucketNotEmpty, worded as CloudFormation's S3 handler reports it.
/// </summary>
internal sealed class S3BucketProvisioner(S3Store store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "BucketName");
        store.CreateBucket(request.Stack.AccountId, request.Stack.Region, name, Flag(properties, "ObjectLockEnabled") == true);
        try
        {
            Configure(request, name, properties);
        }
        catch (AwsServiceException)
        {
            // CloudFormation's handler removes a bucket it could not configure, so a rollback leaves nothing behind.
            store.DeleteBucket(request.Stack.AccountId, name);
            throw;
        }

        var region = request.Stack.Region;
        return Provisioned(
            name,
            ("Arn", $"arn:{request.Stack.Partition}:s3:::{name}"),
            ("DomainName", $"{name}.s3.{request.Stack.UrlSuffix}"),
            ("DualStackDomainName", $"{name}.s3.dualstack.{region}.{request.Stack.UrlSuffix}"),
            ("RegionalDomainName", $"{name}.s3.{region}.{request.Stack.UrlSuffix}"),
            ("WebsiteURL", $"http://{name}.s3-website.{region}.{request.Stack.UrlSuffix}"));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Configure(request, current.PhysicalId, properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            store.DeleteBucket(request.Stack.AccountId, current.PhysicalId);
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchBucket")
        {
            // Already gone (deleted out of band): CloudFormation's delete succeeds.
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListBuckets(request.Stack.AccountId).Any(bucket => bucket.Name == current.PhysicalId);

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current)
    {
        if (!Exists(request, current))
        {
            return null;
        }

        return store.Read(request.Stack.AccountId, current.PhysicalId, bucket => ActualState(request, new Dictionary<string, JsonNode?>
        {
            ["VersioningConfiguration"] = bucket.Versioning is { } status ? new JsonObject { ["Status"] = status } : null,
            ["ObjectLockEnabled"] = bucket.ObjectLockEnabled,
            ["ObjectLockConfiguration"] = bucket.ObjectLockEnabled ? ObjectLockJson(bucket.DefaultRetention) : null,
            ["BucketEncryption"] = new JsonObject
            {
                ["ServerSideEncryptionConfiguration"] = new JsonArray([.. bucket.Encryption.Select(rule => (JsonNode)new JsonObject
                {
                    ["ServerSideEncryptionByDefault"] = rule.KmsMasterKeyId is null
                        ? new JsonObject { ["SSEAlgorithm"] = rule.Algorithm }
                        : new JsonObject { ["SSEAlgorithm"] = rule.Algorithm, ["KMSMasterKeyID"] = rule.KmsMasterKeyId },
                    ["BucketKeyEnabled"] = rule.BucketKeyEnabled,
                })]),
            },
            ["PublicAccessBlockConfiguration"] = bucket.PublicAccessBlock is { } block
                ? new JsonObject
                {
                    ["BlockPublicAcls"] = block.BlockPublicAcls,
                    ["IgnorePublicAcls"] = block.IgnorePublicAcls,
                    ["BlockPublicPolicy"] = block.BlockPublicPolicy,
                    ["RestrictPublicBuckets"] = block.RestrictPublicBuckets,
                }
                : null,
            ["LoggingConfiguration"] = bucket.Logging is { } logging
                ? new JsonObject { ["DestinationBucketName"] = logging.TargetBucket, ["LogFilePrefix"] = logging.TargetPrefix }
                : null,
            ["Tags"] = bucket.Tags is { } tags ? TagListJson(tags.Select(tag => KeyValuePair.Create(tag.Key, tag.Value))) : null,
        }));
    }

    /// <summary>
    /// S3 is one of the types whose CloudFormation handler relays the SDK's exception text:
    /// "The bucket you tried to delete is not empty (Service: Amazon S3; Status Code: 409; Error Code: BucketNotEmpty; ...)".
    /// </summary>
    protected override string FailureMessage(AwsServiceException error)
    {
        if (error.Code is "BucketAlreadyExists" or "BucketAlreadyOwnedByYou")
        {
            // The S3 handler checks the name first and reports a taken one briefly.
            return $"{error.Fields.First(field => field.Key == "BucketName").Value} already exists";
        }

        var requestId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return $"{error.Message} (Service: Amazon S3; Status Code: {error.StatusCode}; Error Code: {error.Code}; Request ID: {requestId}; S3 Extended Request ID: {Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestId)))}; Proxy: null)";
    }

    private static JsonObject ObjectLockJson(DefaultRetention? retention)
    {
        var configuration = new JsonObject { ["ObjectLockEnabled"] = "Enabled" };
        if (retention is not null)
        {
            var defaultRetention = new JsonObject { ["Mode"] = retention.Mode };
            if (retention.Days is { } days)
            {
                defaultRetention["Days"] = days;
            }

            if (retention.Years is { } years)
            {
                defaultRetention["Years"] = years;
            }

            configuration["Rule"] = new JsonObject { ["DefaultRetention"] = defaultRetention };
        }

        return configuration;
    }

    /// <summary>Applies the template's configuration as the matching S3 calls would, refusing as they do.</summary>
    private void Configure(ResourceRequest request, string name, JsonElement properties)
    {
        var accountId = request.Stack.AccountId;
        var versioning = properties.GetObjectOrNull("VersioningConfiguration")?.GetStringOrNull("Status");
        var objectLock = properties.GetObjectOrNull("ObjectLockConfiguration");
        var encryption = EncryptionRules(properties);
        var block = properties.GetObjectOrNull("PublicAccessBlockConfiguration") is { } blockJson
            ? new PublicAccessBlock(Flag(blockJson, "BlockPublicAcls") == true, Flag(blockJson, "IgnorePublicAcls") == true, Flag(blockJson, "BlockPublicPolicy") == true, Flag(blockJson, "RestrictPublicBuckets") == true)
            : null;
        var tags = properties.GetArrayOrEmpty("Tags").Select(tag => new S3Tag(tag.GetStringOrNull("Key") ?? "", tag.GetStringOrNull("Value") ?? "")).ToList();
        store.Update(accountId, name, bucket =>
        {
            if (versioning is not null)
            {
                if (bucket.ObjectLockEnabled && versioning != "Enabled")
                {
                    throw S3Errors.InvalidBucketState("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
                }

                bucket.Versioning = versioning;
            }
            else if (bucket.Versioning == "Enabled" && !bucket.ObjectLockEnabled)
            {
                // A template that no longer enables versioning suspends it (a bucket can never go back to unversioned).
                bucket.Versioning = "Suspended";
            }

            if (objectLock is { } configuration)
            {
                if (bucket.Versioning != "Enabled")
                {
                    throw S3Errors.InvalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
                }

                bucket.ObjectLockEnabled = true;
                bucket.DefaultRetention = configuration.GetObjectOrNull("Rule")?.GetObjectOrNull("DefaultRetention") is { } retention ? DefaultRetention(retention) : null;
            }

            bucket.Encryption = encryption;
            bucket.PublicAccessBlock = block;
            bucket.Tags = tags.Count > 0 ? tags : null;
        });
        var logging = properties.GetObjectOrNull("LoggingConfiguration") is { } loggingJson
            ? new AccessLogging(loggingJson.GetStringOrNull("DestinationBucketName") ?? name, loggingJson.GetStringOrNull("LogFilePrefix") ?? "")
            : null;
        store.SetLogging(accountId, name, logging);
    }

    private static IReadOnlyList<EncryptionRule> EncryptionRules(JsonElement properties)
    {
        var rules = properties.GetObjectOrNull("BucketEncryption")?.GetArrayOrEmpty("ServerSideEncryptionConfiguration") ?? [];
        if (rules.Count == 0)
        {
            return [EncryptionRule.Default];
        }

        return rules.Select(rule =>
        {
            var byDefault = rule.GetObjectOrNull("ServerSideEncryptionByDefault");
            var algorithm = byDefault?.GetStringOrNull("SSEAlgorithm");
            return EncryptionRule.IsAlgorithm(algorithm)
                ? new EncryptionRule(algorithm, byDefault?.GetStringOrNull("KMSMasterKeyID"), Flag(rule, "BucketKeyEnabled") == true)
                : throw S3Errors.MalformedXml();
        }).ToList();
    }

    private static DefaultRetention DefaultRetention(JsonElement retention)
    {
        var mode = retention.GetStringOrNull("Mode");
        var days = Number(retention, "Days");
        var years = Number(retention, "Years");
        if (mode is null || !RetentionModes.IsValid(mode) || (days is null) == (years is null))
        {
            throw S3Errors.MalformedXml();
        }

        if (days is <= 0 || years is <= 0)
        {
            throw S3Errors.InvalidArgument("Default retention period must be a positive integer value.");
        }

        return new DefaultRetention(mode, (int?)days, (int?)years);
    }
}

/// <summary>AWS::S3::BucketPolicy in LocalCloud's S3: Ref is the bucket's name; the policy is the bucket's policy.</summary>
internal sealed class S3BucketPolicyProvisioner(S3Store store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var bucket = properties.GetStringOrNull("Bucket") ?? "";
        Apply(request, bucket, properties);
        return Provisioned(bucket);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Apply(request, current.PhysicalId, properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            store.Update(request.Stack.AccountId, current.PhysicalId, bucket => bucket.Policy = null);
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchBucket")
        {
            // The bucket went first (out of band): so did its policy.
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => Policy(request, current) is not null;

    protected override JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        Policy(request, current) is { } policy
            ? ActualState(request, new Dictionary<string, JsonNode?>
            {
                ["PolicyDocument"] = request.Properties["PolicyDocument"] is JsonObject ? JsonNode.Parse(policy) : policy,
            })
            : null;

    private string? Policy(ResourceRequest request, ProvisionedResource current) =>
        store.ListBuckets(request.Stack.AccountId).Any(bucket => bucket.Name == current.PhysicalId)
            ? store.Read(request.Stack.AccountId, current.PhysicalId, bucket => bucket.Policy)
            : null;

    private void Apply(ResourceRequest request, string bucketName, JsonElement properties)
    {
        store.PutPolicy(request.Stack.AccountId, bucketName, PolicyDocument(properties, "PolicyDocument") ?? "");
    }
}
