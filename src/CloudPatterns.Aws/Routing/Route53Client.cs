using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Routing;

/// <summary>
/// Amazon Route 53 (REST-XML, global): the record sets a DR failover switches. Ids go into paths without their
/// <c>/hostedzone/</c> or <c>/change/</c> prefix, as the SDKs strip them (docs/localcloud-route53.md).
/// </summary>
public sealed class Route53Client : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Route53);

    internal Route53Client(AwsClientContext context)
        : base(context, AwsServiceDescription.Route53, new RestXmlProtocol(AwsServiceDescription.Route53, "https://route53.amazonaws.com/doc/2013-04-01/"))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<ChangeResourceRecordSetsResponse> ChangeResourceRecordSetsAsync(ChangeResourceRecordSetsRequest request, CancellationToken cancellationToken = default)
    {
        request.HostedZoneId = BareId(request.HostedZoneId);
        return CallAsync<ChangeResourceRecordSetsResponse>(request, cancellationToken);
    }

    /// <summary>Every record set of the zone, page after page.</summary>
    public async Task<List<ResourceRecordSet>> ListAllResourceRecordSetsAsync(string hostedZoneId, CancellationToken cancellationToken = default)
    {
        var all = new List<ResourceRecordSet>();
        var request = new ListResourceRecordSetsRequest { HostedZoneId = BareId(hostedZoneId) };
        while (true)
        {
            ListResourceRecordSetsResponse page = await CallAsync<ListResourceRecordSetsResponse>(request, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.ResourceRecordSets);
            if (!page.IsTruncated)
            {
                return all;
            }

            request = new ListResourceRecordSetsRequest
            {
                HostedZoneId = request.HostedZoneId, StartRecordName = page.NextRecordName, StartRecordType = page.NextRecordType, StartRecordIdentifier = page.NextRecordIdentifier,
            };
        }
    }

    public Task<GetChangeResponse> GetChangeAsync(string changeId, CancellationToken cancellationToken = default) =>
        CallAsync<GetChangeResponse>(new GetChangeRequest { Id = BareId(changeId) }, cancellationToken);

    private static string? BareId(string? id) => id is null ? null : id.Substring(id.LastIndexOf('/') + 1);
}
