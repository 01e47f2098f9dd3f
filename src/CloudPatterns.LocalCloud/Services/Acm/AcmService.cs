using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Acm;

/// <summary>
/// AWS Certificate Manager (JSON 1.1, target prefix CertificateManager): request (DNS or EMAIL validation), import,
/// describe, list, get, delete and tag certificates. The rules it follows, with their sources: docs/localcloud-acm.md.
/// </summary>
internal sealed class AcmService : JsonService
{
    private const string DomainPattern = @"^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$";
    private const string ArnPattern = @"arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(/[\w+=,.@-]+)*";
    private const string TagPattern = @"[\p{L}\p{Z}\p{N}_.:\/=+\-@]*";
    private static readonly string[] Statuses = ["PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"];
    private static readonly string[] KeyAlgorithms = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

    // RequestCertificate issues public certificates with these key algorithms only.
    private static readonly string[] RequestableKeyAlgorithms = ["RSA_2048", "EC_prime256v1", "EC_secp384r1"];

    // ListCertificates without a keyTypes filter returns only these.
    private static readonly string[] DefaultListedKeyTypes = ["RSA_1024", "RSA_2048"];

    private readonly AcmStore store;
    private readonly TimeProvider clock;

    public AcmService(AcmStore store, TimeProvider clock)
        : base("acm", "CertificateManager", "ThrottlingException")
    {
        this.store = store;
        this.clock = clock;
        AddOperation("RequestCertificate", mutating: true, RequestCertificate);
        AddOperation("ImportCertificate", mutating: true, ImportCertificate);
        AddOperation("DescribeCertificate", mutating: false, (request, input) => new JsonObject { ["Certificate"] = Detail(Find(request, input)) });
        AddOperation("ListCertificates", mutating: false, ListCertificates);
        AddOperation("GetCertificate", mutating: false, GetCertificate);
        AddOperation("DeleteCertificate", mutating: true, (request, input) => { store.Delete(Find(request, input)); return []; });
        AddOperation("AddTagsToCertificate", mutating: true, (request, input) => { store.Tag(Find(request, input), Tags(input, required: true)); return []; });
        AddOperation("ListTagsForCertificate", mutating: false, (request, input) => new JsonObject { ["Tags"] = TagArray(store.TagsOf(Find(request, input))) });
    }

