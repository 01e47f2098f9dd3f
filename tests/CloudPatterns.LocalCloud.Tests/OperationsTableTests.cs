using CloudPatterns.LocalCloud.Hosting;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>docs/localcloud-operations.md is generated from the service registrations and must match them.</summary>
public sealed class OperationsTableTests
{
    [Fact]
    public void CommittedOperationsTable_MatchesTheRegisteredOperations()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var committed = File.ReadAllText(Path.Combine(directory.FullName, "docs", "localcloud-operations.md"));

        Assert.True(
            committed == OperationsTable.Render(),
            "docs/localcloud-operations.md differs from LocalCloud's registered operations. Regenerate it: " +
            "dotnet src/CloudPatterns.LocalCloud/bin/Debug/net10.0/CloudPatterns.LocalCloud.dll --operations-table > docs/localcloud-operations.md");
    }

    [Fact]
    public void Table_ListsEveryServiceWithItsOperations()
    {
        var table = OperationsTable.Render();

        Assert.Contains("| S3 | `s3` | REST-XML | CopyObject, CreateBucket, DeleteBucket,", table, StringComparison.Ordinal);
        Assert.Contains("| CloudWatch | `monitoring` | JSON 1.0 (awsQueryCompatible) and Query | DeleteAlarms, DescribeAlarms, GetMetricData,", table, StringComparison.Ordinal);
        Assert.Contains("| SNS | `sns` | Query | CreateTopic,", table, StringComparison.Ordinal);
    }
}
