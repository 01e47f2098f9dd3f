namespace CloudPatterns.Aws.Protocol;

/// <summary>The facts about one AWS service that its botocore model's metadata gives and the pipeline needs.</summary>
internal sealed class AwsServiceDescription
{
    private AwsServiceDescription(string serviceId, string endpointPrefix, string apiVersion, bool isGlobal)
    {
        ServiceId = serviceId;
        EndpointPrefix = endpointPrefix;
        ApiVersion = apiVersion;
        IsGlobal = isGlobal;
    }

    public static AwsServiceDescription Organizations { get; } = new("Organizations", "organizations", "2016-11-28", isGlobal: true);

    public static AwsServiceDescription Backup { get; } = new("Backup", "backup", "2018-11-15", isGlobal: false);

    public static AwsServiceDescription CloudFormation { get; } = new("CloudFormation", "cloudformation", "2010-05-15", isGlobal: false);

    public static AwsServiceDescription CloudWatch { get; } = new("CloudWatch", "monitoring", "2010-08-01", isGlobal: false);

    public static AwsServiceDescription Rds { get; } = new("RDS", "rds", "2014-10-31", isGlobal: false);

    public static AwsServiceDescription DynamoDb { get; } = new("DynamoDB", "dynamodb", "2012-08-10", isGlobal: false);

    public static AwsServiceDescription Ec2 { get; } = new("EC2", "ec2", "2016-11-15", isGlobal: false);

    public static AwsServiceDescription Iam { get; } = new("IAM", "iam", "2010-05-08", isGlobal: true);

    public static AwsServiceDescription Acm { get; } = new("ACM", "acm", "2015-12-08", isGlobal: false);

    public static AwsServiceDescription AutoScaling { get; } = new("Auto Scaling", "autoscaling", "2011-01-01", isGlobal: false);

    public static AwsServiceDescription ElasticLoadBalancingV2 { get; } = new("Elastic Load Balancing v2", "elasticloadbalancing", "2015-12-01", isGlobal: false);

    public static AwsServiceDescription Efs { get; } = new("EFS", "elasticfilesystem", "2015-02-01", isGlobal: false);

    public static AwsServiceDescription Fis { get; } = new("fis", "fis", "2020-12-01", isGlobal: false);

    public static AwsServiceDescription Sns { get; } = new("SNS", "sns", "2010-03-31", isGlobal: false);

    /// <summary>Route 53 is global; its endpoint has no region in it (route53.amazonaws.com, botocore's globalEndpoint).</summary>
    public static AwsServiceDescription Route53 { get; } = new("Route 53", "route53", "2013-04-01", isGlobal: true) { HostWithoutRegion = true };

    /// <summary>The model's serviceId; the SDK derives <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> from it.</summary>
    public string ServiceId { get; }

    /// <summary>Host prefix and SigV4 signing name (the same for every service here).</summary>
    public string EndpointPrefix { get; }

    public string ApiVersion { get; }

    /// <summary>A global service is served and signed in its partition's global region (us-east-1 in aws).</summary>
    public bool IsGlobal { get; }

    /// <summary>Whether the endpoint is <c>{prefix}.{dnsSuffix}</c> rather than <c>{prefix}.{region}.{dnsSuffix}</c>.</summary>
    public bool HostWithoutRegion { get; private init; }
}