    /// <summary>A certificate ACM issued (DNS-validated) at <paramref name="created"/>: what the seed gives workload accounts.</summary>
    public static AcmCertificate Requested(string accountId, string region, string domainName, IReadOnlyList<string> alternativeNames, string validationMethod, string keyAlgorithm, string? idempotencyToken, DateTimeOffset created)
    {
        var notBefore = validationMethod == "DNS" ? created + AcmCertificate.DnsValidationDelay : created;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var content = new CertificateContent(
            domainName,
            new[] { domainName }.Concat(alternativeNames).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            notBefore,
            notBefore + AcmCertificate.AmazonIssuedValidity,
            $"CN={domainName}",
            "Amazon",
            string.Join(':', serial.Select(part => part.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
            "SHA256WITHRSA",
            ["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"],
            ["TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"],
            null,
            null);
        return new AcmCertificate
        {
            Arn = AcmStore.NewArn(accountId, region),
            AccountId = accountId,
            Region = region,
            Type = AcmCertificate.AmazonIssued,
            CreatedAt = created,
            ValidationMethod = validationMethod,
            IdempotencyToken = idempotencyToken,
            KeyAlgorithm = keyAlgorithm,
            Content = content,
        };
    }

    private JsonObject RequestCertificate(AwsRequest request, JsonElement input)
    {
        var violations = new List<string>();
        var domainName = input.GetStringOrNull("DomainName");
        ModelConstraints.CheckString(violations, "domainName", domainName, 1, 253, DomainPattern);
        var alternativeNames = input.GetStringsOrEmpty("SubjectAlternativeNames");
        for (var index = 0; index < alternativeNames.Count; index++)
        {
            ModelConstraints.CheckString(violations, $"subjectAlternativeNames.{index + 1}.member", alternativeNames[index], 1, 253, DomainPattern);
        }

        if (alternativeNames.Count > 100)
        {
            violations.Add($"Value at 'subjectAlternativeNames' failed to satisfy constraint: Member must have length less than or equal to 100");
        }

        var method = input.GetStringOrNull("ValidationMethod") ?? "EMAIL";
        CheckEnum(violations, "validationMethod", method, ["DNS", "EMAIL"]);
        var keyAlgorithm = input.GetStringOrNull("KeyAlgorithm") ?? "RSA_2048";
        CheckEnum(violations, "keyAlgorithm", keyAlgorithm, KeyAlgorithms);
        var token = input.GetStringOrNull("IdempotencyToken");
        ModelConstraints.CheckString(violations, "idempotencyToken", token, 1, 32, @"\w+", required: false);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (!RequestableKeyAlgorithms.Contains(keyAlgorithm))
        {
            throw new AwsServiceException(400, "InvalidParameterException", $"Key algorithm {keyAlgorithm} is not supported for public certificates: give {string.Join(", ", RequestableKeyAlgorithms)}.");
        }

        if (input.GetStringOrNull("CertificateAuthorityArn") is not null)
        {
            throw new AwsServiceException(400, "InvalidParameterException", "Private certificates (CertificateAuthorityArn) are not emulated by LocalCloud.");
        }

        var tags = Tags(input, required: false);
        var certificate = store.Add(Requested(request.AccountId, request.Region, domainName!, alternativeNames, method, keyAlgorithm, token, clock.GetUtcNow()));
        store.Tag(certificate, tags);
        return new JsonObject { ["CertificateArn"] = certificate.Arn };
    }

    private JsonObject ImportCertificate(AwsRequest request, JsonElement input)
    {
        var violations = new List<string>();
        var body = Blob(input, "Certificate", violations, 32768, required: true);
        var key = Blob(input, "PrivateKey", violations, 5120, required: true);
        var chain = Blob(input, "CertificateChain", violations, 2097152, required: false);
        var arn = input.GetStringOrNull("CertificateArn");
        ModelConstraints.CheckString(violations, "certificateArn", arn, 20, 2048, ArnPattern, required: false);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var tags = Tags(input, required: false);
        var now = clock.GetUtcNow();
        var (content, keyAlgorithm) = CertificatePem.Read(body!, key!, chain, now);
        if (arn is not null)
        {
            if (tags.Count > 0)
            {
                throw new AwsServiceException(400, "InvalidParameterException", "Tags cannot be given when re-importing a certificate: tag it with AddTagsToCertificate.");
            }

            var existing = store.Find(request.AccountId, request.Region, arn);
            store.Reimport(existing, content, keyAlgorithm, now);
            return new JsonObject { ["CertificateArn"] = existing.Arn };
        }

        var certificate = store.Add(new AcmCertificate
        {
            Arn = AcmStore.NewArn(request.AccountId, request.Region),
            AccountId = request.AccountId,
            Region = request.Region,
            Type = AcmCertificate.Imported,
            CreatedAt = now,
            ImportedAt = now,
            KeyAlgorithm = keyAlgorithm,
            Content = content,
        });
        store.Tag(certificate, tags);
        return new JsonObject { ["CertificateArn"] = certificate.Arn };
    }

    private JsonObject ListCertificates(AwsRequest request, JsonElement input)
    {
        var violations = new List<string>();
        var statuses = input.GetStringsOrEmpty("CertificateStatuses");
        foreach (var status in statuses)
        {
            CheckEnum(violations, "certificateStatuses.member", status, Statuses);
        }

        var includes = input.GetObjectOrNull("Includes");
        var keyTypes = includes?.GetStringsOrEmpty("keyTypes") is { Count: > 0 } given ? given : DefaultListedKeyTypes;
        foreach (var keyType in keyTypes)
        {
            CheckEnum(violations, "includes.keyTypes.member", keyType, KeyAlgorithms);
        }

        var keyUsage = includes?.GetStringsOrEmpty("keyUsage") ?? [];
        var extendedKeyUsage = includes?.GetStringsOrEmpty("extendedKeyUsage") ?? [];
        var maxItems = input.GetInt64OrNull("MaxItems");
        if (maxItems is < 1 or > 1000)
        {
            violations.Add($"Value '{maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }

        var order = input.GetStringOrNull("SortOrder");
        CheckEnum(violations, "sortOrder", order ?? "ASCENDING", ["ASCENDING", "DESCENDING"]);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var now = clock.GetUtcNow();
        var matching = store.List(request.AccountId, request.Region)
            .Where(certificate => statuses.Count == 0 || statuses.Contains(certificate.Status(now)))
            .Where(certificate => keyTypes.Contains(certificate.KeyAlgorithm))
            .Where(certificate => keyUsage.Count == 0 || keyUsage.Contains("ANY") || keyUsage.Any(usage => certificate.Content.KeyUsages.Contains(usage)))
            .Where(certificate => extendedKeyUsage.Count == 0 || extendedKeyUsage.Contains("ANY") || extendedKeyUsage.Any(usage => certificate.Content.ExtendedKeyUsages.Contains(usage)))
            .OrderBy(certificate => certificate.CreatedAt)
            .ToList();
        if (order == "DESCENDING")
        {
            matching.Reverse();
        }

        var (page, next) = PageTokens.Page(matching, "ListCertificates", input.GetStringOrNull("NextToken"), (int)(maxItems ?? 1000),
            () => new AwsServiceException(400, "InvalidArgsException", "The NextToken is not valid: give the token of the previous page."));
        var output = new JsonObject { ["CertificateSummaryList"] = new JsonArray(page.Select(certificate => (JsonNode)Summary(certificate, now)).ToArray()) };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return output;
    }

    private JsonObject GetCertificate(AwsRequest request, JsonElement input)
    {
        var certificate = Find(request, input);
        var status = certificate.Status(clock.GetUtcNow());
        if (status == "PENDING_VALIDATION")
        {
            throw new AwsServiceException(400, "RequestInProgressException", $"Certificate {certificate.Arn} is not yet issued: it is PENDING_VALIDATION.");
        }

        if (status is not ("ISSUED" or "EXPIRED"))
        {
            throw new AwsServiceException(400, "ResourceNotFoundException", $"Certificate {certificate.Arn} is {status} and has no certificate body.");
        }

        var content = store.WithBody(certificate);
        var output = new JsonObject { ["Certificate"] = content.CertificatePem };
        if (content.ChainPem is not null)
        {
            output["CertificateChain"] = content.ChainPem;
        }

        return output;
    }

    private JsonObject Detail(AcmCertificate certificate)
    {
        var now = clock.GetUtcNow();
        var status = certificate.Status(now);
        var content = certificate.Content;
        var issued = status is "ISSUED" or "EXPIRED";
        var detail = new JsonObject
        {
            ["CertificateArn"] = certificate.Arn,
            ["DomainName"] = content.DomainName,
            ["SubjectAlternativeNames"] = Strings(content.SubjectAlternativeNames),
            ["Status"] = status,
            ["Type"] = certificate.Type,
            ["KeyAlgorithm"] = certificate.KeyAlgorithm,
            ["InUseBy"] = Strings(store.InUseBy(certificate)),
            ["CreatedAt"] = ResponseBodies.EpochSeconds(certificate.CreatedAt),
            ["RenewalEligibility"] = certificate.Type == AcmCertificate.Imported ? "INELIGIBLE" : "ELIGIBLE",
        };
        if (certificate.Type == AcmCertificate.AmazonIssued)
        {
            detail["DomainValidationOptions"] = new JsonArray(certificate.Domains.Select(domain => (JsonNode)Validation(certificate, domain, status)).ToArray());
            detail["Options"] = new JsonObject { ["CertificateTransparencyLoggingPreference"] = "ENABLED" };
        }

        if (certificate.ImportedAt is { } imported)
        {
            detail["ImportedAt"] = ResponseBodies.EpochSeconds(imported);
        }

        if (issued)
        {
            if (certificate.IssuedAt is { } at)
            {
                detail["IssuedAt"] = ResponseBodies.EpochSeconds(at);
            }

            detail["Serial"] = content.Serial;
            detail["Subject"] = content.Subject;
            detail["Issuer"] = content.Issuer;
            detail["SignatureAlgorithm"] = content.SignatureAlgorithm;
            detail["NotBefore"] = ResponseBodies.EpochSeconds(content.NotBefore);
            detail["NotAfter"] = ResponseBodies.EpochSeconds(content.NotAfter);
            detail["KeyUsages"] = new JsonArray(content.KeyUsages.Select(name => (JsonNode)new JsonObject { ["Name"] = name }).ToArray());
            detail["ExtendedKeyUsages"] = new JsonArray(content.ExtendedKeyUsages.Select(name => (JsonNode)new JsonObject { ["Name"] = name }).ToArray());
        }

        if (status == "VALIDATION_TIMED_OUT")
        {
            detail["FailureReason"] = "OTHER";
        }

        return detail;
    }

    private static JsonObject Validation(AcmCertificate certificate, string domain, string status)
    {
        var validation = new JsonObject
        {
            ["DomainName"] = domain,
            ["ValidationDomain"] = domain,
            ["ValidationStatus"] = status is "ISSUED" or "EXPIRED" ? "SUCCESS" : status == "PENDING_VALIDATION" ? "PENDING_VALIDATION" : "FAILED",
            ["ValidationMethod"] = certificate.ValidationMethod,
        };
        if (certificate.ValidationMethod == "DNS")
        {
            var (name, value) = certificate.ValidationRecord(domain);
            validation["ResourceRecord"] = new JsonObject { ["Name"] = name, ["Type"] = "CNAME", ["Value"] = value };
        }
        else
        {
            var bare = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
            validation["ValidationEmails"] = Strings(new[] { "admin", "administrator", "hostmaster", "postmaster", "webmaster" }.Select(box => $"{box}@{bare}").ToList());
        }

        return validation;
    }

    private JsonObject Summary(AcmCertificate certificate, DateTimeOffset now)
    {
        var status = certificate.Status(now);
        var content = certificate.Content;
        var summary = new JsonObject
        {
            ["CertificateArn"] = certificate.Arn,
            ["DomainName"] = content.DomainName,
            ["SubjectAlternativeNameSummaries"] = Strings(content.SubjectAlternativeNames),
            ["HasAdditionalSubjectAlternativeNames"] = false,
            ["Status"] = status,
            ["Type"] = certificate.Type,
            ["KeyAlgorithm"] = certificate.KeyAlgorithm,
            ["KeyUsages"] = Strings(content.KeyUsages),
            ["ExtendedKeyUsages"] = Strings(content.ExtendedKeyUsages),
            ["InUse"] = store.InUseBy(certificate).Count > 0,
            ["RenewalEligibility"] = certificate.Type == AcmCertificate.Imported ? "INELIGIBLE" : "ELIGIBLE",
            ["CreatedAt"] = ResponseBodies.EpochSeconds(certificate.CreatedAt),
        };
        if (status is "ISSUED" or "EXPIRED")
        {
            summary["NotBefore"] = ResponseBodies.EpochSeconds(content.NotBefore);
            summary["NotAfter"] = ResponseBodies.EpochSeconds(content.NotAfter);
        }

        if (certificate.ImportedAt is { } imported)
        {
            summary["ImportedAt"] = ResponseBodies.EpochSeconds(imported);
        }

        return summary;
    }

    private AcmCertificate Find(AwsRequest request, JsonElement input)
    {
        var arn = input.GetStringOrNull("CertificateArn");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "certificateArn", arn, 20, 2048, null);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (!System.Text.RegularExpressions.Regex.IsMatch(arn!, $"^{ArnPattern}$"))
        {
            throw new AwsServiceException(400, "InvalidArnException", $"String '{arn}' is not a valid ARN.");
        }

        return store.Find(request.AccountId, request.Region, arn!);
    }

    private static List<KeyValuePair<string, string>> Tags(JsonElement input, bool required)
    {
        var entries = input.GetArrayOrEmpty("Tags");
        var violations = new List<string>();
        if (required && entries.Count == 0)
        {
            violations.Add("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }

        if (entries.Count > 50)
        {
            violations.Add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        }

        var tags = new List<KeyValuePair<string, string>>();
        for (var index = 0; index < entries.Count; index++)
        {
            var key = entries[index].GetStringOrNull("Key");
            var value = entries[index].GetStringOrNull("Value");
            ModelConstraints.CheckString(violations, $"tags.{index + 1}.member.key", key, 1, 128, TagPattern);
            ModelConstraints.CheckString(violations, $"tags.{index + 1}.member.value", value, 0, 256, TagPattern, required: false);
            tags.Add(KeyValuePair.Create(key ?? "", value ?? ""));
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        if (tags.FirstOrDefault(tag => tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { Key.Length: > 0 } reserved)
        {
            throw new AwsServiceException(400, "InvalidTagException", $"Tag key '{reserved.Key}' uses the reserved prefix aws:.");
        }

        return tags;
    }

    private static string? Blob(JsonElement input, string member, List<string> violations, int maxBytes, bool required)
    {
        var encoded = input.GetStringOrNull(member);
        var name = $"{char.ToLowerInvariant(member[0])}{member[1..]}";
        if (encoded is null)
        {
            if (required)
            {
                violations.Add($"Value null at '{name}' failed to satisfy constraint: Member must not be null");
            }

            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new AwsServiceException(400, "SerializationException", $"{member} is not base64-encoded.");
        }

        if (bytes.Length is 0 || bytes.Length > maxBytes)
        {
            violations.Add($"Value at '{name}' failed to satisfy constraint: Member must have length between 1 and {maxBytes}");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static void CheckEnum(List<string> violations, string member, string value, IReadOnlyCollection<string> allowed)
    {
        if (!allowed.Contains(value))
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }

    private static JsonArray Strings(IReadOnlyList<string> values) => new(values.Select(value => (JsonNode)value).ToArray());

    private static JsonArray TagArray(IReadOnlyList<KeyValuePair<string, string>> tags) =>
        new(tags.Select(tag => (JsonNode)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value }).ToArray());
}
