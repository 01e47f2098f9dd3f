using System.Security.Cryptography;
using System.Text;

namespace CloudPatterns.LocalCloud.Services.Acm;

/// <summary>
/// One ACM certificate of one account and region. Its status follows from the sandbox clock (docs/localcloud-acm.md):
/// a DNS-validated request is ISSUED <see cref="DnsValidationDelay"/> after it was made, an EMAIL-validated one waits
/// (no mailbox answers in the sandbox) until it times out after 72 hours; an imported certificate is ISSUED until its
/// NotAfter, then EXPIRED.
/// </summary>
internal sealed class AcmCertificate
{
    public const string AmazonIssued = "AMAZON_ISSUED";
    public const string Imported = "IMPORTED";

    /// <summary>How long the sandbox's DNS validation takes: the validation CNAME is taken as published at once.</summary>
    public static readonly TimeSpan DnsValidationDelay = TimeSpan.FromSeconds(60);

    /// <summary>ACM's email validation expires after 72 hours without an approval.</summary>
    public static readonly TimeSpan EmailValidationTimeout = TimeSpan.FromHours(72);

    /// <summary>Validity of an Amazon-issued public certificate (395 days).</summary>
    public static readonly TimeSpan AmazonIssuedValidity = TimeSpan.FromDays(395);

    public required string Arn { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Type { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>DNS or EMAIL for requested certificates; null for imported ones.</summary>
    public string? ValidationMethod { get; init; }

    public string? IdempotencyToken { get; init; }

    public required string KeyAlgorithm { get; init; }

    /// <summary>What the certificate's body says; for a requested one, fixed when it is issued (see <see cref="Body"/>).</summary>
    public required CertificateContent Content { get; set; }

    public DateTimeOffset? ImportedAt { get; set; }

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public string Status(DateTimeOffset now) => Type == Imported
        ? (now > Content.NotAfter ? "EXPIRED" : "ISSUED")
        : IssuedAt is { } issued && now >= issued
            ? (now > issued + AmazonIssuedValidity ? "EXPIRED" : "ISSUED")
            : now >= CreatedAt + EmailValidationTimeout ? "VALIDATION_TIMED_OUT" : "PENDING_VALIDATION";

    /// <summary>When a requested certificate is issued (DNS validation only); null for EMAIL and imported.</summary>
    public DateTimeOffset? IssuedAt => Type == AmazonIssued && ValidationMethod == "DNS" ? CreatedAt + DnsValidationDelay : null;

    /// <summary>The names the certificate covers, the domain name first.</summary>
    public IEnumerable<string> Domains => new[] { Content.DomainName }.Concat(Content.SubjectAlternativeNames).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The CNAME that proves control of <paramref name="domain"/>: stable for this certificate and domain.</summary>
    public (string Name, string Value) ValidationRecord(string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Arn}|{domain}")));
        var bare = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        return ($"_{hash[..32]}.{bare}.", $"_{hash[32..64]}.{hash[..10]}.acm-validations.aws.");
    }
}

/// <summary>What a certificate's X.509 body holds, as ACM reports it.</summary>
internal sealed record CertificateContent(
    string DomainName,
    IReadOnlyList<string> SubjectAlternativeNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Subject,
    string Issuer,
    string Serial,
    string SignatureAlgorithm,
    IReadOnlyList<string> KeyUsages,
    IReadOnlyList<string> ExtendedKeyUsages,
    string? CertificatePem,
    string? ChainPem);
