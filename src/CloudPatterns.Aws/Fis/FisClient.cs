using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Fis;

/// <summary>AWS Fault Injection Service (REST-JSON): the experiment that fails a Multi-AZ stack's zone in AWS.</summary>
public sealed class FisClient : AwsServiceClient
{
    private static readonly IServiceMetadata Metadata = new AwsServiceMetadata(AwsServiceDescription.Fis);

    internal FisClient(AwsClientContext context)
        : base(context, AwsServiceDescription.Fis, new RestJsonProtocol(AwsServiceDescription.Fis))
    {
    }

    protected override IServiceMetadata ServiceMetadata => Metadata;

    public Task<ListExperimentTemplatesResponse> ListExperimentTemplatesAsync(ListExperimentTemplatesRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ListExperimentTemplatesResponse>(request, cancellationToken);

    public IAsyncEnumerable<ExperimentTemplateSummary> ListAllExperimentTemplatesAsync(CancellationToken cancellationToken = default) =>
        Pagination.ItemsAsync(new ListExperimentTemplatesRequest(), ListExperimentTemplatesAsync, page => page.ExperimentTemplates, cancellationToken);

    public Task<GetExperimentTemplateResponse> GetExperimentTemplateAsync(GetExperimentTemplateRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetExperimentTemplateResponse>(request, cancellationToken);

    public Task<StartExperimentResponse> StartExperimentAsync(StartExperimentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<StartExperimentResponse>(request, cancellationToken);

    public Task<GetExperimentResponse> GetExperimentAsync(GetExperimentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<GetExperimentResponse>(request, cancellationToken);

    public Task<StopExperimentResponse> StopExperimentAsync(StopExperimentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<StopExperimentResponse>(request, cancellationToken);
}
