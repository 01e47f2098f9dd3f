using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that calls AWS: the common connection parameters, one <see cref="AwsSession"/> per
/// invocation (credentials resolved and the caller identified once, roles assumed once per account), verbose
/// reporting of every AWS call, and the error records every AWS cmdlet writes the same way.
/// </summary>
public abstract class AwsCmdlet : CloudPatternsCmdlet
{
    private AwsSession? _session;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionToken { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.RoleName))]
    public string RoleName { get; set; } = AwsConnectionSettings.DefaultRoleName;

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.ExternalId))]
    public string? ExternalId { get; set; }


    /// <summary>The region the session signs its own calls for (STS, Organizations); null = environment or profile.</summary>
    protected abstract string? ConnectionRegion { get; }

    /// <summary>The account the credentials belong to, once the session exists (targets default to it).</summary>
    protected string? CallerAccountId => _session?.CallerAccountId;

    /// <summary>The session's region, once it exists (targets default to it).</summary>
    protected string? SessionRegion => _session?.Region;

    /// <summary>
    /// The session for this invocation, created on first use from the pipeline thread's <see cref="RunOnWorker"/>.
    /// No credentials or an STS refusal end the command: nothing could work without them.
    /// </summary>
    protected async Task<AwsSession> GetSessionAsync(PipelineQueue queue, CancellationToken cancellation)
    {
        if (_session is not null)
        {
            return _session;
        }
        if ((AccessKey is null) != (SecretKey is null))
        {
            throw new AwsConnectionException("-AccessKey and -SecretKey go together: give both, or neither to use the default credential chain.");
        }
        var settings = new AwsConnectionSettings
        {
            Region = ConnectionRegion,
            ProfileName = ProfileName,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
            EndpointUrl = EndpointUrl,
            RoleName = RoleName,
            ExternalId = ExternalId,
            AwsCallCompleted = call => queue.Post(() => WriteVerbose(call.ToString())),
        };
        _session = await AwsSession.CreateAsync(settings, cancellation).ConfigureAwait(false);
        var session = _session;
        queue.Post(() => WriteDebug($"Credentials from {session.CredentialSource}; caller {session.CallerArn}; region {session.Region}; role in other accounts: {session.RoleName}."));
        return session;
    }

    /// <summary>
    /// Runs AWS work. Without credentials nothing can work: that ends the command. An AWS refusal of this one input
    /// item is a non-terminating error, so the pipeline goes on with the next item.
    /// </summary>
    protected void RunAws(Func<PipelineQueue, CancellationToken, Task> work, object? inputItem = null)
    {
        try
        {
            RunOnWorker(work);
        }
        catch (AwsConnectionException ex)
        {
            ThrowTerminating(ex, "AwsConnectionFailed", ErrorCategory.AuthenticationError, EndpointUrl ?? ProfileName);
        }
        catch (FanOutStoppedException ex)
        {
            ThrowTerminating(ex, "FailureToleranceReached", ErrorCategory.LimitsExceeded, FailureToleranceTarget);
        }
        catch (Exception ex) when (AwsFailure.Describe(ex) is { } failure)
        {
            WriteError(new ErrorRecord(ex, failure.ErrorCode, CategoryFor(failure.ErrorCode), inputItem)
            {
                ErrorDetails = new ErrorDetails(failure.Message) { RecommendedAction = failure.Hint ?? string.Empty },
            });
        }
    }

    /// <summary>The target object of the error written when -FailureTolerance stops a run.</summary>
    protected virtual object? FailureToleranceTarget => null;

    /// <summary>A target that failed: a non-terminating error carrying where, as whom, and what AWS said.</summary>
    protected void WriteTargetError(TargetFailure failure, object target)
    {
        var reason = failure.ErrorCode ?? failure.Exception.GetType().Name;
        var record = new ErrorRecord(failure.Exception, reason, CategoryFor(failure.ErrorCode), target)
        {
            ErrorDetails = new ErrorDetails($"{failure.AccountId} {failure.Region}: {failure.Message}")
            {
                RecommendedAction = failure.Hint ?? string.Empty,
            },
        };
        WriteError(record);
    }

    private static ErrorCategory CategoryFor(string? errorCode) => errorCode switch
    {
        null => ErrorCategory.NotSpecified,
        _ when errorCode.IndexOf("AccessDenied", StringComparison.Ordinal) >= 0 || errorCode == "UnauthorizedOperation" => ErrorCategory.PermissionDenied,
        _ when errorCode.IndexOf("NotFound", StringComparison.Ordinal) >= 0 => ErrorCategory.ObjectNotFound,
        _ when errorCode.IndexOf("Throttl", StringComparison.Ordinal) >= 0 => ErrorCategory.LimitsExceeded,
        _ when errorCode.IndexOf("Token", StringComparison.Ordinal) >= 0 || errorCode.IndexOf("Signature", StringComparison.Ordinal) >= 0 => ErrorCategory.AuthenticationError,
        _ when errorCode.IndexOf("Validation", StringComparison.Ordinal) >= 0 || errorCode.IndexOf("Invalid", StringComparison.Ordinal) >= 0 => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.InvalidOperation,
    };

    protected override void EndProcessing()
    {
        _session?.Dispose();
        _session = null;
        base.EndProcessing();
    }
}
