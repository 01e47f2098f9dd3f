using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Acm;

/// <summary>
/// ACM's certificates of every account and region (regional: a certificate exists only in the region it was made in).
/// Thread-safe: one lock. Not persisted: private keys of imported certificates are secrets.
/// </summary>
internal sealed class AcmStore
{
    private readonly Lock gate = new();
    private readonly List<AcmCertificate> certificates = [];

    /// <summary>The resources that use a certificate (load balancers of live stacks); set by the host.</summary>
    public Func<AcmCertificate, IReadOnlyList<string>> InUseBy { get; set; } = _ => [];

    public static string NewArn(string accountId, string region) => $"arn:aws:acm:{region}:{accountId}:certificate/{Guid.NewGuid()}";

    /// <summary>Adds a certificate, or returns the one an earlier request with the same idempotency token made within the hour.</summary>
    public AcmCertificate Add(AcmCertificate certificate)
    {
        lock (gate)
        {
            if (certificate.IdempotencyToken is { } token
                && certificates.FirstOrDefault(existing => existing.AccountId == certificate.AccountId && existing.Region == certificate.Region
                    && existing.IdempotencyToken == token && existing.Content.DomainName == certificate.Content.DomainName
                    && certificate.CreatedAt - existing.CreatedAt < TimeSpan.FromHours(1)) is { } earlier)
            {
                return earlier;
            }

            certificates.Add(certificate);
            return certificate;
        }
    }

    /// <summary>A certificate of this account and region by ARN; one of another region or account is not found, as in ACM.</summary>
    public AcmCertificate Find(string accountId, string region, string arn)
    {
        lock (gate)
        {
            return certificates.FirstOrDefault(certificate => certificate.Arn == arn && certificate.AccountId == accountId && certificate.Region == region)
                ?? throw new AwsServiceException(400, "ResourceNotFoundException", $"Could not find certificate {arn}.");
        }
    }

    public IReadOnlyList<AcmCertificate> List(string accountId, string region)
    {
        lock (gate)
        {
            return certificates.Where(certificate => certificate.AccountId == accountId && certificate.Region == region).ToList();
        }
    }

    /// <summary>Replaces an imported certificate's body (re-import keeps the ARN and tags).</summary>
    public void Reimport(AcmCertificate certificate, CertificateContent content, string keyAlgorithm, DateTimeOffset now)
    {
        lock (gate)
        {
            if (certificate.Type != AcmCertificate.Imported)
            {
                throw new AwsServiceException(400, "ValidationException", $"Certificate {certificate.Arn} was issued by ACM: only an imported certificate can be re-imported.");
            }

            if (keyAlgorithm != certificate.KeyAlgorithm)
            {
                throw new AwsServiceException(400, "ValidationException", $"The new certificate's key algorithm {keyAlgorithm} differs from the imported one's ({certificate.KeyAlgorithm}).");
            }

            certificate.Content = content;
            certificate.ImportedAt = now;
        }
    }

    public void Delete(AcmCertificate certificate)
    {
        lock (gate)
        {
            if (InUseBy(certificate).Count > 0)
            {
                throw new AwsServiceException(400, "ResourceInUseException", $"Certificate {certificate.Arn} in account {certificate.AccountId} is in use.");
            }

            certificates.Remove(certificate);
        }
    }

    /// <summary>Adds or overwrites tags; ACM allows 50 per certificate.</summary>
    public void Tag(AcmCertificate certificate, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        lock (gate)
        {
            var keys = certificate.Tags.Keys.Concat(tags.Select(tag => tag.Key)).Distinct(StringComparer.Ordinal).Count();
            if (keys > 50)
            {
                throw new AwsServiceException(400, "TooManyTagsException", $"Certificate {certificate.Arn} would have {keys} tags: a certificate can have at most 50.");
            }

            foreach (var tag in tags)
            {
                certificate.Tags[tag.Key] = tag.Value;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> TagsOf(AcmCertificate certificate)
    {
        lock (gate)
        {
            return certificate.Tags.ToList();
        }
    }

    /// <summary>Sets the sandbox-signed body of an issued certificate once, the first time it is read.</summary>
    public CertificateContent WithBody(AcmCertificate certificate)
    {
        lock (gate)
        {
            if (certificate.Content.CertificatePem is null)
            {
                var (body, chain) = CertificatePem.IssueForSandbox(certificate.Content);
                certificate.Content = certificate.Content with { CertificatePem = body, ChainPem = chain };
            }

            return certificate.Content;
        }
    }
}
