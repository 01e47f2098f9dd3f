using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CertificateManager;

namespace CloudPatterns.Core.MultiAz;

/// <summary>An ACM certificate an HTTPS listener of a Multi-AZ stack could name.</summary>
public sealed class MultiAzCertificate
{
    internal MultiAzCertificate(string accountId, string region, CertificateSummary summary)
    {
        AccountId = accountId;
        Region = region;
        CertificateArn = summary.CertificateArn ?? string.Empty;
        DomainName = summary.DomainName ?? string.Empty;
        Status = summary.Status ?? string.Empty;
        Type = summary.Type ?? string.Empty;
        KeyAlgorithm = summary.KeyAlgorithm ?? string.Empty;
        InUse = summary.InUse ?? false;
        NotAfter = summary.NotAfter;
    }

    public string AccountId { get; }
    public string Region { get; }
    public string CertificateArn { get; }
    public string DomainName { get; }
    public string Status { get; }
    /// <summary>AMAZON_ISSUED or IMPORTED.</summary>
    public string Type { get; }
    public string KeyAlgorithm { get; }
    public bool InUse { get; }
    public DateTime? NotAfter { get; }
}

/// <summary>
/// The certificate rules of the Multi-AZ stack: an ALB's HTTPS listener can use only an ISSUED ACM certificate of its
/// own account and region (docs/localcloud-acm.md), so New-MultiAzStack checks that before it changes anything.
/// </summary>
public static class MultiAzCertificates
{
    /// <summary>Every key algorithm ACM has: an ALB accepts them all, so listing shows them all.</summary>
    private static readonly List<string> AllKeyTypes = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

    /// <summary>The certificates of a target with these statuses (every status when none is given).</summary>
    public static async IAsyncEnumerable<MultiAzCertificate> ListAsync(AwsTarget target, IReadOnlyCollection<string>? statuses, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var request = new ListCertificatesRequest
        {
            CertificateStatuses = statuses is { Count: > 0 } ? statuses.ToList() : null,
            Includes = new CertificateFilters { KeyTypes = AllKeyTypes },
        };
        await foreach (var summary in target.Acm.ListAllCertificatesAsync(request, cancellation).ConfigureAwait(false))
        {
            yield return new MultiAzCertificate(target.AccountId, target.Region, summary);
        }
    }

    /// <summary>Throws <see cref="InvalidMultiAzSettingsException"/> unless the certificate is ISSUED in the target's account and region.</summary>
    public static async Task EnsureUsableAsync(AwsTarget target, string? certificateArn, CancellationToken cancellation)
    {
        if (await ProblemAsync(target, certificateArn, cancellation).ConfigureAwait(false) is { } problem)
        {
            throw new InvalidMultiAzSettingsException([problem]);
        }
    }

    private static async Task<string?> ProblemAsync(AwsTarget target, string? certificateArn, CancellationToken cancellation)
    {
        var allowed = $"give an ISSUED ACM certificate of account {target.AccountId} in {target.Region} (Get-MultiAzCertificate -AccountId {target.AccountId} -Region {target.Region} lists them).";
        var parts = (certificateArn ?? string.Empty).Split(':');
        if (parts.Length < 6 || parts[3] != target.Region || parts[4] != target.AccountId)
        {
            return $"CertificateArn '{certificateArn}' is not a certificate of account {target.AccountId} in {target.Region}, where the stack's load balancer is: an ALB uses only certificates of its own account and region; {allowed}";
        }

        CertificateDetail? detail;
        try
        {
            detail = (await target.Acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = certificateArn }, cancellation).ConfigureAwait(false)).Certificate;
        }
        catch (AmazonServiceException error) when (error.ErrorCode is "ResourceNotFoundException" or "InvalidArnException")
        {
            detail = null;
        }

        return detail?.Status switch
        {
            null => $"CertificateArn '{certificateArn}' does not exist in account {target.AccountId} {target.Region}; {allowed}",
            "ISSUED" => null,
            var status => $"CertificateArn '{certificateArn}' is {status}, not ISSUED: an HTTPS listener needs an issued certificate; {allowed}",
        };
    }
}
