using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that calls AWS: the common connection parameters, one <see cref="AwsSession"/> per
/// invocation (credentials resolved and the caller identified once, roles assumed once per account), and the one
/// skeleton every changing cmdlet runs (<see cref="RunPlan"/>): plan (no change) → ShouldProcess per step on the
/// pipeline thread → execute the approved steps with the fan-out engine, while the pipeline thread drains one queue
/// of results, progress, errors and prompts. Stands directly on PSCmdlet: with <see cref="FanOutCmdlet"/> and
/// <see cref="AuditEvidenceCmdlet"/> no cmdlet is more than two of our classes deep.
/// </summary>
public abstract class AwsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
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

    /// <summary>The role assumed in the caller's own account: a job role there (docs/least-privilege.md); none: the caller's credentials.</summary>
    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.RoleName))]
    public string? OwnAccountRoleName { get; set; }

    /// <summary>The region the session signs its own calls for (STS, Organizations); null = environment or profile.</summary>
    protected abstract string? ConnectionRegion { get; }

    /// <summary>The account the credentials belong to, once the session exists (targets default to it).</summary>
    protected string? CallerAccountId => _session?.CallerAccountId;

    /// <summary>The session's region, once it exists (targets default to it).</summary>
    protected string? SessionRegion => _session?.Region;

    /// <summary>The queue to the pipeline thread while a run is under way (for progress, warnings, a user's script block).</summary>
    protected PipelineQueue Queue => _queue ?? throw new InvalidOperationException("No run is under way.");

    private PipelineQueue? _queue;

    /// <summary>The target object of the error written when -FailureTolerance stops a run.</summary>
    protected virtual object? FailureToleranceTarget => null;

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// Runs AWS work off the pipeline thread with the session. Without credentials nothing can work: that ends the
    /// command. Any other failure of the work is a non-terminating error about <paramref name="inputItem"/>.
    /// </summary>
    /// <summary>The reason of the terminating error when a check before any change (<see cref="PreflightException"/>) fails.</summary>
    private protected virtual ErrorReason PreflightReason => ErrorReason.InvalidInvocation;

    protected void RunAws(Func<PipelineQueue, AwsSession, CancellationToken, Task> work, object? inputItem = null)
    {
        _verbose = VerboseInEffect;
        try
        {
            PipelineQueue.Run(this, _cancellation, async (queue, cancellation) =>
            {
                _queue = queue;
                var session = await GetSessionAsync(queue, cancellation).ConfigureAwait(false);
                await work(queue, session, cancellation).ConfigureAwait(false);
            });
        }
        catch (AwsConnectionException ex)
        {
            ThrowTerminating(ex, ErrorReason.AwsConnectionFailed, ErrorCategory.AuthenticationError, EndpointUrl ?? ProfileName);
        }
        catch (FanOutStoppedException ex)
        {
            ThrowTerminating(ex, ErrorReason.FailureToleranceReached, ErrorCategory.LimitsExceeded, FailureToleranceTarget);
        }
        catch (DrConfigurationNotFoundException ex)
        {
            ThrowTerminating(ex, ErrorReason.DrConfigurationNotFound, ErrorCategory.ObjectNotFound, ex.VaultAccountId);
        }
        catch (PreflightException ex)
        {
            ThrowTerminating(ex, PreflightReason, ErrorCategory.InvalidArgument, inputItem);
        }
        catch (Exception ex) when (AwsFailure.Describe(ex) is { } failure)
        {
            WriteError(ErrorRecords.For(failure, inputItem));
        }
        finally
        {
            _queue = null;
        }
    }

    /// <summary>
    /// The skeleton of a cmdlet that acts per account × region: <paramref name="planAsync"/> lists the steps (reading
    /// only); each step with an action is put to ShouldProcess on the pipeline thread (-WhatIf keeps steps that can
    /// show a preview, marked <see cref="PlannedStep.Preview"/>); the approved steps run per target through the
    /// fan-out engine, each target's values written as they come, a failing target written as a non-terminating error.
    /// </summary>
    protected void RunPlan(
        Func<AwsSession, CancellationToken, Task<IReadOnlyList<PlannedStep>>> planAsync,
        Func<AwsSession, FanOutTarget, IReadOnlyList<PlannedStep>, CancellationToken, IAsyncEnumerable<object>> executeAsync,
        int throttleLimit,
        int failureTolerance)
    {
        RunAws(async (queue, session, cancellation) =>
        {
            var approved = new List<PlannedStep>();
            foreach (var step in await planAsync(session, cancellation).ConfigureAwait(false))
            {
                if (step.Action is null || await queue.AskAsync(() => Approve(step), cancellation).ConfigureAwait(false))
                {
                    approved.Add(step);
                }
            }

            var byTarget = approved.GroupBy(step => (step.Target.AccountId, step.Target.Region)).Select(group => (IReadOnlyList<PlannedStep>)group.ToList()).ToList();
            var stepsOf = byTarget.ToDictionary(steps => steps[0].Target, steps => steps);
            var options = new FanOutOptions { ThrottleLimit = throttleLimit, FailureTolerance = failureTolerance > 0 ? failureTolerance : null };
            var finished = new HashSet<FanOutTarget>();
            queue.Progress(null, $"0 of {stepsOf.Count} targets", percentComplete: 0);
            await foreach (var item in FanOut.RunAsync(stepsOf.Keys, (target, token) => executeAsync(session, target, stepsOf[target], token), options, cancellation).ConfigureAwait(false))
            {
                if (item.Failure is { } failure)
                {
                    queue.Error(ErrorRecords.For(failure, item.Target));
                }
                else
                {
                    var value = item.Value!;
                    queue.Post(() => WriteResult(value));
                }

                if (finished.Add(item.Target))
                {
                    queue.Progress(null, $"{item.Target.AccountId} {item.Target.Region} ({finished.Count} of {stepsOf.Count} targets)", percentComplete: finished.Count * 100 / stepsOf.Count);
                }
            }
        });
    }

    /// <summary>Writes what a step produced, on the pipeline thread; a change-set preview becomes a what-if message.</summary>
    protected virtual void WriteResult(object value)
    {
        if (value is StackChangePreview preview)
        {
            WriteInformation(new HostInformationMessage { Message = WhatIfText.Describe(preview) }, new[] { "PSHOST", "WhatIf" });
        }
        else
        {
            WriteObject(value);
        }
    }

    /// <summary>
    /// True when -Force should skip the confirmation of a high-impact step. -WhatIf still only shows, so -Force needs
    /// to know whether -WhatIf is in effect before it skips ShouldProcess (which would otherwise prompt).
    /// </summary>
    protected virtual bool SkipsConfirmation => false;

    /// <summary>A terminating error with a reason from the closed list; the message says what to do.</summary>
    internal void ThrowTerminating(Exception exception, ErrorReason reason, ErrorCategory category, object? target) =>
        ThrowTerminatingError(ErrorRecords.Create(exception, reason, category, target));

    /// <summary>An invocation that cannot work (a bad combination of values): one terminating error before any target runs.</summary>
    protected void ThrowInvalidInvocation(string message, object? target) =>
        ThrowTerminating(new ArgumentException(message), ErrorReason.InvalidInvocation, ErrorCategory.InvalidArgument, target);

    protected override void EndProcessing()
    {
        _session?.Dispose();
        _session = null;
        base.EndProcessing();
    }

    public void Dispose()
    {
        _session?.Dispose();
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    private bool Approve(PlannedStep step)
    {
        if (SkipsConfirmation && !WhatIfInEffect)
        {
            return true;
        }

        var description = step.Caption is null ? $"Performing the operation \"{step.Action}\" on target \"{step.What}\"." : step.What;
        if (ShouldProcess(description, step.Warning ?? description, step.Caption, out var reason))
        {
            return step.Confirm is null || step.Confirm();
        }

        step.Preview = reason == ShouldProcessReason.WhatIf && step.CanPreview;
        return step.Preview;
    }

    /// <summary>
    /// -WhatIf (or $WhatIfPreference) is in effect. Only for what must be known before any step is asked: -Force
    /// skipping a high-impact prompt, a warning instead of a change before planning. Steps learn it from
    /// ShouldProcessReason.
    /// </summary>
    internal bool WhatIfInEffect =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true }
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>Whether -Verbose (or $VerbosePreference) shows verbose messages; read on the pipeline thread.</summary>
    private bool VerboseInEffect =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out var value)
            ? value is SwitchParameter { IsPresent: true }
            : LanguagePrimitives.TryConvertTo(SessionState.PSVariable.GetValue("VerbosePreference"), out ActionPreference preference)
                && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    private bool _verbose;

    private async Task<AwsSession> GetSessionAsync(PipelineQueue queue, CancellationToken cancellation)
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
            OwnAccountRoleName = OwnAccountRoleName,
            // Only when shown: every message wakes the pipeline thread, a cost per call a fan-out of thousands feels (docs/benchmarks.md).
            AwsCallCompleted = _verbose ? call => queue.Verbose(call.ToString()) : null,
        };
        _session = await AwsSession.CreateAsync(settings, cancellation).ConfigureAwait(false);
        var session = _session;
        queue.Debug($"Credentials from {session.CredentialSource}; caller {session.CallerArn}; region {session.Region}; role in other accounts: {session.RoleName}{(OwnAccountRoleName is { } own ? $"; in its own: {own}" : "")}.");
        return session;
    }
}

