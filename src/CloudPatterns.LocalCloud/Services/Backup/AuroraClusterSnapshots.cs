using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// What AWS Backup does with an Aurora cluster (docs/localcloud-backup-kinds.md, "Aurora clusters"): the backup is a
/// cluster snapshot (ARN <c>cluster-snapshot:awsbackup:job-…</c>, <see cref="RecoveryPoint.NewArn(string, string, ResourceKind, string, string)"/>);
/// its restore metadata carries RestoreDBClusterFromSnapshot's parameters; a restore creates the cluster alone,
/// without DB instances, with a new resource id and deletion protection off.
/// </summary>
internal static class AuroraClusterSnapshots
{
    /// <summary>The cluster's settings GetRecoveryPointRestoreMetadata shows: parameters of RestoreDBClusterFromSnapshot.</summary>
    private static readonly string[] MetadataKeys = ["Engine", "EngineVersion", "Port", "DatabaseName", "KmsKeyId", RdsService.SubnetGroupAttribute, RdsService.SecurityGroupsAttribute];

    /// <summary>Where a restored cluster goes: keys a restore may give even when the snapshot's cluster had none.</summary>
    private static readonly string[] PlacementKeys = [RdsService.SubnetGroupAttribute, RdsService.SecurityGroupsAttribute];

    /// <summary>The restore metadata of a cluster snapshot: its identifier and RestoreDBClusterFromSnapshot's settings.</summary>
    public static Dictionary<string, string> RestoreMetadata(CloudResource cluster)
    {
        var metadata = MetadataKeys.Where(cluster.Attributes.ContainsKey).ToDictionary(key => key, key => cluster.Attributes[key], StringComparer.Ordinal);
        metadata["DBClusterIdentifier"] = cluster.Name;
        return metadata;
    }

    /// <summary>
    /// Refuses, at StartRestoreJob, a cluster identifier RDS would refuse and an engine other than the snapshot's
    /// (a snapshot restores only into its own engine; inferred wording).
    /// </summary>
    public static void CheckRestore(CloudResource cluster, IReadOnlyDictionary<string, string> metadata)
    {
        var identifier = metadata.GetValueOrDefault("DBClusterIdentifier") ?? "";
        if (!RdsService.ClusterIdentifierPattern().IsMatch(identifier))
        {
            throw BackupErrors.InvalidParameterValue($"Invalid DBClusterIdentifier {identifier}: 1 to 63 letters, digits or hyphens, a letter first, no trailing hyphen and no two hyphens in a row.");
        }

        var engine = cluster.Attributes.GetValueOrDefault("Engine");
        if (metadata.GetValueOrDefault("Engine") is { } asked && engine is not null && asked != engine)
        {
            throw BackupErrors.InvalidParameterValue($"Invalid Engine {asked}: this cluster snapshot restores only as {engine}.");
        }
    }

    /// <summary>The restored cluster's name (RDS keeps identifiers lower case) and attributes.</summary>
    public static (string Name, Dictionary<string, string> Attributes) Restored(CloudResource cluster, IReadOnlyDictionary<string, string> metadata)
    {
        var attributes = cluster.Attributes
            .Where(attribute => attribute.Key is not (RdsService.DeletionProtectionAttribute or AuroraClusters.WriterAttribute))
            .ToDictionary(attribute => attribute.Key, attribute => metadata.GetValueOrDefault(attribute.Key, attribute.Value), StringComparer.Ordinal);
        foreach (var key in PlacementKeys.Where(metadata.ContainsKey))
        {
            attributes[key] = metadata[key];
        }

        attributes["DbClusterResourceId"] = "cluster-" + ResourceKind.RandomHex(26).ToUpperInvariant();
        return (metadata["DBClusterIdentifier"].ToLowerInvariant(), attributes);
    }
}
