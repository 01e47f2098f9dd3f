using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// A resource type a validation can restore, look at and delete again: how its restore is named in the restore
/// metadata (or, where AWS names it, how the restore job tells the name), whether the restored resource is there and
/// usable, and how it is removed.
/// </summary>
internal abstract partial class RestorableKind
{
    private static readonly RestorableKind[] All = { new RdsInstance(), new AuroraCluster(), new DynamoDbTable(), new EbsVolume(), new S3Bucket(), new Ec2Instance(), new EfsFileSystem() };

    /// <summary>The Backup resource type (RDS, Aurora, DynamoDB, EBS, S3, EC2, EFS).</summary>
    public abstract string ResourceType { get; }

    /// <summary>
    /// Restore metadata keys that name the restored resource, as Backup's restore metadata spells them; none where
    /// AWS generates the name (see <see cref="RestoredName"/>).
    /// </summary>
    protected abstract string[] NameKeys { get; }

    /// <summary>Whether the restore gets the name the validation chose; otherwise AWS names it and the job tells.</summary>
    public bool NamedByCaller => NameKeys.Length > 0;

    public static IReadOnlyCollection<string> SupportedTypes { get; } = All.Select(kind => kind.ResourceType).ToArray();

    public static RestorableKind? For(string? resourceType) =>
        All.FirstOrDefault(kind => string.Equals(kind.ResourceType, resourceType, StringComparison.OrdinalIgnoreCase));

    /// <summary>Names the restored resource in the metadata Backup returned, so it never collides with the source.</summary>
    public virtual void NameRestore(Dictionary<string, string> metadata, string name)
    {
        if (!NamedByCaller)
        {
            return;
        }

        string key = NameKeys.FirstOrDefault(metadata.ContainsKey) ?? NameKeys[0];
        metadata[key] = name;
    }

    /// <summary>
    /// The name of what the restore created: the chosen name, or where AWS names it, the last part of the restore
    /// job's CreatedResourceArn (null while the job has created nothing).
    /// </summary>
    public string? RestoredName(string chosenName, string? createdResourceArn) =>
        NamedByCaller ? chosenName : createdResourceArn?.Substring(createdResourceArn.LastIndexOf('/') + 1);

    /// <summary>Null when the resource does not exist; otherwise its ARN and whether it is ready for use.</summary>
    public abstract Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken);

    /// <summary>
    /// What a check judges: <see cref="DescribeAsync"/>, or for a kind whose restore is still settling when its job ends
    /// (an instance booting and running its first status checks) the first look once it has settled, within the kind's
    /// own bound.
    /// </summary>
    public virtual Task<(string? Arn, bool Available, string Status)?> DescribeSettledAsync(AwsTarget target, string name, CancellationToken cancellationToken) =>
        DescribeAsync(target, name, cancellationToken);

    public abstract Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken);

    protected static bool IsNotFound(AmazonServiceException error, string code) =>
        error.ErrorCode == code || error.StatusCode == System.Net.HttpStatusCode.NotFound;

    private sealed class RdsInstance : RestorableKind
    {
        public override string ResourceType => "RDS";

        protected override string[] NameKeys { get; } = { "DBInstanceIdentifier" };

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            try
            {
                DescribeDBInstancesResponse found = await target.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { DBInstanceIdentifier = name }, cancellationToken).ConfigureAwait(false);
                DBInstance? instance = found.DBInstances.FirstOrDefault();
                return instance is null ? null : (instance.DBInstanceArn, instance.DBInstanceStatus == "available", instance.DBInstanceStatus ?? "unknown");
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "DBInstanceNotFound"))
            {
                return null;
            }
        }

        public override Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken) =>
            target.Rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = name, SkipFinalSnapshot = true, DeleteAutomatedBackups = true }, cancellationToken);
    }

    private sealed class DynamoDbTable : RestorableKind
    {
        public override string ResourceType => "DynamoDB";

        protected override string[] NameKeys { get; } = { "TargetTableName", "targetTableName" };

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            try
            {
                DescribeTableResponse found = await target.DynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = name }, cancellationToken).ConfigureAwait(false);
                return found.Table is null ? null : (found.Table.TableArn, found.Table.TableStatus == "ACTIVE", found.Table.TableStatus ?? "unknown");
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "ResourceNotFoundException"))
            {
                return null;
            }
        }

        public override Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken) =>
            target.DynamoDb.DeleteTableAsync(new DeleteTableRequest { TableName = name }, cancellationToken);
    }

    /// <summary>An EBS volume: AWS names the restored volume (vol-…), so its id comes from the restore job.</summary>
    private sealed class EbsVolume : RestorableKind
    {
        public override string ResourceType => "EBS";

        protected override string[] NameKeys { get; } = Array.Empty<string>();

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            try
            {
                DescribeVolumesResponse found = await target.Ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = new List<string> { name } }, cancellationToken).ConfigureAwait(false);
                Volume? volume = found.Volumes.FirstOrDefault();
                // DescribeVolumes gives no ARN; the restore job's CreatedResourceArn is the volume's.
                return volume is null ? null : (null, volume.State == "available", volume.State ?? "unknown");
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "InvalidVolume.NotFound"))
            {
                return null;
            }
        }

        public override Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken) =>
            target.Ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = name }, cancellationToken);
    }
}