/// <summary>
/// One step a cmdlet plans: what it changes (put to ShouldProcess, <see cref="Action"/> null for steps that only
/// read), in which target, and the cmdlet's own data for it (<see cref="Item"/>, e.g. a stack name).
/// </summary>
public sealed class PlannedStep
{
    private PlannedStep(object target, string? what, string? action, object? item)
    {
        TargetObject = target;
        What = what ?? string.Empty;
        Action = action;
        Item = item;
    }

    /// <summary>A step that reads: run without asking.</summary>
    internal static PlannedStep Read(FanOutTarget target, object? item = null) => new(target, null, null, item);

    /// <summary>A step that changes <paramref name="what"/>: ShouldProcess(<paramref name="what"/>, <paramref name="action"/>).</summary>
    internal static PlannedStep Change(FanOutTarget target, string what, string action, object? item = null) => new(target, what, action, item);

    /// <summary>Marks the step as one that -WhatIf still runs, as a preview that changes nothing.</summary>
    internal PlannedStep Previewable()
    {
        CanPreview = true;
        return this;
    }

    // Typed as object so that the cmdlet types' signatures name no engine type (PowerShell reflects over them at import).
    private object TargetObject { get; }

    internal FanOutTarget Target => (FanOutTarget)TargetObject;

    /// <summary>What ShouldProcess names (the target text, or the whole message when <see cref="Caption"/> is set).</summary>
    public string What { get; }

    public string? Action { get; }

    public object? Item { get; }

    /// <summary>A confirmation caption and warning of their own (irreversible steps); the message is then <see cref="What"/>.</summary>
    public string? Caption { get; set; }

    public string? Warning { get; set; }

    /// <summary>A second question after ShouldProcess (ShouldContinue), for irreversible steps; asked on the pipeline thread.</summary>
    public Func<bool>? Confirm { get; set; }

    /// <summary>True when -WhatIf should still run the step as a preview (it reads what would change).</summary>
    public bool CanPreview { get; private set; }

    /// <summary>Set when the step runs as a -WhatIf preview: it must change nothing.</summary>
    public bool Preview { get; internal set; }
}
