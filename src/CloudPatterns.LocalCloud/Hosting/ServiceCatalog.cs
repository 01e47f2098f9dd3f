using System.Collections.Frozen;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Acm;
using CloudPatterns.LocalCloud.Services.AutoScaling;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.DynamoDb;
using CloudPatterns.LocalCloud.Services.Ec2;
using CloudPatterns.LocalCloud.Services.Efs;
using CloudPatterns.LocalCloud.Services.Events;
using CloudPatterns.LocalCloud.Services.Fis;
using CloudPatterns.LocalCloud.Services.Elbv2;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Lambda;
using CloudPatterns.LocalCloud.Services.Logs;
using CloudPatterns.LocalCloud.Services.NetworkFirewall;
using CloudPatterns.LocalCloud.Services.Organizations;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.S3;
using CloudPatterns.LocalCloud.Services.Scheduler;
using CloudPatterns.LocalCloud.Services.Sns;
using CloudPatterns.LocalCloud.Services.Ram;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Route53;
using CloudPatterns.LocalCloud.Services.SecretsManager;
using CloudPatterns.LocalCloud.Services.Ssm;
using CloudPatterns.LocalCloud.Services.Sts;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>The one place services are registered: every emulated service, by its SigV4 signing name.</summary>
internal sealed class ServiceCatalog
{
    private readonly FrozenDictionary<string, IAwsService> services;

    // Registration order: Identify tries services in it, and S3 comes after the other REST services because its
    // path-style routes (/{bucket}/{key}) match almost any path.
    private readonly IAwsService[] registered;

    public ServiceCatalog(LocalCloudState state)
    {
        IAwsService[] all =
        [
            new StsService(state),
            new IamService(state.Iam, state.Clock, new Authorization.PolicySimulator(state)),
            new OrganizationsService(state.Organization, state.OrganizationTree, state.ServiceAccess, state.OrganizationPolicies) { Clock = state.Clock },
            new BackupService(state.Backup, state.Clock),
            new KmsService(state.Kms, state.Clock),
            new RdsService(state.Resources, state.RdsFailovers),
            new Ec2Service(state.Resources, state.Organization.Regions, state.Fleet, state.TransitGateways, state.Images, state.SecurityGroups, new RecordedVpcs(state.CloudFormation.Provisioners.Generic, state.RouteReplacements)),
            new RamService(state.Ram),
            new NetworkFirewallService(state.NetworkFirewall),
            new AutoScalingService(state.Fleet, state.Scaling),
            new Elbv2Service(state.Fleet),
            new DynamoDbService(state.Resources, state.DynamoDbItems),
            new CloudFormationService(state.CloudFormation, state.CloudFormationTemplates, state.StackSets,
                roleArn => Authorization.ServiceTrust.Allows(state.Iam, state.Organization.Id, roleArn, "cloudformation.amazonaws.com")),
            new SnsService(state.Sns),
            new CloudWatchService(state.CloudWatch, state.Sns),
            new SsmService(state.Ssm, state.Kms, state.Clock),
            new SecretsManagerService(state.Secrets, state.Clock),
            new LogsService(state.Logs),
            new LambdaService(state.Lambda, state.LambdaInvoker, state.Iam, state.S3, state.Organization.Id, new LambdaDestinationPermissions(state), state.Clock),
            new AcmService(state.Acm, state.Clock),
            new EventBridgeService(state.EventBuses, state.EventDelivery, state.Clock),
            new SchedulerService(state.Schedules, state.Clock),
            new Route53Service(state.Route53),
            new FisService(state.Fis),
            new EfsService(state.Efs),
            new S3Service(state.S3),
        ];
        registered = all;
        services = all.ToFrozenDictionary(service => service.SigningName, StringComparer.Ordinal);
    }

    /// <summary>Every emulated service.</summary>
    public IEnumerable<IAwsService> Services => registered;

    public IAwsService? Find(string? signingName) => signingName is null ? null : services.GetValueOrDefault(signingName);

    /// <summary>
    /// For a request whose credential scope could not be read (no or malformed Authorization), the service and
    /// operation it targets, so the refusal is written in that service's protocol and logged against it.
    /// </summary>
    public (IAwsService? Service, AwsOperationCall? Call) Identify(HttpContext http, byte[] body)
    {
        var looksLike = GuessProtocol(http.Request);
        foreach (var service in registered.Where(service => IsRest(service.Protocol) ? IsRest(looksLike) : service.Protocol == looksLike))
        {
            try
            {
                return (service, service.Resolve(http, body));
            }
            catch (AwsServiceException)
            {
                // Not this service's operation; try the next.
            }
        }

        return (null, null);
    }

    /// <summary>
    /// The protocol a request looks like from its shape alone: X-Amz-Target means JSON, a form means Query,
    /// anything else is REST (REST-XML, i.e. S3, when no service claims it).
    /// </summary>
    public static AwsProtocol GuessProtocol(HttpRequest request) =>
        request.Headers.ContainsKey("X-Amz-Target") ? AwsProtocol.Json
        : request.HasFormContentType || request.Query.ContainsKey("Action") ? AwsProtocol.Query
        : AwsProtocol.RestXml;

    private static bool IsRest(AwsProtocol protocol) => protocol is AwsProtocol.RestJson or AwsProtocol.RestXml or AwsProtocol.RestXmlErrorResponse;
}
