using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Diagnostics;

/// <summary>Outermost pipeline handler: times each call including the SDK's retries and reports its outcome.</summary>
internal sealed class AwsCallDiagnosticsHandler : PipelineHandler
{
    private readonly AwsCallObserver observer;
    private readonly string? accountId;
    private readonly string region;

    public AwsCallDiagnosticsHandler(AwsCallObserver observer, string? accountId, string region)
    {
        this.observer = observer;
        this.accountId = accountId;
        this.region = region;
    }

    public override void InvokeSync(IExecutionContext executionContext)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            base.InvokeSync(executionContext);
            Report(executionContext, stopwatch, null);
        }
        catch (Exception exception)
        {
            Report(executionContext, stopwatch, exception);
            throw;
        }
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            T response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            Report(executionContext, stopwatch, null);
            return response;
        }
        catch (Exception exception)
        {
            Report(executionContext, stopwatch, exception);
            throw;
        }
    }

    private void Report(IExecutionContext executionContext, Stopwatch stopwatch, Exception? exception)
    {
        IRequestContext request = executionContext.RequestContext;
        int? status = exception switch
        {
            AmazonServiceException aws => (int)aws.StatusCode,
            null => (int?)executionContext.ResponseContext.HttpResponse?.StatusCode,
            _ => null,
        };
        observer.Report(new AwsCallRecord(
            request.ServiceMetaData.ServiceId,
            WireProtocol.OperationName(request.RequestName),
            accountId,
            // The region the call was signed for: a global service's (Organizations: us-east-1), not the target's.
            string.IsNullOrEmpty(request.Request?.DeterminedSigningRegion) ? region : request.Request!.DeterminedSigningRegion,
            status,
            (exception as AmazonServiceException)?.ErrorCode ?? exception?.GetType().Name,
            request.Retries,
            stopwatch.Elapsed));
    }
}
