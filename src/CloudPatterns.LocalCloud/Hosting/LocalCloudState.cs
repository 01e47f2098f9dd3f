using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Services.Acm;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;
using CloudPatterns.LocalCloud.Services.AutoScaling;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Ec2;
using CloudPatterns.LocalCloud.Services.Efs;
using CloudPatterns.LocalCloud.Services.Events;
using CloudPatterns.LocalCloud.Services.Fis;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Lambda;
using CloudPatterns.LocalCloud.Services.Logs;
using CloudPatterns.LocalCloud.Services.NetworkFirewall;
using CloudPatterns.LocalCloud.Services.Organizations;
using CloudPatterns.LocalCloud.Services.Ram;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;
using CloudPatterns.LocalCloud.Services.Route53;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;
using CloudPatterns.LocalCloud.Services.S3;
using CloudPatterns.LocalCloud.Services.Scheduler;
using CloudPatterns.LocalCloud.Services.SecretsManager;
using CloudPatterns.LocalCloud.Services.Sns;
using CloudPatterns.LocalCloud.Services.Ssm;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>Everything one LocalCloud instance holds in memory; each store is thread-safe.</summary>
internal sealed class LocalCloudState
{
    public LocalCloudState(SeedOrganization organization, LocalCloudClock clock, int requestLogSize = RequestLog.DefaultCapacity, int lambdaEnvironments = LocalCloudOptions.DefaultLambdaEnvironments)
    {
        Organization = organization;
        Clock = clock;
        RequestLog = new RequestLog(requestLogSize);
        Credentials = new CredentialStore(organization);
        Kms = new KmsStore(organization.Id, clock);
        Iam = new IamStore(organization);
        OrganizationTree = new OrganizationTree(organization);
        OrganizationPolicies = new OrganizationPolicyStore(organization, OrganizationTree, clock);
        Backup = new BackupStore(organization, Kms, Resources, Iam.RoleExists);
        var organizationPlans = new OrganizationBackupPlans(OrganizationPolicies, Backup, organization, clock);
        OrganizationPolicies.BackupPoliciesChanged += organizationPlans.Refresh;
        CloudFormation = new CloudFormationEngine(clock) { ParameterStore = Ssm, SecretStore = Secrets };
        StackSets = new StackSetStore(CloudFormation, organization, OrganizationTree, ServiceAccess, Iam.RoleExists,
            account => Iam.StackSetsExecutionRole(account, organization.ManagementAccountId, clock.GetUtcNow()), clock);
        CloudFormation.Provisioners.Register("AWS::KMS::Key", new KmsKeyProvisioner(Kms, clock));
        CloudFormation.Provisioners.Register("AWS::KMS::Alias", new KmsAliasProvisioner(Kms, clock));
        CloudFormation.Provisioners.Register("AWS::Backup::BackupVault", new BackupVaultProvisioner(Backup, clock));
        CloudFormation.Provisioners.Register("AWS::Backup::BackupPlan", new BackupPlanProvisioner(Backup, clock));
        CloudFormation.Provisioners.Register("AWS::Backup::BackupSelection", new BackupSelectionProvisioner(Backup, clock));
        CloudFormation.Provisioners.Register("AWS::IAM::Role", new IamRoleProvisioner(Iam, clock));
        CloudFormation.Provisioners.Register("AWS::IAM::Policy", new IamPolicyProvisioner(Iam, clock));
        CloudFormation.Provisioners.Register("AWS::IAM::RolePolicy", new IamRolePolicyProvisioner(Iam, clock));
        CloudFormation.Provisioners.Register("AWS::IAM::ManagedPolicy", new IamManagedPolicyProvisioner(Iam, clock));
        CloudFormation.Provisioners.Register("AWS::IAM::InstanceProfile", new IamInstanceProfileProvisioner(Iam, clock));
        S3 = new S3Store(clock);
        Backup.AddKind(new S3BucketKind(S3));
        CloudFormationTemplates = new S3TemplateSource(S3);
        CloudFormation.TemplateSource = CloudFormationTemplates;
        CloudFormation.ObjectReader = S3.ReadText;
        CloudFormation.ManagedPolicyPath = AwsManagedPolicyCatalogue.PathOf;
        Sns = new SnsStore(clock);
        CloudWatch = new CloudWatchStore(clock);
        Route53 = new Route53Store(clock) { AlarmState = (account, region, name) => CloudWatch.FindAlarm(account, region, name)?.StateValue };
        Logs = new LogsStore(clock);
        DeadLetters = new DeadLetters(Sns, clock);
        LambdaInvoker = new LambdaInvoker(LambdaRuntime, new LambdaConcurrency(lambdaEnvironments), Logs, DeadLetters, Iam, Credentials, clock);
        EventBuses = new EventBusStore(clock);
        EventDelivery = new EventDelivery(EventBuses, Lambda, LambdaInvoker, Sns, DeadLetters, CloudWatch, organization.Id, clock);
        LambdaInvoker.Destinations = new LambdaDestinations(Lambda, LambdaInvoker, DeadLetters, EventDelivery, clock);
        Backup.Events = EventDelivery.Emit;
        Schedules = new SchedulerStore(clock);
        var authorizer = new Authorization.RequestAuthorizer(this);
        Backup.RoleKeyAccess = authorizer.BackupJobKeyRefusal;
        ScheduleDelivery = new SchedulerDelivery(Schedules, Iam, Lambda, LambdaInvoker, Sns, DeadLetters, (caller, action, resource, region) => authorizer.AuthorizeOnBehalf(caller, action, resource, region, calledVia: null, passedToService: null).Decision, organization.Id);
        CloudFormation.Provisioners.Register("AWS::Events::Rule", new EventRuleProvisioner(EventBuses, clock));
        CloudFormation.Provisioners.Register("AWS::Events::EventBus", new EventBusProvisioner(EventBuses, clock));
        CloudFormation.Provisioners.Register("AWS::Events::EventBusPolicy", new EventBusPolicyProvisioner(EventBuses, clock));
        CloudFormation.Provisioners.Register("AWS::Scheduler::Schedule", new ScheduleProvisioner(Schedules, clock));
        CloudFormation.Provisioners.Register("AWS::Scheduler::ScheduleGroup", new ScheduleGroupProvisioner(Schedules, clock));
        CloudFormation.Provisioners.Register("AWS::Logs::LogGroup", new LogGroupProvisioner(Logs, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::Function", new LambdaFunctionProvisioner(Lambda, Iam, S3, organization.Id, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::Permission", new LambdaPermissionProvisioner(Lambda, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::Version", new LambdaVersionProvisioner(Lambda, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::Alias", new LambdaAliasProvisioner(Lambda, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::Url", new LambdaUrlProvisioner(Lambda, clock));
        CloudFormation.Provisioners.Register("AWS::Lambda::EventInvokeConfig", new LambdaEventInvokeConfigProvisioner(Lambda, new LambdaDestinationPermissions(this), clock));
        CloudFormation.Provisioners.Register("AWS::S3::Bucket", new S3BucketProvisioner(S3, clock));
        CloudFormation.Provisioners.Register("AWS::S3::BucketPolicy", new S3BucketPolicyProvisioner(S3, clock));
        CloudFormation.Provisioners.Register("AWS::SNS::Topic", new SnsTopicProvisioner(Sns, clock));
        CloudFormation.RegisterCustomResourceTarget("sns", new SnsCustomResourceTarget(Sns));
        var lambdaTarget = new LambdaCustomResourceTarget(Lambda, LambdaInvoker, organization.Id);
        CloudFormation.RegisterCustomResourceTarget("lambda", lambdaTarget);
        CloudFormation.MacroInvoker = lambdaTarget.InvokeMacroAsync;
        CloudFormation.Provisioners.Register("AWS::SNS::TopicPolicy", new SnsTopicPolicyProvisioner(Sns, clock));
        CloudFormation.Provisioners.Register("AWS::SNS::Subscription", new SnsSubscriptionProvisioner(Sns, clock));
        CloudFormation.Provisioners.Register("AWS::CloudWatch::Alarm", new CloudWatchAlarmProvisioner(CloudWatch, Sns, clock));
        CloudFormation.Provisioners.Register("AWS::Route53::HostedZone", new Route53HostedZoneProvisioner(Route53, clock));
        CloudFormation.Provisioners.Register("AWS::Route53::RecordSet", new Route53RecordSetProvisioner(Route53, clock));
        CloudFormation.Provisioners.Register("AWS::Route53::HealthCheck", new Route53HealthCheckProvisioner(Route53, clock));
        CloudFormation.Provisioners.Register("AWS::DynamoDB::Table", new DynamoDbTableProvisioner(Resources, clock));
        CloudFormation.Provisioners.Register("AWS::RDS::DBInstance", new RdsDbInstanceProvisioner(Resources, clock));
        CloudFormation.Provisioners.Register("AWS::RDS::DBCluster", new RdsDbClusterProvisioner(Resources, clock));
        CloudFormation.Provisioners.Register("AWS::EC2::Volume", new Ec2VolumeProvisioner(Resources, clock));
        Fleet = new FleetStore(clock);
        // Route 53 sees an Application Load Balancer as healthy while one of its target groups has a healthy target
        // (read under the fleet's lock, settled to the sandbox clock).
        Route53.VpcExists = (account, region, vpcId) => CloudFormation.Provisioners.Generic.Recorded(account, region, "AWS::EC2::VPC").ContainsKey(vpcId);
        Route53.LoadBalancerHealthy = dnsName => Fleet.Use<bool?>(_ => Fleet.FindLoadBalancer(dnsName) is { } balancer
            ? Fleet.Listeners(balancer.Arn).Select(listener => listener.DefaultAction.TargetGroupArn).OfType<string>()
                .Any(arn => Fleet.TargetGroup(arn)?.Targets.Any(target => target.State == "healthy") == true)
            : null);
        RdsFailovers = new RdsFailovers(Resources, clock);
        Fleet.ZoneWentDown = RdsFailovers.ZoneOutage;
        Scaling = new ScalingEngine(Fleet, CloudWatch, Sns, clock);
        CloudFormation.Provisioners.Register("AWS::AutoScaling::ScalingPolicy", new ScalingPolicyProvisioner(Fleet, Scaling, clock));
        foreach (var type in FleetProvisioner.Types)
        {
            CloudFormation.Provisioners.Register(type, new FleetProvisioner(CloudFormation.Provisioners.Generic, Fleet, type));
        }

        TransitGateways = new TransitGatewayStore(clock, new RecordedVpcs(CloudFormation.Provisioners.Generic));
        SecurityGroups = new RecordedSecurityGroups(CloudFormation.Provisioners.Generic);
        Backup.AddKind(new Ec2InstanceKind(Fleet, Images, new RecordedVpcs(CloudFormation.Provisioners.Generic), SecurityGroups.Exists));
        Backup.RdsPlacement = new RdsRestorePlacement(CloudFormation.Provisioners.Generic, new RecordedVpcs(CloudFormation.Provisioners.Generic), SecurityGroups);
        Efs = new EfsOperations(new EfsStore(clock), Kms, new RecordedVpcs(CloudFormation.Provisioners.Generic), SecurityGroups.Exists);
        Backup.AddKind(new EfsFileSystemKind(Efs));
        CloudFormation.Provisioners.Register("AWS::EFS::FileSystem", new EfsFileSystemProvisioner(Efs, clock));
        CloudFormation.Provisioners.Register("AWS::EFS::MountTarget", new EfsMountTargetProvisioner(Efs, clock));
        CloudFormation.Provisioners.Register("AWS::EFS::AccessPoint", new EfsAccessPointProvisioner(Efs, clock));
        Ram = new RamStore(organization, OrganizationTree, ServiceAccess, clock)
        {
            ResourceType = (account, region, arn) => TransitGateways.Owns(account, region, arn) ? "ec2:TransitGateway"
                : RecordedIpamPools.Owns(CloudFormation.Provisioners.Generic, account, region, arn) ? "ec2:IpamPool"
                : null,
        };
        TransitGateways.SharedWith = Ram.SharedWith;
        foreach (var type in TransitGatewayProvisioner.Types)
        {
            CloudFormation.Provisioners.Register(type, new TransitGatewayProvisioner(TransitGateways, clock, type));
        }

        CloudFormation.Provisioners.Register("AWS::RAM::ResourceShare", new RamResourceShareProvisioner(Ram, clock));
        NetworkFirewall = new NetworkFirewallStore(clock, new RecordedVpcs(CloudFormation.Provisioners.Generic), TransitGateways);
        CloudFormation.Provisioners.Register("AWS::NetworkFirewall::RuleGroup", new NetworkFirewallRuleGroupProvisioner(NetworkFirewall, clock));
        CloudFormation.Provisioners.Register("AWS::NetworkFirewall::FirewallPolicy", new NetworkFirewallPolicyProvisioner(NetworkFirewall, clock));
        CloudFormation.Provisioners.Register("AWS::NetworkFirewall::Firewall", new NetworkFirewallFirewallProvisioner(NetworkFirewall, clock));
        CloudFormation.Provisioners.Register("AWS::NetworkFirewall::LoggingConfiguration", new NetworkFirewallLoggingProvisioner(NetworkFirewall, clock));

        Fis = new FisStore(clock, new FisActions(Fleet, RdsFailovers, Resources,
            new FisTargetResolver(CloudFormation.Provisioners.Generic, CloudFormation, Resources, RdsFailovers), CloudWatch, Iam, organization.Id,
            (caller, action, resource, region) => authorizer.AuthorizeOnBehalf(caller, action, resource, region, calledVia: null, passedToService: null).Decision));
        CloudFormation.Provisioners.Register("AWS::FIS::ExperimentTemplate", new ExperimentTemplateProvisioner(Fis, clock));

        CloudFormation.Provisioners.Register("AWS::SSM::Parameter", new SsmParameterProvisioner(Ssm, clock));
        CloudFormation.Provisioners.Register("AWS::SecretsManager::Secret", new SecretsManagerSecretProvisioner(Secrets, clock));
        CloudFormation.Authorizer = new Authorization.ProvisioningAuthorizer(this);
        Acm.InUseBy = certificate => CertificateUsers.Of(CloudFormation, certificate);
        foreach (var seeded in organization.Certificates)
        {
            Acm.Add(AcmService.Requested(seeded.AccountId, seeded.Region, seeded.DomainName, [], "DNS", "RSA_2048", null, organization.Accounts[0].Joined - TimeSpan.FromDays(1)));
        }

        SeededResources.Place(this, organization);
    }

    public SeedOrganization Organization { get; }

    public LocalCloudClock Clock { get; }

    /// <summary>Where accounts and OUs sit (MoveAccount changes it).</summary>
    public OrganizationTree OrganizationTree { get; }

    /// <summary>Trusted access and delegated administrators of AWS services.</summary>
    public OrganizationServiceAccess ServiceAccess { get; } = new();

    /// <summary>CloudFormation StackSets, their instances and operations (not in the state file).</summary>
    public StackSetStore StackSets { get; }

    /// <summary>The organization's service control and backup policies and where they are attached (in the state file with the tree and service access).</summary>
    public OrganizationPolicyStore OrganizationPolicies { get; }

    public CredentialStore Credentials { get; }

    public KmsStore Kms { get; }

    /// <summary>IAM roles (the seed's and those created since), policies and instance profiles: what STS assumes.</summary>
    public IamStore Iam { get; }

    /// <summary>RDS DB instances, EBS volumes and DynamoDB tables: what Backup protects and restores.</summary>
    public CloudResourceStore Resources { get; } = new();

    /// <summary>The items of DynamoDB tables (the tables themselves are in <see cref="Resources"/>).</summary>
    public Services.DynamoDb.DynamoDbItemStore DynamoDbItems { get; } = new();

    public BackupStore Backup { get; }

    /// <summary>Multi-AZ failovers of DB instances and their events (not persisted).</summary>
    public RdsFailovers RdsFailovers { get; }

    /// <summary>EC2 instances, Auto Scaling groups and load balancers, simulated on the clock (not persisted).</summary>
    public FleetStore Fleet { get; }

    /// <summary>Auto Scaling's policies and their alarms' actions on the sandbox clock.</summary>
    public ScalingEngine Scaling { get; }

    /// <summary>Transit gateways, attachments and route tables (not persisted, as the fleet).</summary>
    public TransitGatewayStore TransitGateways { get; }

    /// <summary>The images AWS Backup made of EC2 instances (not persisted, as the fleet).</summary>
    public Ec2Images Images { get; } = new();

    /// <summary>EFS file systems, mount targets and access points, with the checks CreateFileSystem and the others make (in the state file).</summary>
    public EfsOperations Efs { get; }

    /// <summary>The security groups CloudFormation created (DescribeSecurityGroups, restore placement checks).</summary>
    public RecordedSecurityGroups SecurityGroups { get; }

    /// <summary>The local routes EC2 ReplaceRoute pointed elsewhere (not persisted, as the route tables are CloudFormation's records).</summary>
    public RouteReplacements RouteReplacements { get; } = new();

    /// <summary>AWS Network Firewall's rule groups, policies and firewalls (not persisted, as the transit gateways they attach to).</summary>
    public NetworkFirewallStore NetworkFirewall { get; }

    /// <summary>AWS RAM's resource shares and invitations (not persisted).</summary>
    public RamStore Ram { get; }

    /// <summary>AWS Fault Injection Service's templates and experiments (not in the state file).</summary>
    public FisStore Fis { get; }

    public CloudFormationEngine CloudFormation { get; }

    public S3Store S3 { get; }

    /// <summary>TemplateURLs (CreateStack's and nested stacks') read from <see cref="S3"/>.</summary>
    public S3TemplateSource CloudFormationTemplates { get; }

    public SnsStore Sns { get; }

    public CloudWatchStore CloudWatch { get; }

    /// <summary>Route 53 hosted zones, record sets and health checks (not persisted: a sandbox's DNS is rebuilt by its stacks).</summary>
    public Route53Store Route53 { get; }

    /// <summary>CloudWatch Logs: log groups, streams and events (Lambda functions' output lands here).</summary>
    public LogsStore Logs { get; }

    public LambdaStore Lambda { get; } = new();

    /// <summary>Runs functions' handlers in child processes; disposed with the server.</summary>
    public LambdaRuntime LambdaRuntime { get; } = new();

    public LambdaInvoker LambdaInvoker { get; }

    /// <summary>What asynchronous deliveries could not deliver (SNS topics, and SQS queues kept here).</summary>
    public DeadLetters DeadLetters { get; }

    /// <summary>EventBridge's buses and rules (not in the state file).</summary>
    public EventBusStore EventBuses { get; }

    /// <summary>Delivers events to rules' targets: PutEvents, AWS services' events, schedules.</summary>
    public EventDelivery EventDelivery { get; }

    /// <summary>EventBridge Scheduler's groups and schedules (not in the state file).</summary>
    public SchedulerStore Schedules { get; }

    /// <summary>Invokes due schedules' targets with their roles.</summary>
    public SchedulerDelivery ScheduleDelivery { get; }

    /// <summary>Parameter Store (not persisted: SecureString values are secrets, and the state file is plain JSON).</summary>
    public SsmStore Ssm { get; } = new();

    /// <summary>ACM certificates (not persisted: imported ones carry private keys; seeded ones come back from the seed).</summary>
    public AcmStore Acm { get; } = new();

    /// <summary>Secrets Manager (not persisted: its values are secrets).</summary>
    public SecretStore Secrets { get; } = new();

    public FaultInjector Faults { get; } = new();

    public RequestLog RequestLog { get; }

    /// <summary>
    /// What the <c>--state</c> file keeps, one part per store: the one place a store registers its serialiser.
    /// The seed organization is not state (it is loaded from the seed at every start); neither are the request
    /// log and fault rules (diagnostics of one run) nor STS session credentials (secrets, never written to disk;
    /// clients assume their roles again after a restart). Resources, KMS and IAM come before Backup, which refers to them; the organization's policies come after Backup, whose
    /// org-managed plans they recompute.
    /// </summary>
    public IReadOnlyList<StatePart> PersistentParts =>
    [
        StatePart.Of("clock", () => Clock.Offset, offset => Clock.Advance(offset > Clock.Offset ? offset - Clock.Offset : TimeSpan.Zero)),
        StatePart.Of("resources", Resources.Snapshot, Resources.Restore),
        StatePart.Of("kms", Kms.Snapshot, Kms.Restore),
        StatePart.Of("iam", Iam.Snapshot, Iam.Restore),
        StatePart.Of("backup", Backup.Snapshot, snapshot => Backup.Restore(snapshot, Clock.GetUtcNow())),
        StatePart.Of("organizations", SnapshotOrganization, RestoreOrganization),
        StatePart.Of("cloudformation", CloudFormation.Save, CloudFormation.Restore),
        StatePart.Of("s3", S3.Snapshot, S3.Restore),
        StatePart.Of("sns", Sns.Snapshot, Sns.Restore),
        StatePart.Of("cloudwatch", CloudWatch.Snapshot, CloudWatch.Restore),
        StatePart.Of("logs", Logs.Snapshot, Logs.Restore),
        StatePart.Of("lambda", Lambda.Snapshot, Lambda.Restore),
        StatePart.Of("fis", Fis.Snapshot, Fis.Restore),
        StatePart.Of("efs", Efs.Store.Snapshot, Efs.Store.Restore),
    ];

    private OrganizationSnapshot SnapshotOrganization() => new(OrganizationTree.Snapshot(), ServiceAccess.Snapshot(), OrganizationPolicies.Snapshot());

    /// <summary>Accounts' places first (effective policies follow them), then trusted access, then the policies.</summary>
    private void RestoreOrganization(OrganizationSnapshot snapshot)
    {
        OrganizationTree.Restore(snapshot.AccountParents);
        ServiceAccess.Restore(snapshot.ServiceAccess);
        OrganizationPolicies.Restore(snapshot.Policies);
    }
}

/// <summary>The organization's state part: where accounts sit, trusted access and delegated administrators, policies and attachments.</summary>
internal sealed record OrganizationSnapshot(Dictionary<string, string> AccountParents, ServiceAccessSnapshot ServiceAccess, OrganizationPoliciesSnapshot Policies);
