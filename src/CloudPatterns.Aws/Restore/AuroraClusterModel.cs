using System.Collections.Generic;
using Amazon.Runtime;

// Shapes of RDS 2014-10-31 (botocore model) for Aurora clusters, members named as on the wire; only what a restore
// validation of a cluster reads and sends.
namespace CloudPatterns.Aws.Restore;

public sealed class DescribeDBClustersRequest : AmazonWebServiceRequest
{
    public string? DBClusterIdentifier { get; set; }
}

public sealed class DescribeDBClustersResponse : AmazonWebServiceResponse
{
    public List<DBCluster> DBClusters { get; set; } = new();
}

public sealed class DBCluster
{
    public string? DBClusterIdentifier { get; set; }

    public string? DBClusterArn { get; set; }

    public string? Engine { get; set; }

    /// <summary>available, creating, failing-over…</summary>
    public string? Status { get; set; }

    /// <summary>The cluster (writer) endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>A cluster's deletion protection (its instances have none of their own).</summary>
    public bool? DeletionProtection { get; set; }

    public List<DBClusterMember> DBClusterMembers { get; set; } = new();
}

public sealed class DBClusterMember
{
    public string? DBInstanceIdentifier { get; set; }

    public bool? IsClusterWriter { get; set; }
}

public sealed class CreateDBInstanceRequest : AmazonWebServiceRequest
{
    public string? DBInstanceIdentifier { get; set; }

    public string? DBInstanceClass { get; set; }

    public string? Engine { get; set; }

    public string? DBClusterIdentifier { get; set; }
}

public sealed class CreateDBInstanceResponse : AmazonWebServiceResponse
{
    public DBInstance? DBInstance { get; set; }
}

public sealed class DeleteDBClusterRequest : AmazonWebServiceRequest
{
    public string? DBClusterIdentifier { get; set; }

    public bool? SkipFinalSnapshot { get; set; }
}

public sealed class DeleteDBClusterResponse : AmazonWebServiceResponse
{
    public DBCluster? DBCluster { get; set; }
}
