using System;
using System.Collections.Generic;
using Amazon.Runtime;

// Shapes of RDS 2014-10-31 and DynamoDB 2012-08-10 (botocore models), members named as on the wire; only what a
// restore validation reads.
namespace CloudPatterns.Aws.Restore;

public sealed class DescribeDBInstancesRequest : AmazonWebServiceRequest
{
    public string? DBInstanceIdentifier { get; set; }
}

public sealed class DescribeDBInstancesResponse : AmazonWebServiceResponse
{
    public List<DBInstance> DBInstances { get; set; } = new();
}

public sealed class DeleteDBInstanceRequest : AmazonWebServiceRequest
{
    public string? DBInstanceIdentifier { get; set; }

    public bool? SkipFinalSnapshot { get; set; }

    public bool? DeleteAutomatedBackups { get; set; }
}

public sealed class DeleteDBInstanceResponse : AmazonWebServiceResponse
{
    public DBInstance? DBInstance { get; set; }
}

public sealed class DBInstance
{
    public string? DBInstanceIdentifier { get; set; }

    public string? DBInstanceArn { get; set; }

    public string? Engine { get; set; }

    /// <summary>available, creating, deleting…</summary>
    public string? DBInstanceStatus { get; set; }

    public DateTime? InstanceCreateTime { get; set; }

    /// <summary>While true, RDS refuses to delete the instance (and so CloudFormation to delete its stack).</summary>
    public bool? DeletionProtection { get; set; }
}

public sealed class DescribeTableRequest : AmazonWebServiceRequest
{
    public string? TableName { get; set; }
}

public sealed class DescribeTableResponse : AmazonWebServiceResponse
{
    public TableDescription? Table { get; set; }
}

public sealed class DeleteTableRequest : AmazonWebServiceRequest
{
    public string? TableName { get; set; }
}

public sealed class DeleteTableResponse : AmazonWebServiceResponse
{
    public TableDescription? TableDescription { get; set; }
}

public sealed class TableDescription
{
    public string? TableName { get; set; }

    public string? TableArn { get; set; }

    /// <summary>CREATING, UPDATING, DELETING, ACTIVE…</summary>
    public string? TableStatus { get; set; }

    public DateTime? CreationDateTime { get; set; }
}
