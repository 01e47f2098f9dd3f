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
/// metadata, whether the restored resource is there and usable, and how it is removed.
/// </summary>
internal abstract class RestorableKind
{
    private static readonly RestorableKind[] All = { new RdsInstance(), new DynamoDbTable() };

    /// <summary>The Backup resource type (RDS, DynamoDB).</summary>
    public abstract string ResourceType { get; }

    /// <summary>Restore metadata keys that name the restored resource, as Backup's restore metadata spells them.</summary>
    protected abstract string[] NameKeys { get; }

    public static IReadOnlyCollection<string> SupportedTypes { get; } = All.Select(kind => kind.ResourceType).ToArray();

    public static RestorableKind? For(string? resourceType) =>
        All.FirstOrDefault(kind => string.Equals(kind.ResourceType, resourceType, StringComparison.OrdinalIgnoreCase));

    /// <summary>Names the restored resource in the metadata Backup returned, so it never collides with the source.</summary>
    public void NameRestore(Dictionary<string, string> metadata, string name)
    {
        string key = NameKeys.FirstOrDefault(metadata.ContainsKey) ?? NameKeys[0];
        metadata[key] = name;
    }

    /// <summary>Null when the resource does not exist; otherwise its ARN and whether it is ready for use.</summary>
    public abstract Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken);

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
}
