using System.Security.Cryptography;
using System.Text;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// A DB instance's endpoint: identifier, a per account and region hash, region, as RDS names them. It names the
/// instance, not a host, so it stays the same through a Multi-AZ failover.
/// </summary>
internal static class RdsEndpoint
{
    public static string Host(CloudResource instance) =>
        $"{instance.Name}.c{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(instance.AccountId + instance.Region)))[..11]}.{instance.Region}.rds.{(instance.Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}";

    public static string Port(string engine) =>
        engine.Contains("postgres", StringComparison.Ordinal) ? "5432" : engine.Contains("sqlserver", StringComparison.Ordinal) ? "1433" : engine.Contains("oracle", StringComparison.Ordinal) ? "1521" : "3306";
}
