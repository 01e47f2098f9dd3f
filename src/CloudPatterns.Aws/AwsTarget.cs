using System;
using Amazon.KeyManagementService;
using Amazon.S3;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.CertificateManager;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Iam;
using CloudPatterns.Aws.Monitoring;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Aws.Protocol;
using CloudPatterns.Aws.Restore;
using CloudPatterns.Aws.Storage;

namespace CloudPatterns.Aws;

/// <summary>One account in one region, with clients that sign as the caller (own account) or as the assumed role.</summary>
public sealed class AwsTarget : IDisposable
{
    private readonly AwsClientContext context;
    private readonly Lazy<OrganizationsClient> organizations;
    private readonly Lazy<BackupClient> backup;
    private readonly Lazy<CloudFormationClient> cloudFormation;
    private readonly Lazy<CloudWatchClient> cloudWatch;
    private readonly Lazy<SnsClient> sns;
    private readonly Lazy<IamClient> iam;
    private readonly Lazy<IAmazonS3> s3;
    private readonly Lazy<RdsClient> rds;
    private readonly Lazy<DynamoDbClient> dynamoDb;
    private readonly Lazy<Ec2Client> ec2;
    private readonly Lazy<IAmazonKeyManagementService> kms;
    private readonly Lazy<AcmClient> acm;
    private readonly Lazy<Fleet.AutoScalingClient> autoScaling;
    private readonly Lazy<Fleet.LoadBalancingClient> loadBalancing;
    private readonly Lazy<Routing.Route53Client> route53;
    private readonly Lazy<Fis.FisClient> fis;
    private readonly Lazy<EfsClient> efs;

    internal AwsTarget(AwsClientContext context, string? roleArn)
    {
        this.context = context;
        RoleArn = roleArn;
        organizations = new Lazy<OrganizationsClient>(() => new OrganizationsClient(context));
        backup = new Lazy<BackupClient>(() => new BackupClient(context));
        cloudFormation = new Lazy<CloudFormationClient>(() => new CloudFormationClient(context));
        cloudWatch = new Lazy<CloudWatchClient>(() => new CloudWatchClient(context));
        sns = new Lazy<SnsClient>(() => new SnsClient(context));
        iam = new Lazy<IamClient>(() => new IamClient(context));
        s3 = new Lazy<IAmazonS3>(() => SdkClients.S3(context));
        rds = new Lazy<RdsClient>(() => new RdsClient(context));
        dynamoDb = new Lazy<DynamoDbClient>(() => new DynamoDbClient(context));
        ec2 = new Lazy<Ec2Client>(() => new Ec2Client(context));
        kms = new Lazy<IAmazonKeyManagementService>(() => SdkClients.Kms(context));
        acm = new Lazy<AcmClient>(() => new AcmClient(context));
        autoScaling = new Lazy<Fleet.AutoScalingClient>(() => new Fleet.AutoScalingClient(context));
        loadBalancing = new Lazy<Fleet.LoadBalancingClient>(() => new Fleet.LoadBalancingClient(context));
        route53 = new Lazy<Routing.Route53Client>(() => new Routing.Route53Client(context));
        fis = new Lazy<Fis.FisClient>(() => new Fis.FisClient(context));
        efs = new Lazy<EfsClient>(() => new EfsClient(context));
    }

    public string AccountId => context.AccountId!;

    public string Region => context.Region;

    /// <summary>The role the clients act as; null in the caller's own account, where the caller's credentials are used.</summary>
    public string? RoleArn { get; }

    public OrganizationsClient Organizations => organizations.Value;

    public BackupClient Backup => backup.Value;

    public CloudFormationClient CloudFormation => cloudFormation.Value;

    public CloudWatchClient CloudWatch => cloudWatch.Value;

    public SnsClient Sns => sns.Value;

    public IamClient Iam => iam.Value;

    /// <summary>The SDK's S3 client (Object Lock, checksums and the S3 signing rules come with it).</summary>
    public IAmazonS3 S3 => s3.Value;

    public IAmazonKeyManagementService Kms => kms.Value;

    public RdsClient Rds => rds.Value;

    public DynamoDbClient DynamoDb => dynamoDb.Value;

    public Ec2Client Ec2 => ec2.Value;

    public AcmClient Acm => acm.Value;

    public Fleet.AutoScalingClient AutoScaling => autoScaling.Value;

    public Fleet.LoadBalancingClient LoadBalancing => loadBalancing.Value;

    public Routing.Route53Client Route53 => route53.Value;
    public Fis.FisClient Fis => fis.Value;

    public EfsClient Efs => efs.Value;

    /// <summary>
    /// The endpoint URL calls go to: -EndpointUrl, else AWS_ENDPOINT_URL as the SDK reads it (LocalCloud's), or null
    /// for AWS's own endpoints.
    /// </summary>
    public string? EndpointUrl => context.EndpointUrl ?? (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } url ? url : null);

    public void Dispose()
    {
        DisposeCreated(organizations);
        DisposeCreated(backup);
        DisposeCreated(cloudFormation);
        DisposeCreated(cloudWatch);
        DisposeCreated(sns);
        DisposeCreated(iam);
        DisposeCreated(s3);
        DisposeCreated(kms);
        DisposeCreated(rds);
        DisposeCreated(dynamoDb);
        DisposeCreated(ec2);
        DisposeCreated(acm);
        DisposeCreated(autoScaling);
        DisposeCreated(loadBalancing);
        DisposeCreated(route53);
        DisposeCreated(fis);
        DisposeCreated(efs);
    }

    private static void DisposeCreated<T>(Lazy<T> client)
        where T : IDisposable
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }
}
