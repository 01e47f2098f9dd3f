using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.CertificateManager;

/// <summary>AWS Certificate Manager (JSON 1.1, regional): the certificates an HTTPS listener can use.</summary>
public sealed class AcmClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Acm);

    internal AcmClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Acm, new Json11Protocol(AwsServiceDescription.Acm, "CertificateManager"))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<DescribeCertificateResponse> DescribeCertificateAsync(DescribeCertificateRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<DescribeCertificateResponse>(request, cancellationToken);

    public Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListCertificatesResponse>(request, cancellationToken);

    public IAsyncEnumerable<CertificateSummary> ListAllCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(request, ListCertificatesAsync, page => page.CertificateSummaryList, cancellationToken);
}
