using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Core.Deployment;

namespace CloudPatterns.Core.DisasterRecovery.Orchestration;

/// <summary>
/// The DR-Orchestrator as Set-CrossAccountBackup deploys it (docs/orchestrator.md, "Deployment"): the function's package
/// in the evidence bucket, and templates/disaster-recovery/orchestrator.yaml in the vault account's primary region. The
/// names the other stacks need (the execution role, the DR account's restore role, the event bus) follow from the
/// settings, so no stack waits on another account's outputs.
/// </summary>
internal static class OrchestratorDeployment
{
    public const string StackName = "cloudpatterns-dr-orchestrator";

    /// <summary>The function's name; also its execution role's and the role it assumes in the DR account.</summary>
    public const string FunctionName = "cloudpatterns-dr-orchestrator";

    /// <summary>The pilot-light stack's restore role gets this fixed name when the orchestrator is deployed.</summary>
    public const string RestoreRoleName = "CloudPatternsDrRestoreRole";

    /// <summary>Packages are kept under this prefix of the evidence bucket, one key per content hash, under Object Lock.</summary>
    public const string CodePrefix = "dr-orchestrator-code/";

    private const string PendingOutput = "pending-evidence-stack";

    public static string ExecutionRoleArn(CrossAccountBackupSettings settings) => $"arn:aws:iam::{settings.VaultAccountId}:role/{FunctionName}";

    public static string EventBusArn(CrossAccountBackupSettings settings) => $"arn:aws:events:{settings.PrimaryRegion}:{settings.VaultAccountId}:event-bus/default";

    public static string RestoreRoleArn(string drAccountId) => $"arn:aws:iam::{drAccountId}:role/service-role/{RestoreRoleName}";

    /// <summary>The package's key: its SHA-256, so the same package is uploaded once and a new one updates the function.</summary>
    public static string CodeKey(string packagePath)
    {
        using var sha = SHA256.Create();
        using var package = File.OpenRead(packagePath);
        var hash = BitConverter.ToString(sha.ComputeHash(package)).Replace("-", string.Empty).ToLowerInvariant();
        return $"{CodePrefix}CloudPatterns.Lambda-{hash}.zip";
    }

    /// <summary>The stack's parameters that follow from the settings; the evidence stack's are added by <see cref="PrepareAsync"/>.</summary>
    public static void Parameters(CrossAccountBackupSettings settings, string organizationId, string drAccountId, IDictionary<string, string> parameters)
    {
        parameters["OrganizationId"] = organizationId;
        parameters["CodeBucket"] = settings.EffectiveEvidenceBucketName;
        parameters["CodeKey"] = CodeKey(settings.OrchestratorPackagePath);
        parameters["FunctionName"] = FunctionName;
        parameters["DrRegion"] = settings.DrRegion;
        parameters["VaultName"] = settings.VaultName;
        parameters["DrAccountId"] = drAccountId;
        parameters["DrVaultName"] = CrossAccountBackupSetup.PilotLightVaultName;
        parameters["DrAccountRoleName"] = FunctionName;
        parameters["RestoreRoleArn"] = RestoreRoleArn(drAccountId);
        parameters["EvidenceBucketName"] = settings.EffectiveEvidenceBucketName;
        parameters["RtoMinutes"] = ((long)settings.RtoTarget.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        parameters["RpoHours"] = ((long)settings.RpoTarget.TotalHours).ToString(CultureInfo.InvariantCulture);
        parameters["CoverageDays"] = ((long)settings.CoverageWindow.TotalDays).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Fills in the keys of the evidence stack and the central vault's alert topic (deployed before, in this account
    /// and region), and uploads the package unless it is there or this is a preview.
    /// </summary>
    public static async Task PrepareAsync(AwsTarget vaultAccount, CrossAccountBackupSettings settings, StackDeploymentRequest request, bool preview, CancellationToken cancellationToken)
    {
        var stacks = new StackDeployment(vaultAccount);
        var evidence = await stacks.DescribeAsync(CrossAccountBackupSetup.EvidenceStack, cancellationToken).ConfigureAwait(false);
        var vault = await stacks.DescribeAsync(CrossAccountBackupSetup.CentralVaultStack, cancellationToken).ConfigureAwait(false);
        request.Parameters["EvidenceKeyArn"] = Output(evidence?.Outputs, "SigningKeyArn");
        request.Parameters["EvidenceBucketKeyArn"] = Output(evidence?.Outputs, "KeyArn");
        request.Parameters["AlertTopicArn"] = vault?.Outputs.TryGetValue("FailedJobsTopicArn", out var topic) == true ? topic : string.Empty;
        if (!preview)
        {
            await UploadAsync(vaultAccount.S3, settings, request.Parameters["CodeKey"], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Output(IReadOnlyDictionary<string, string>? outputs, string name) =>
        outputs is not null && outputs.TryGetValue(name, out var value) ? value : PendingOutput;

    private static async Task UploadAsync(IAmazonS3 s3, CrossAccountBackupSettings settings, string key, CancellationToken cancellationToken)
    {
        var bucket = settings.EffectiveEvidenceBucketName;
        try
        {
            await Transient.RetryAsync(token => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, token), cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Not uploaded yet.
        }

        // The bucket has a default Object Lock retention, so every upload carries a checksum.
        var package = File.ReadAllBytes(settings.OrchestratorPackagePath);
        await Transient.RetryAsync(
            token => s3.PutObjectAsync(
                new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(package), ContentType = "application/zip", ChecksumAlgorithm = ChecksumAlgorithm.SHA256 },
                token),
            cancellationToken).ConfigureAwait(false);
    }
}
