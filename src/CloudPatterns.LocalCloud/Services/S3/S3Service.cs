using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using Microsoft.AspNetCore.Http.Features;
using static CloudPatterns.LocalCloud.Services.S3.S3Xml;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// Amazon S3 (REST-XML, 2006-03-01), path-style: buckets with versioning, Object Lock, policies, public access
/// block, default encryption and tags; objects with versions, delete markers and integrity checks.
/// The routing table below is also what the operations table in docs/localcloud-operations.md lists.
/// </summary>
internal sealed partial class S3Service : IAwsService
{
    /// <summary>S3 sub-resources (query keys that select an operation); a plain object or bucket route never matches them.</summary>
    private static readonly HashSet<string> SubResources = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering", "inventory",
        "legal-hold", "lifecycle", "list-type", "location", "logging", "metrics", "notification", "object-lock",
        "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "restore",
        "retention", "select", "tagging", "torrent", "uploadId", "uploads", "versioning", "versions", "website",
    };

    private readonly S3Store store;
    private readonly S3Route[] routes;

    public S3Service(S3Store store)
    {
        this.store = store;
        routes =
        [
            new("ListBuckets", "GET", S3Target.Service, null, ListBuckets),
            new("CreateBucket", "PUT", S3Target.Bucket, null, CreateBucket),
            new("HeadBucket", "HEAD", S3Target.Bucket, null, HeadBucket),
            new("DeleteBucket", "DELETE", S3Target.Bucket, null, DeleteBucket),
            new("GetBucketLocation", "GET", S3Target.Bucket, "location", GetBucketLocation),
            new("PutBucketVersioning", "PUT", S3Target.Bucket, "versioning", PutBucketVersioning, ChecksumRequired: true),
            new("GetBucketVersioning", "GET", S3Target.Bucket, "versioning", GetBucketVersioning),
            new("PutObjectLockConfiguration", "PUT", S3Target.Bucket, "object-lock", PutObjectLockConfiguration, ChecksumRequired: true),
            new("GetObjectLockConfiguration", "GET", S3Target.Bucket, "object-lock", GetObjectLockConfiguration),
            new("PutBucketPolicy", "PUT", S3Target.Bucket, "policy", PutBucketPolicy, ChecksumRequired: true),
            new("GetBucketPolicy", "GET", S3Target.Bucket, "policy", GetBucketPolicy),
            new("DeleteBucketPolicy", "DELETE", S3Target.Bucket, "policy", call => ClearConfiguration(call, bucket => bucket.Policy = null)),
            new("PutPublicAccessBlock", "PUT", S3Target.Bucket, "publicAccessBlock", PutPublicAccessBlock, ChecksumRequired: true),
            new("GetPublicAccessBlock", "GET", S3Target.Bucket, "publicAccessBlock", GetPublicAccessBlock),
            new("DeletePublicAccessBlock", "DELETE", S3Target.Bucket, "publicAccessBlock", call => ClearConfiguration(call, bucket => bucket.PublicAccessBlock = null)),
            new("PutBucketEncryption", "PUT", S3Target.Bucket, "encryption", PutBucketEncryption, ChecksumRequired: true),
            new("GetBucketEncryption", "GET", S3Target.Bucket, "encryption", GetBucketEncryption),
            new("PutBucketLogging", "PUT", S3Target.Bucket, "logging", PutBucketLogging, ChecksumRequired: true),
            new("GetBucketLogging", "GET", S3Target.Bucket, "logging", GetBucketLogging),
            new("PutBucketTagging", "PUT", S3Target.Bucket, "tagging", PutBucketTagging, ChecksumRequired: true),
            new("GetBucketTagging", "GET", S3Target.Bucket, "tagging", GetBucketTagging),
            new("DeleteBucketTagging", "DELETE", S3Target.Bucket, "tagging", call => ClearConfiguration(call, bucket => bucket.Tags = null)),
            new("ListObjectsV2", "GET", S3Target.Bucket, "list-type", ListObjectsV2),
            new("ListObjectVersions", "GET", S3Target.Bucket, "versions", ListObjectVersions),
            new("DeleteObjects", "POST", S3Target.Bucket, "delete", DeleteObjects, ChecksumRequired: true),
            new("CopyObject", "PUT", S3Target.Object, null, CopyObject, Header: "x-amz-copy-source"),
            new("PutObject", "PUT", S3Target.Object, null, PutObject),
            new("GetObject", "GET", S3Target.Object, null, call => GetObject(call, includeBody: true)),
            new("HeadObject", "HEAD", S3Target.Object, null, call => GetObject(call, includeBody: false)),
            new("DeleteObject", "DELETE", S3Target.Object, null, DeleteObject),
            new("PutObjectRetention", "PUT", S3Target.Object, "retention", PutObjectRetention, ChecksumRequired: true),
            new("GetObjectRetention", "GET", S3Target.Object, "retention", GetObjectRetention),
            new("PutObjectLegalHold", "PUT", S3Target.Object, "legal-hold", PutObjectLegalHold, ChecksumRequired: true),
            new("GetObjectLegalHold", "GET", S3Target.Object, "legal-hold", GetObjectLegalHold),
        ];
    }

    public string SigningName => "s3";

    public AwsProtocol Protocol => AwsProtocol.RestXml;

    public string ThrottlingErrorCode => "SlowDown";

    public IReadOnlyCollection<string> OperationNames => routes.Select(route => route.Operation).ToList();

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var (bucket, key) = SplitPath(http);
        var target = bucket.Length == 0 ? S3Target.Service : key.Length == 0 ? S3Target.Bucket : S3Target.Object;
        var query = http.Request.Query;
        var route = routes.FirstOrDefault(route =>
            route.Method == http.Request.Method
            && route.Target == target
            && (route.SubResource is { } name ? query.ContainsKey(name) : !query.Keys.Any(SubResources.Contains))
            && (route.Header is null || http.Request.Headers.ContainsKey(route.Header)))
            ?? throw new AwsServiceException(501, "NotImplemented", "A header you provided implies functionality that is not implemented");

        return new AwsOperationCall(route.Operation, route.Method is not ("GET" or "HEAD"), request =>
        {
            var (payload, trailers) = AwsChunkedBody.IsChunked(http.Request)
                ? AwsChunkedBody.Decode(request.Body)
                : (request.Body, new Dictionary<string, string>());
            var (checksums, checksumSent) = PayloadIntegrity.Verify(http.Request, payload, trailers);
            if (route.ChecksumRequired && !checksumSent)
            {
                throw S3Errors.InvalidRequest("Missing required header for this request: Content-MD5");
            }

            // Buckets answer their owner only, so a different expected owner can never match.
            if (http.Request.Headers["x-amz-expected-bucket-owner"].ToString() is { Length: > 0 } expectedOwner && expectedOwner != request.AccountId)
            {
                throw S3Errors.AccessDenied();
            }

            request.Http.Response.Headers["x-amz-request-id"] = request.RequestId;
            request.Http.Response.Headers["x-amz-id-2"] = request.RequestId;
            return route.Handler(new S3Call(request, bucket, key, payload, checksums, checksumSent));
        })
        {
            Parameter = name => name switch
            {
                "Bucket" => bucket,
                "Key" => key,
                _ => query.TryGetValue(name, out var value) ? value.ToString() : null,
            },
        };
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId) =>
        AwsErrors.WriteAsync(http, Protocol, error, requestId);

    /// <summary>The caller's canonical user id: stable per account, 64 hex digits as S3 shows it.</summary>
    private static string CanonicalUserId(string accountId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("s3-canonical-user:" + accountId)));

    /// <summary>Bucket and key from the path as sent (keys may hold encoded slashes and spaces).</summary>
    private static (string Bucket, string Key) SplitPath(HttpContext http)
    {
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        var rawPath = rawTarget.Split('?', 2)[0].TrimStart('/');
        var slash = rawPath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (Uri.UnescapeDataString(rawPath), "")
            : (Uri.UnescapeDataString(rawPath[..slash]), Uri.UnescapeDataString(rawPath[(slash + 1)..]));
    }

    private static Task Xml(S3Call call, XElement document) => ResponseBodies.WriteXmlAsync(call.Response, document);

    private static Task NoContent(S3Call call)
    {
        call.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static XElement Owner(string accountId) => Element("Owner", Element("ID", CanonicalUserId(accountId)));

    private Task ListBuckets(S3Call call) => Xml(call, Element(
        "ListAllMyBucketsResult",
        Owner(call.AccountId),
        Element("Buckets", store.ListBuckets(call.AccountId).Select(bucket => Element(
            "Bucket",
            Element("Name", bucket.Name),
            Element("CreationDate", Timestamp(bucket.CreationDate)),
            Element("BucketRegion", bucket.Region))))));

    private Task CreateBucket(S3Call call)
    {
        var constraint = call.Payload.Length == 0 ? null : Parse(call.Payload, "CreateBucketConfiguration").Text("LocationConstraint");

        // The us-east-1 endpoint creates a bucket in any region it is told; a regional endpoint only in its own.
        var region = string.IsNullOrEmpty(constraint) ? "us-east-1" : constraint;
        if (call.Request.Region != "us-east-1" && region != call.Request.Region)
        {
            throw S3Errors.IllegalLocationConstraint(constraint);
        }

        var objectLock = string.Equals(call.Header("x-amz-bucket-object-lock-enabled"), "true", StringComparison.OrdinalIgnoreCase);
        store.CreateBucket(call.AccountId, region, call.Bucket, objectLock);
        call.Response.Headers.Location = "/" + call.Bucket;
        return Task.CompletedTask;
    }

    private Task HeadBucket(S3Call call)
    {
        call.Response.Headers["x-amz-bucket-region"] = store.Read(call.AccountId, call.Bucket, bucket => bucket.Region);
        return Task.CompletedTask;
    }

    private Task DeleteBucket(S3Call call)
    {
        store.DeleteBucket(call.AccountId, call.Bucket);
        return NoContent(call);
    }

    private Task GetBucketLocation(S3Call call)
    {
        var region = store.Read(call.AccountId, call.Bucket, bucket => bucket.Region);

        // us-east-1 is the one region S3 reports as an empty LocationConstraint.
        return Xml(call, Element("LocationConstraint", region == "us-east-1" ? null : region));
    }

    private Task PutBucketVersioning(S3Call call)
    {
        var status = Parse(call.Payload, "VersioningConfiguration").Text("Status");
        if (status is not ("Enabled" or "Suspended"))
        {
            throw S3Errors.MalformedXml();
        }

        store.Update(call.AccountId, call.Bucket, bucket =>
        {
            if (bucket.ObjectLockEnabled && status != "Enabled")
            {
                throw S3Errors.InvalidBucketState("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
            }

            bucket.Versioning = status;
        });
        return Task.CompletedTask;
    }

    private Task GetBucketVersioning(S3Call call) => Xml(call, Element(
        "VersioningConfiguration",
        store.Read(call.AccountId, call.Bucket, bucket => bucket.Versioning) is { } status ? Element("Status", status) : null));

    private Task PutObjectLockConfiguration(S3Call call)
    {
        var configuration = Parse(call.Payload, "ObjectLockConfiguration");
        if (configuration.Text("ObjectLockEnabled") != "Enabled")
        {
            throw S3Errors.MalformedXml();
        }

        var retention = configuration.Child("Rule")?.Child("DefaultRetention") is { } rule ? ReadDefaultRetention(rule) : null;
        store.Update(call.AccountId, call.Bucket, bucket =>
        {
            if (bucket.Versioning != "Enabled")
            {
                throw S3Errors.InvalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
            }

            bucket.ObjectLockEnabled = true;
            bucket.DefaultRetention = retention;
        });
        return Task.CompletedTask;
    }

    private static DefaultRetention ReadDefaultRetention(XElement rule)
    {
        var mode = rule.Text("Mode");
        var days = ReadPositive(rule.Text("Days"));
        var years = ReadPositive(rule.Text("Years"));
        if (mode is null || !RetentionModes.IsValid(mode) || (days is null) == (years is null))
        {
            throw S3Errors.MalformedXml();
        }

        return new DefaultRetention(mode, days, years);
    }

    private static int? ReadPositive(string? text) => text switch
    {
        null => null,
        _ when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 => value,
        _ => throw S3Errors.InvalidArgument("Default retention period must be a positive integer value."),
    };

    private Task GetObjectLockConfiguration(S3Call call)
    {
        var (enabled, retention) = store.Read(call.AccountId, call.Bucket, bucket => (bucket.ObjectLockEnabled, bucket.DefaultRetention));
        if (!enabled)
        {
            throw S3Errors.NotConfigured("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", call.Bucket);
        }

        return Xml(call, Element(
            "ObjectLockConfiguration",
            Element("ObjectLockEnabled", "Enabled"),
            retention is null ? null : Element("Rule", Element(
                "DefaultRetention",
                Element("Mode", retention.Mode),
                retention.Days is { } days ? Element("Days", days) : null,
                retention.Years is { } years ? Element("Years", years) : null))));
    }

    private Task PutBucketPolicy(S3Call call)
    {
        store.PutPolicy(call.AccountId, call.Bucket, Encoding.UTF8.GetString(call.Payload));
        return NoContent(call);
    }

    private async Task GetBucketPolicy(S3Call call)
    {
        var policy = store.Read(call.AccountId, call.Bucket, bucket => bucket.Policy)
            ?? throw S3Errors.NotConfigured("NoSuchBucketPolicy", "The bucket policy does not exist", call.Bucket);
        call.Response.ContentType = "application/json";
        await call.Response.WriteAsync(policy);
    }

    private Task ClearConfiguration(S3Call call, Action<S3Bucket> clear)
    {
        store.Update(call.AccountId, call.Bucket, clear);
        return NoContent(call);
    }

    private Task PutPublicAccessBlock(S3Call call)
    {
        var configuration = Parse(call.Payload, "PublicAccessBlockConfiguration");
        var block = new PublicAccessBlock(
            configuration.Flag("BlockPublicAcls"),
            configuration.Flag("IgnorePublicAcls"),
            configuration.Flag("BlockPublicPolicy"),
            configuration.Flag("RestrictPublicBuckets"));
        store.Update(call.AccountId, call.Bucket, bucket => bucket.PublicAccessBlock = block);
        return Task.CompletedTask;
    }

    private Task GetPublicAccessBlock(S3Call call)
    {
        var block = store.Read(call.AccountId, call.Bucket, bucket => bucket.PublicAccessBlock)
            ?? throw S3Errors.NotConfigured("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", call.Bucket);
        return Xml(call, Element(
            "PublicAccessBlockConfiguration",
            Element("BlockPublicAcls", Boolean(block.BlockPublicAcls)),
            Element("IgnorePublicAcls", Boolean(block.IgnorePublicAcls)),
            Element("BlockPublicPolicy", Boolean(block.BlockPublicPolicy)),
            Element("RestrictPublicBuckets", Boolean(block.RestrictPublicBuckets))));
    }

    private Task PutBucketEncryption(S3Call call)
    {
        var rules = Parse(call.Payload, "ServerSideEncryptionConfiguration").Children("Rule").Select(rule =>
        {
            var byDefault = rule.Child("ApplyServerSideEncryptionByDefault") ?? throw S3Errors.MalformedXml();
            var algorithm = byDefault.Text("SSEAlgorithm");
            return EncryptionRule.IsAlgorithm(algorithm)
                ? new EncryptionRule(algorithm, byDefault.Text("KMSMasterKeyID"), rule.Flag("BucketKeyEnabled"))
                : throw S3Errors.MalformedXml();
        }).ToList();
        if (rules.Count == 0)
        {
            throw S3Errors.MalformedXml();
        }

        store.Update(call.AccountId, call.Bucket, bucket => bucket.Encryption = rules);
        return Task.CompletedTask;
    }

    private Task GetBucketEncryption(S3Call call) => Xml(call, Element(
        "ServerSideEncryptionConfiguration",
        store.Read(call.AccountId, call.Bucket, bucket => bucket.Encryption).Select(rule => Element(
            "Rule",
            Element(
                "ApplyServerSideEncryptionByDefault",
                Element("SSEAlgorithm", rule.Algorithm),
                rule.KmsMasterKeyId is null ? null : Element("KMSMasterKeyID", rule.KmsMasterKeyId)),
            Element("BucketKeyEnabled", Boolean(rule.BucketKeyEnabled))))));

    private Task PutBucketLogging(S3Call call)
    {
        var enabled = Parse(call.Payload, "BucketLoggingStatus").Child("LoggingEnabled");
        var logging = enabled is null
            ? null
            : new AccessLogging(enabled.Text("TargetBucket") ?? throw S3Errors.MalformedXml(), enabled.Text("TargetPrefix") ?? "");
        store.SetLogging(call.AccountId, call.Bucket, logging);
        return Task.CompletedTask;
    }

    private Task GetBucketLogging(S3Call call)
    {
        var logging = store.Read(call.AccountId, call.Bucket, bucket => bucket.Logging);
        return Xml(call, Element(
            "BucketLoggingStatus",
            logging is null ? null : Element("LoggingEnabled", Element("TargetBucket", logging.TargetBucket), Element("TargetPrefix", logging.TargetPrefix))));
    }

    private Task PutBucketTagging(S3Call call)
    {
        var tags = Parse(call.Payload, "Tagging").Child("TagSet")?.Children("Tag")
            .Select(tag => new S3Tag(tag.Text("Key") ?? throw S3Errors.MalformedXml(), tag.Text("Value") ?? ""))
            .ToList() ?? throw S3Errors.MalformedXml();
        if (tags.Select(tag => tag.Key).Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw S3Errors.InvalidArgument("Cannot provide multiple Tags with the same key");
        }

        store.Update(call.AccountId, call.Bucket, bucket => bucket.Tags = tags);
        return NoContent(call);
    }

    private Task GetBucketTagging(S3Call call)
    {
        var tags = store.Read(call.AccountId, call.Bucket, bucket => bucket.Tags)
            ?? throw S3Errors.NotConfigured("NoSuchTagSet", "The TagSet does not exist", call.Bucket);
        return Xml(call, Element("Tagging", Element("TagSet", tags.Select(tag => Element("Tag", Element("Key", tag.Key), Element("Value", tag.Value))))));
    }

    /// <summary>One row of the routing table.</summary>
    /// <summary>One operation's route; <paramref name="Header"/> a request header that selects it (CopyObject's x-amz-copy-source), listed before the route without it.</summary>
    private sealed record S3Route(string Operation, string Method, S3Target Target, string? SubResource, Func<S3Call, Task> Handler, bool ChecksumRequired = false, string? Header = null);

    private enum S3Target
    {
        Service,
        Bucket,
        Object,
    }
}
