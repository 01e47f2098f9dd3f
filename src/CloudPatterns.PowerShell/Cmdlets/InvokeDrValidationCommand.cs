using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core;
using CloudPatterns.Core.DisasterRecovery;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>
/// Invoke-DrValidation: restores the latest recovery point of each protected resource in a vault, checks it against
/// RTO/RPO targets (and the user's validator), deletes it again and stores the evidence, per account × region.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DrValidation", SupportsShouldProcess = true)]
[OutputType(typeof(DrValidationResult))]
public sealed class InvokeDrValidationCommand : FanOutCmdlet
{
    private readonly SemaphoreSlim _evidenceGate = new(1, 1);
    private EvidenceStore? _evidence;

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BackupVaultName))]
    public string BackupVaultName { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.BucketName))]
    public string EvidenceBucket { get; set; } = "";

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.AccountId))]
    public string? EvidenceAccountId { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? EvidenceRegion { get; set; }

    /// <summary>The KMS key that signs the evidence (id, ARN or alias); default: the evidence template's alias for the bucket.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EvidenceSigningKeyId { get; set; }

    [Parameter]
    [ValidateRange(1, 36500)]
    public int EvidenceRetentionDays { get; set; } = EvidenceStore.DefaultRetentionDays;

    [Parameter]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    [Parameter]
    public TimeSpan RtoTarget { get; set; } = TimeSpan.FromHours(4);

    [Parameter]
    public TimeSpan RpoTarget { get; set; } = TimeSpan.FromHours(24);

    [Parameter]
    [ValidateSet("RDS", "DynamoDB", "EBS")]
    public string[]? ResourceType { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ResourceArn { get; set; }

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.IamRoleArn))]
    public string? IamRoleArn { get; set; }

    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(12);

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MetricNamespace { get; set; } = "CloudPatterns/DisasterRecovery";

    [Parameter]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.SnsTopicArn))]
    public string? AlertTopicArn { get; set; }

    /// <summary>Run with the restored resource as $_ and first argument; fails the check by throwing or returning $false.</summary>
    [Parameter]
    public ScriptBlock? Validator { get; set; }

    protected override bool ShouldRun(FanOutTarget target) =>
        ShouldProcess($"vault {BackupVaultName} in {target.AccountId} {target.Region}",
            $"Restore the latest recovery point of each protected resource, validate it, delete it, and write evidence to s3://{EvidenceBucket}");

    protected override async IAsyncEnumerable<object> RunTargetAsync(AwsSession session, FanOutTarget target, [EnumeratorCancellation] CancellationToken cancellation)
    {
        if (PollInterval <= TimeSpan.Zero || Timeout <= TimeSpan.Zero || Window <= TimeSpan.Zero)
        {
            throw new ArgumentException("-PollInterval, -Timeout and -Window must be longer than zero.");
        }

        EvidenceStore evidence = await GetEvidenceStoreAsync(session, cancellation).ConfigureAwait(false);
        var patterns = ResourceArn?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
        var options = new DrValidationOptions
        {
            BackupVaultName = BackupVaultName,
            Window = Window,
            ResourceTypes = ResourceType,
            ResourceFilter = patterns is null ? null : arn => patterns.Any(p => p.IsMatch(arn)),
            RtoTarget = RtoTarget,
            RpoTarget = RpoTarget,
            IamRoleArn = IamRoleArn,
            PollInterval = PollInterval,
            Timeout = Timeout,
            MetricNamespace = MetricNamespace,
            AlertTopicArn = AlertTopicArn,
            Validator = Validator is null ? null : RunValidatorAsync,
            ToolVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(InvokeDrValidationCommand).Assembly.GetName().Version.ToString(),
        };
        var queue = Pipeline!;
        var progress = new ProgressCallback<DrValidationProgress>(step => queue.Post(() =>
            WriteProgress(new ProgressRecord(2, $"DR validation {step.AccountId} {step.Region}", step.Activity) { ParentActivityId = 1, CurrentOperation = step.ResourceArn })));
        await foreach (DrValidationResult result in DrValidation.RunAsync(session, target, evidence, options, progress, cancellation).ConfigureAwait(false))
        {
            foreach (string warning in result.Warnings)
            {
                queue.Post(() => WriteWarning(warning));
            }

            yield return result;
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            base.EndProcessing();
        }
        finally
        {
            _evidence?.Dispose();
            _evidenceGate.Dispose();
        }
    }

    /// <summary>One evidence store (one run id, one chain) for every target of this invocation.</summary>
    private async Task<EvidenceStore> GetEvidenceStoreAsync(AwsSession session, CancellationToken cancellation)
    {
        await _evidenceGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_evidence is null)
            {
                AwsTarget bucketTarget = await session.GetTargetAsync(EvidenceAccountId ?? session.CallerAccountId, EvidenceRegion, cancellation).ConfigureAwait(false);
                var signer = new KmsEvidenceSigner(bucketTarget.Kms, EvidenceSigningKeyId ?? EvidenceSigningKey.DefaultAlias(EvidenceBucket));
                _evidence = new EvidenceStore(bucketTarget.S3, signer, EvidenceBucket, EvidenceRetentionDays, DateTime.UtcNow);
            }

            return _evidence;
        }
        finally
        {
            _evidenceGate.Release();
        }
    }

    /// <summary>Runs -Validator on the pipeline thread (script blocks belong to its runspace) and waits for its verdict.</summary>
    private async Task<EvidenceCheck> RunValidatorAsync(RestoredResource resource, CancellationToken cancellation)
    {
        var verdict = new TaskCompletionSource<EvidenceCheck>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellation.Register(() => verdict.TrySetCanceled()))
        {
            Pipeline!.Post(() =>
            {
                try
                {
                    var output = Validator!.InvokeWithContext(null, new List<PSVariable> { new("_", resource) }, resource);
                    bool refused = output.Any(item => item?.BaseObject is false);
                    string said = string.Join("; ", output.Where(item => item is not null && item.BaseObject is not bool).Select(item => item.ToString()));
                    verdict.TrySetResult(new EvidenceCheck
                    {
                        Name = DrValidation.UserValidator,
                        Outcome = refused ? CheckOutcome.Failed : CheckOutcome.Passed,
                        Detail = said.Length > 0 ? said : refused ? "The validator returned $false." : "The validator passed.",
                    });
                }
                catch (RuntimeException error)
                {
                    verdict.TrySetResult(new EvidenceCheck { Name = DrValidation.UserValidator, Outcome = CheckOutcome.Failed, Detail = $"The validator failed: {error.Message}" });
                }
            });
            return await verdict.Task.ConfigureAwait(false);
        }
    }
}
