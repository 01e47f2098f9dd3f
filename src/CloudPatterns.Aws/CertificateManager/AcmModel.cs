using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of the ACM API 2015-12-08 (botocore model acm/2015-12-08), members named as on the wire.
namespace CloudPatterns.Aws.CertificateManager;

public sealed class DescribeCertificateRequest : AmazonWebServiceRequest
{
    public string? CertificateArn { get; set; }
}

public sealed class DescribeCertificateResponse : AmazonWebServiceResponse
{
    public CertificateDetail? Certificate { get; set; }
}

public sealed class CertificateDetail
{
    public string? CertificateArn { get; set; }

    public string? DomainName { get; set; }

    public string? Status { get; set; }

    public string? Type { get; set; }

    public string? KeyAlgorithm { get; set; }

    public DateTime? NotAfter { get; set; }

    public List<string> InUseBy { get; set; } = new();
}

public sealed class ListCertificatesRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    public List<string>? CertificateStatuses { get; set; }

    public CertificateFilters? Includes { get; set; }

    public string? NextToken { get; set; }

    public int? MaxItems { get; set; }
}

/// <summary>ListCertificates' Includes; without key types ACM lists only RSA 1024 and 2048 certificates.</summary>
public sealed class CertificateFilters
{
    [JsonPropertyName("keyTypes")]
    public List<string>? KeyTypes { get; set; }
}

public sealed class ListCertificatesResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    public List<CertificateSummary> CertificateSummaryList { get; set; } = new();

    public string? NextToken { get; set; }
}

public sealed class CertificateSummary
{
    public string? CertificateArn { get; set; }

    public string? DomainName { get; set; }

    public string? Status { get; set; }

    public string? Type { get; set; }

    public string? KeyAlgorithm { get; set; }

    public bool? InUse { get; set; }

    public DateTime? NotAfter { get; set; }
}
