using System.Security.Cryptography;
using System.Text;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// RDS endpoints as RDS names them (docs/localcloud-rds.md): identifier, a per account and region hash, region. An
/// instance's names the instance, not a host, so it stays the same through a Multi-AZ failover; an Aurora cluster's
/// writer endpoint ("cluster-") and reader endpoint ("cluster-ro-") stay too and follow the writer.
/// </summary>
internal static class RdsEndpoint
{
    public static string Host(CloudResource instance) => $"{instance.Name}.{Suffix(instance)}";

    /// <summary>The cluster (writer) endpoint of an Aurora cluster.</summary>
    public static string ClusterHost(CloudResource cluster) => $"{cluster.Name}.cluster-{Suffix(cluster)}";

    /// <summary>The reader endpoint of an Aurora cluster.</summary>
    public static string ReaderHost(CloudResource cluster) => $"{cluster.Name}.cluster-ro-{Suffix(cluster)}";

    public static string Port(string engine) =>
        engine.Contains("postgres", StringComparison.Ordinal) ? "5432" : engine.Contains("sqlserver", StringComparison.Ordinal) ? "1433" : engine.Contains("oracle", StringComparison.Ordinal) ? "1521" : "3306";

    private static string Suffix(CloudResource resource) =>
        $"c{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resource.AccountId + resource.Region)))[..11]}.{resource.Region}.rds.{(resource.Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}";
}
