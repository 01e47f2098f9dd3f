using System.Collections.Frozen;

namespace CloudPatterns.LocalCloud.Authorization;

/// <summary>
/// What one operation asks IAM for: the action and the resource ARN template. Placeholders: {Region}, {Account} (the
/// caller's), {OrganizationId} (the sandbox organization's, o-…), and {Name} for a request parameter of that model
/// name (path label, query/form field or JSON member).
/// A template that is a parameter alone (<c>{RoleArn}</c>) takes the ARN the request names, as does any parameter whose
/// value is an ARN; <c>{Name:path}</c> drops one leading slash. "*" means the action
/// has no resource type (List*, Describe* of a whole service) and so only "*" or a wildcard matches it.
/// </summary>
/// <param name="Action">The IAM action, e.g. s3:GetObject; null for operations AWS never authorizes (GetCallerIdentity).</param>
internal sealed record OperationAction(string? Action, string Resource);

/// <summary>
/// The one table from every operation LocalCloud implements to its IAM action and resource (the Service Authorization
/// Reference; docs/localcloud-authorization.md lists it, generated from here). A test checks that every registered
/// operation has a row and that every row names a registered operation.
/// </summary>
internal static class OperationActions
{
    private const string Vault = "arn:aws:backup:{Region}:{Account}:backup-vault:{backupVaultName}";
    private const string Plan = "arn:aws:backup:{Region}:{Account}:backup-plan:{backupPlanId}";
    private const string RestoreTestingPlan = "arn:aws:backup:{Region}:{Account}:restore-testing-plan:{RestoreTestingPlanName}";
    private const string Bucket = "arn:aws:s3:::{Bucket}";
    private const string Object = "arn:aws:s3:::{Bucket}/{Key}";

    /// <summary>A KMS key named by KeyId (id, ARN, alias or alias ARN), resolved to the key's ARN.</summary>
    public const string KmsKey = "arn:aws:kms:{Region}:{Account}:key/{KeyId}";

    /// <summary>An IAM role named by RoleName, resolved to its ARN (with its path).</summary>
    public const string Role = "arn:aws:iam::{Account}:role/{RoleName}";

    private const string Stack = "arn:aws:cloudformation:{Region}:{Account}:stack/{StackName}/*";
    // Stack set ARNs end in the StackSetId (name:uuid); a request names the set, so the id part is a wildcard.
    private const string StackSetArn = "arn:aws:cloudformation:{Region}:{Account}:stackset/{StackSetName}:*";
    // A group named by name or ARN; its ARN holds a uuid the request does not know.
    private const string AutoScalingGroup = "arn:aws:autoscaling:{Region}:{Account}:autoScalingGroup:*:autoScalingGroupName/{AutoScalingGroupName}";
    private const string Alarm = "arn:aws:cloudwatch:{Region}:{Account}:alarm:{AlarmName}";
    private const string DynamoTable = "arn:aws:dynamodb:{Region}:{Account}:table/{TableName}";
    private const string LogGroup = "arn:aws:logs:{Region}:{Account}:log-group:{logGroupName}";
    private const string LogStream = "arn:aws:logs:{Region}:{Account}:log-group:{logGroupName}:log-stream:{logStreamName}";
    private const string LambdaFunction = "arn:aws:lambda:{Region}:{Account}:function:{FunctionName}";
    // EventBridgeService gives RulePath (NAME, or BUS/NAME off the default bus) and BusName (or the bus ARN a request names).
    private const string EventRule = "arn:aws:events:{Region}:{Account}:rule/{RulePath}";
    private const string EventBus = "arn:aws:events:{Region}:{Account}:event-bus/{BusName}";
    // A schedule's group is in its body (CreateSchedule) or query string (groupName); "default" when neither names one.
    private const string Schedule = "arn:aws:scheduler:{Region}:{Account}:schedule/{GroupName}/{Name}";
    private const string ScheduleGroup = "arn:aws:scheduler:{Region}:{Account}:schedule-group/{Name}";
    // Route 53 is global: its ARNs have neither region nor account.
    private const string HostedZone = "arn:aws:route53:::hostedzone/{Id}";
    private const string HealthCheck = "arn:aws:route53:::healthcheck/{HealthCheckId}";
    // Transit gateway resources are named by id; a gateway shared through RAM keeps its owner's account in its real ARN.
    private const string TransitGateway = "arn:aws:ec2:{Region}:{Account}:transit-gateway/{TransitGatewayId}";
    private const string TransitGatewayAttachment = "arn:aws:ec2:{Region}:{Account}:transit-gateway-attachment/{TransitGatewayAttachmentId}";
    private const string TransitGatewayRouteTable = "arn:aws:ec2:{Region}:{Account}:transit-gateway-route-table/{TransitGatewayRouteTableId}";
    // An invitation's ARN is in the sender's account, yet the receiver answers it under its own identity policies (no
    // resource policy is involved), so the account part is a wildcard rather than the sender's.
    private const string NetworkFirewall = "arn:aws:network-firewall:{Region}:{Account}:{FirewallPath}";
    private const string NetworkFirewallPolicy = "arn:aws:network-firewall:{Region}:{Account}:{PolicyPath}";
    private const string NetworkFirewallRuleGroup = "arn:aws:network-firewall:{Region}:{Account}:{RuleGroupPath}";
    private const string ShareInvitation = "arn:aws:ram:{Region}:*:resource-share-invitation/*";
    // EFS names file systems and access points by id or ARN; EfsService gives ResourceType (file-system or access-point)
    // for the tagging operations and a mount target's FileSystemId (docs/localcloud-efs.md, "Authorization").
    private const string FileSystem = "arn:aws:elasticfilesystem:{Region}:{Account}:file-system/{FileSystemId}";
    private const string Policy = "arn:aws:organizations::{Account}:policy/{OrganizationId}/service_control_policy/{PolicyId}";
    private const string OrganizationAccount = "arn:aws:organizations::{Account}:account/{OrganizationId}/{AccountId}";

    // SSM parameter ARNs drop the leading slash of hierarchical names ({Name:path}); the batch operations name several.
    private const string Parameter = "arn:aws:ssm:{Region}:{Account}:parameter/{Name:path}";
    private const string AnyParameter = "arn:aws:ssm:{Region}:{Account}:parameter/*";

    // A secret named by name (its ARN's random suffix unknown to the request) or by ARN.
    private const string Secret = "arn:aws:secretsmanager:{Region}:{Account}:secret:{SecretId}";

    private static readonly FrozenDictionary<string, FrozenDictionary<string, OperationAction>> ByService = new Dictionary<string, FrozenDictionary<string, OperationAction>>
    {
        ["acm"] = Rows("acm", new()
        {
            ["RequestCertificate"] = "arn:aws:acm:{Region}:{Account}:certificate/*", ["ImportCertificate"] = "arn:aws:acm:{Region}:{Account}:certificate/*",
            ["DescribeCertificate"] = "{CertificateArn}", ["GetCertificate"] = "{CertificateArn}", ["DeleteCertificate"] = "{CertificateArn}",
            ["ListCertificates"] = "*", ["AddTagsToCertificate"] = "{CertificateArn}", ["ListTagsForCertificate"] = "{CertificateArn}",
        }),
        ["backup"] = Rows("backup", new()
        {
            ["DescribeGlobalSettings"] = "*", ["UpdateGlobalSettings"] = "*",
            ["CreateBackupVault"] = Vault, ["DescribeBackupVault"] = Vault, ["ListBackupVaults"] = "*", ["DeleteBackupVault"] = Vault,
            ["PutBackupVaultAccessPolicy"] = Vault, ["GetBackupVaultAccessPolicy"] = Vault, ["DeleteBackupVaultAccessPolicy"] = Vault,
            ["PutBackupVaultLockConfiguration"] = Vault, ["DeleteBackupVaultLockConfiguration"] = Vault,
            ["PutBackupVaultNotifications"] = Vault, ["GetBackupVaultNotifications"] = Vault, ["DeleteBackupVaultNotifications"] = Vault,
            ["CreateBackupPlan"] = "arn:aws:backup:{Region}:{Account}:backup-plan:*", ["GetBackupPlan"] = Plan, ["ListBackupPlans"] = "*",
            ["UpdateBackupPlan"] = Plan, ["DeleteBackupPlan"] = Plan, ["CreateBackupSelection"] = Plan, ["GetBackupSelection"] = Plan,
            ["ListBackupSelections"] = Plan, ["DeleteBackupSelection"] = Plan,
            ["StartBackupJob"] = "arn:aws:backup:{Region}:{Account}:backup-vault:{BackupVaultName}", ["DescribeBackupJob"] = "*", ["ListBackupJobs"] = "*",
            ["StartCopyJob"] = "{RecoveryPointArn}", ["DescribeCopyJob"] = "*", ["ListCopyJobs"] = "*",
            ["StartRestoreJob"] = "{RecoveryPointArn}", ["DescribeRestoreJob"] = "*", ["ListRestoreJobs"] = "*",
            ["ListRestoreJobsByProtectedResource"] = "*", ["PutRestoreValidationResult"] = "*",
            ["ListRecoveryPointsByBackupVault"] = Vault, ["ListRecoveryPointsByResource"] = "*",
            ["DescribeRecoveryPoint"] = "{recoveryPointArn}", ["DeleteRecoveryPoint"] = "{recoveryPointArn}",
            ["UpdateRecoveryPointLifecycle"] = "{recoveryPointArn}", ["GetRecoveryPointRestoreMetadata"] = "{recoveryPointArn}",
            ["ListProtectedResources"] = "*",
            ["CreateRestoreTestingPlan"] = "arn:aws:backup:{Region}:{Account}:restore-testing-plan:*", ["GetRestoreTestingPlan"] = RestoreTestingPlan,
            ["ListRestoreTestingPlans"] = "*", ["UpdateRestoreTestingPlan"] = RestoreTestingPlan, ["DeleteRestoreTestingPlan"] = RestoreTestingPlan,
            ["CreateRestoreTestingSelection"] = RestoreTestingPlan, ["GetRestoreTestingSelection"] = RestoreTestingPlan,
            ["ListRestoreTestingSelections"] = RestoreTestingPlan, ["UpdateRestoreTestingSelection"] = RestoreTestingPlan,
            ["DeleteRestoreTestingSelection"] = RestoreTestingPlan,
        }),
        ["cloudformation"] = Rows("cloudformation", new()
        {
            ["CreateChangeSet"] = Stack, ["CreateStack"] = Stack, ["DeleteChangeSet"] = Stack, ["DeleteStack"] = Stack,
            ["DescribeChangeSet"] = Stack, ["DescribeStackDriftDetectionStatus"] = "*", ["DescribeStackEvents"] = Stack,
            ["DescribeStackResource"] = Stack, ["DescribeStackResourceDrifts"] = Stack, ["DescribeStackResources"] = Stack,
            ["DescribeStacks"] = Stack, ["DetectStackDrift"] = Stack, ["ExecuteChangeSet"] = Stack, ["GetTemplate"] = Stack,
            ["GetTemplateSummary"] = "*", ["ListChangeSets"] = Stack, ["ListExports"] = "*", ["ListStackResources"] = Stack,
            ["ListStacks"] = "*", ["SignalResource"] = Stack, ["UpdateStack"] = Stack, ["UpdateTerminationProtection"] = Stack, ["ValidateTemplate"] = "*",
            ["ActivateOrganizationsAccess"] = "*", ["DescribeOrganizationsAccess"] = "*",
            ["CreateStackSet"] = StackSetArn, ["UpdateStackSet"] = StackSetArn, ["DeleteStackSet"] = StackSetArn, ["DescribeStackSet"] = StackSetArn,
            ["ListStackSets"] = "*", ["CreateStackInstances"] = StackSetArn, ["UpdateStackInstances"] = StackSetArn,
            ["DeleteStackInstances"] = StackSetArn, ["ListStackInstances"] = StackSetArn, ["DescribeStackInstance"] = StackSetArn,
            ["DescribeStackSetOperation"] = StackSetArn, ["ListStackSetOperations"] = StackSetArn, ["ListStackSetOperationResults"] = StackSetArn,
            ["DetectStackSetDrift"] = StackSetArn,
            ["RegisterType"] = "*", ["DescribeTypeRegistration"] = "*", ["DescribeType"] = "*", ["DeregisterType"] = "*",
        }),
        ["elasticfilesystem"] = Rows("elasticfilesystem", new()
        {
            ["CreateFileSystem"] = "arn:aws:elasticfilesystem:{Region}:{Account}:file-system/*", ["DescribeFileSystems"] = FileSystem,
            ["DeleteFileSystem"] = FileSystem, ["PutBackupPolicy"] = FileSystem, ["DescribeBackupPolicy"] = FileSystem,
            ["CreateMountTarget"] = FileSystem, ["DescribeMountTargets"] = FileSystem, ["DeleteMountTarget"] = FileSystem,
            ["CreateAccessPoint"] = FileSystem, ["DescribeAccessPoints"] = FileSystem,
            ["DeleteAccessPoint"] = "arn:aws:elasticfilesystem:{Region}:{Account}:access-point/{AccessPointId}",
            ["TagResource"] = "arn:aws:elasticfilesystem:{Region}:{Account}:{ResourceType}/{ResourceId}",
            ["UntagResource"] = "arn:aws:elasticfilesystem:{Region}:{Account}:{ResourceType}/{ResourceId}",
            ["ListTagsForResource"] = "arn:aws:elasticfilesystem:{Region}:{Account}:{ResourceType}/{ResourceId}",
        }),
        ["events"] = Rows("events", new()
        {
            ["PutRule"] = EventRule, ["DescribeRule"] = EventRule, ["ListRules"] = "*", ["EnableRule"] = EventRule, ["DisableRule"] = EventRule,
            ["DeleteRule"] = EventRule, ["PutTargets"] = EventRule, ["RemoveTargets"] = EventRule, ["ListTargetsByRule"] = EventRule,
            ["PutEvents"] = EventBus, ["TestEventPattern"] = "*", ["CreateEventBus"] = EventBus, ["DescribeEventBus"] = EventBus,
            ["ListEventBuses"] = "*", ["DeleteEventBus"] = EventBus, ["PutPermission"] = EventBus, ["RemovePermission"] = EventBus,
        }),
        ["scheduler"] = Rows("scheduler", new()
        {
            ["CreateSchedule"] = Schedule, ["UpdateSchedule"] = Schedule, ["GetSchedule"] = Schedule, ["DeleteSchedule"] = Schedule,
            ["ListSchedules"] = "*", ["CreateScheduleGroup"] = ScheduleGroup, ["GetScheduleGroup"] = ScheduleGroup,
            ["DeleteScheduleGroup"] = ScheduleGroup, ["ListScheduleGroups"] = "*",
        }),
        // FIS: a template or experiment named by id (StartExperiment also needs the template's, docs/localcloud-fis.md).
        ["fis"] = Rows("fis", new()
        {
            ["CreateExperimentTemplate"] = "arn:aws:fis:{Region}:{Account}:experiment-template/*", ["ListExperimentTemplates"] = "*",
            ["GetExperimentTemplate"] = "arn:aws:fis:{Region}:{Account}:experiment-template/{id}",
            ["DeleteExperimentTemplate"] = "arn:aws:fis:{Region}:{Account}:experiment-template/{id}",
            ["StartExperiment"] = "arn:aws:fis:{Region}:{Account}:experiment-template/{experimentTemplateId}", ["ListExperiments"] = "*",
            ["GetExperiment"] = "arn:aws:fis:{Region}:{Account}:experiment/{id}", ["StopExperiment"] = "arn:aws:fis:{Region}:{Account}:experiment/{id}",
        }),
        ["route53"] = Rows("route53", new()
        {
            ["CreateHostedZone"] = "*", ["ListHostedZones"] = "*", ["GetHostedZone"] = HostedZone, ["DeleteHostedZone"] = HostedZone,
            ["ChangeResourceRecordSets"] = HostedZone, ["ListResourceRecordSets"] = HostedZone, ["GetChange"] = "arn:aws:route53:::change/{Id}",
            ["CreateHealthCheck"] = "*", ["ListHealthChecks"] = "*", ["GetHealthCheck"] = HealthCheck, ["DeleteHealthCheck"] = HealthCheck,
            ["GetHealthCheckStatus"] = HealthCheck,
        }),
        ["lambda"] = Rows("lambda", new()
        {
            ["CreateFunction"] = LambdaFunction, ["GetFunction"] = LambdaFunction, ["GetFunctionConfiguration"] = LambdaFunction,
            ["ListFunctions"] = "*", ["UpdateFunctionCode"] = LambdaFunction, ["UpdateFunctionConfiguration"] = LambdaFunction,
            ["DeleteFunction"] = LambdaFunction, ["PutFunctionConcurrency"] = LambdaFunction, ["DeleteFunctionConcurrency"] = LambdaFunction,
            ["AddPermission"] = LambdaFunction, ["RemovePermission"] = LambdaFunction, ["GetPolicy"] = LambdaFunction,
            ["PutFunctionEventInvokeConfig"] = LambdaFunction, ["UpdateFunctionEventInvokeConfig"] = LambdaFunction,
            ["GetFunctionEventInvokeConfig"] = LambdaFunction, ["DeleteFunctionEventInvokeConfig"] = LambdaFunction,
            ["ListFunctionEventInvokeConfigs"] = LambdaFunction,
            ["PublishVersion"] = LambdaFunction, ["ListVersionsByFunction"] = LambdaFunction, ["CreateAlias"] = LambdaFunction,
            ["GetAlias"] = LambdaFunction, ["UpdateAlias"] = LambdaFunction, ["DeleteAlias"] = LambdaFunction, ["ListAliases"] = LambdaFunction,
            ["CreateFunctionUrlConfig"] = LambdaFunction, ["GetFunctionUrlConfig"] = LambdaFunction, ["UpdateFunctionUrlConfig"] = LambdaFunction,
            ["DeleteFunctionUrlConfig"] = LambdaFunction, ["ListFunctionUrlConfigs"] = LambdaFunction,
        }, new()
        {
            // Invoke is authorized as lambda:InvokeFunction (Service Authorization Reference, AWS Lambda).
            ["Invoke"] = new("lambda:InvokeFunction", LambdaFunction),
        }),
        ["logs"] = Rows("logs", new()
        {
            ["CreateLogGroup"] = LogGroup, ["DeleteLogGroup"] = LogGroup, ["DescribeLogGroups"] = "arn:aws:logs:{Region}:{Account}:log-group:*",
            ["PutRetentionPolicy"] = LogGroup, ["DeleteRetentionPolicy"] = LogGroup, ["CreateLogStream"] = LogGroup,
            ["DescribeLogStreams"] = LogGroup, ["PutLogEvents"] = LogStream, ["GetLogEvents"] = LogStream, ["FilterLogEvents"] = LogGroup,
        }),
        ["monitoring"] = Rows("cloudwatch", new()
        {
            ["DeleteAlarms"] = "arn:aws:cloudwatch:{Region}:{Account}:alarm:{AlarmNames.member.1}", ["DescribeAlarms"] = "*",
            ["GetMetricData"] = "*", ["GetMetricStatistics"] = "*", ["ListMetrics"] = "*", ["PutMetricAlarm"] = Alarm, ["PutMetricData"] = "*",
        }),
        ["dynamodb"] = Rows("dynamodb", new()
        {
            ["DeleteTable"] = DynamoTable, ["DescribeTable"] = DynamoTable, ["ListTables"] = "*", ["ListTagsOfResource"] = "{ResourceArn}",
            ["PutItem"] = DynamoTable, ["GetItem"] = DynamoTable, ["DeleteItem"] = DynamoTable, ["Scan"] = DynamoTable,
            // A batch names its tables as the keys of RequestItems: DynamoDbService gives the one table's name, or none
            // for several, which checks table/* (docs/localcloud-authorization.md, section 6).
            ["BatchWriteItem"] = DynamoTable, ["BatchGetItem"] = DynamoTable,
        }),
        ["ec2"] = Rows("ec2", new()
        {
            ["DeleteVolume"] = "arn:aws:ec2:{Region}:{Account}:volume/{VolumeId}", ["DescribeRegions"] = "*", ["DescribeTags"] = "*", ["DescribeVolumes"] = "*",
            ["DescribeInstances"] = "*", ["DescribeInstanceStatus"] = "*", ["TerminateInstances"] = "arn:aws:ec2:{Region}:{Account}:instance/*",
            ["DescribeImages"] = "*", ["DescribeSecurityGroups"] = "*", ["DescribeVpcs"] = "*", ["DescribeSubnets"] = "*", ["DescribeRouteTables"] = "*", ["ReplaceRoute"] = "arn:aws:ec2:{Region}:{Account}:route-table/{RouteTableId}", ["DeregisterImage"] = "arn:aws:ec2:{Region}::image/{ImageId}",
            ["CreateTransitGateway"] = "arn:aws:ec2:{Region}:{Account}:transit-gateway/*", ["DescribeTransitGateways"] = "*", ["DeleteTransitGateway"] = TransitGateway,
            ["CreateTransitGatewayVpcAttachment"] = TransitGateway, ["AcceptTransitGatewayVpcAttachment"] = TransitGatewayAttachment,
            ["DeleteTransitGatewayVpcAttachment"] = TransitGatewayAttachment, ["DescribeTransitGatewayVpcAttachments"] = "*", ["DescribeTransitGatewayAttachments"] = "*",
            ["CreateTransitGatewayRouteTable"] = TransitGateway, ["DescribeTransitGatewayRouteTables"] = "*", ["DeleteTransitGatewayRouteTable"] = TransitGatewayRouteTable,
            ["AssociateTransitGatewayRouteTable"] = TransitGatewayRouteTable, ["DisassociateTransitGatewayRouteTable"] = TransitGatewayRouteTable,
            ["EnableTransitGatewayRouteTablePropagation"] = TransitGatewayRouteTable, ["DisableTransitGatewayRouteTablePropagation"] = TransitGatewayRouteTable,
            ["GetTransitGatewayRouteTableAssociations"] = TransitGatewayRouteTable, ["GetTransitGatewayRouteTablePropagations"] = TransitGatewayRouteTable,
            ["CreateTransitGatewayRoute"] = TransitGatewayRouteTable, ["DeleteTransitGatewayRoute"] = TransitGatewayRouteTable, ["SearchTransitGatewayRoutes"] = TransitGatewayRouteTable,
        }),
        ["ram"] = Rows("ram", new()
        {
            ["CreateResourceShare"] = "arn:aws:ram:{Region}:{Account}:resource-share/*", ["AssociateResourceShare"] = "{resourceShareArn}",
            ["DisassociateResourceShare"] = "{resourceShareArn}", ["DeleteResourceShare"] = "{resourceShareArn}", ["GetResourceShares"] = "*",
            ["GetResourceShareAssociations"] = "*", ["GetResourceShareInvitations"] = "*", ["AcceptResourceShareInvitation"] = ShareInvitation,
            ["RejectResourceShareInvitation"] = ShareInvitation, ["EnableSharingWithAwsOrganization"] = "*", ["ListResources"] = "*",
        }),
        ["autoscaling"] = Rows("autoscaling", new()
        {
            ["DescribeAutoScalingGroups"] = "*", ["DescribeAutoScalingInstances"] = "*", ["DescribeScalingActivities"] = "*",
            ["SetDesiredCapacity"] = AutoScalingGroup, ["UpdateAutoScalingGroup"] = AutoScalingGroup,
            ["PutScalingPolicy"] = AutoScalingGroup, ["DescribePolicies"] = "*", ["DeletePolicy"] = AutoScalingGroup,
            ["ExecutePolicy"] = AutoScalingGroup, ["SetInstanceProtection"] = AutoScalingGroup,
            ["SuspendProcesses"] = AutoScalingGroup, ["ResumeProcesses"] = AutoScalingGroup,
        }),
        ["elasticloadbalancing"] = Rows("elasticloadbalancing", new()
        {
            ["DescribeLoadBalancers"] = "*", ["DescribeTargetGroups"] = "*", ["DescribeListeners"] = "*", ["DescribeTargetHealth"] = "*",
            ["RegisterTargets"] = "{TargetGroupArn}", ["DeregisterTargets"] = "{TargetGroupArn}",
        }),
        ["iam"] = Rows("iam", new()
        {
            ["AddRoleToInstanceProfile"] = "arn:aws:iam::{Account}:instance-profile/{InstanceProfileName}",
            ["AttachRolePolicy"] = Role, ["CreateInstanceProfile"] = "arn:aws:iam::{Account}:instance-profile/{InstanceProfileName}",
            ["CreatePolicy"] = "arn:aws:iam::{Account}:policy/{PolicyName}", ["CreateRole"] = Role,
            ["DeleteInstanceProfile"] = "arn:aws:iam::{Account}:instance-profile/{InstanceProfileName}", ["DeletePolicy"] = "{PolicyArn}",
            ["DeleteRole"] = Role, ["DeleteRolePolicy"] = Role, ["DetachRolePolicy"] = Role,
            ["GetInstanceProfile"] = "arn:aws:iam::{Account}:instance-profile/{InstanceProfileName}", ["GetPolicy"] = "{PolicyArn}",
            ["GetPolicyVersion"] = "{PolicyArn}", ["GetRole"] = Role, ["GetRolePolicy"] = Role, ["ListAttachedRolePolicies"] = Role,
            ["ListPolicies"] = "*", ["ListRolePolicies"] = Role, ["ListRoleTags"] = Role, ["ListRoles"] = "*", ["PutRolePolicy"] = Role,
            ["RemoveRoleFromInstanceProfile"] = "arn:aws:iam::{Account}:instance-profile/{InstanceProfileName}",
            ["TagRole"] = Role, ["UntagRole"] = Role, ["UpdateAssumeRolePolicy"] = Role,
            ["SimulatePrincipalPolicy"] = "{PolicySourceArn}", ["SimulateCustomPolicy"] = "*",
            ["UpdateAccountPasswordPolicy"] = "*", ["GetAccountPasswordPolicy"] = "*", ["DeleteAccountPasswordPolicy"] = "*",
        }),
        ["kms"] = Rows("kms", new()
        {
            ["CreateAlias"] = "arn:aws:kms:{Region}:{Account}:{AliasName}", ["CreateKey"] = "*", ["DescribeKey"] = KmsKey,
            ["EnableKeyRotation"] = KmsKey, ["GetKeyPolicy"] = KmsKey, ["GetKeyRotationStatus"] = KmsKey, ["ListAliases"] = "*",
            ["PutKeyPolicy"] = KmsKey, ["DisableKey"] = KmsKey, ["EnableKey"] = KmsKey, ["GetPublicKey"] = KmsKey, ["Sign"] = KmsKey,
            ["Verify"] = KmsKey,
        }),
        ["ssm"] = Rows("ssm", new()
        {
            ["DeleteParameter"] = Parameter, ["DeleteParameters"] = AnyParameter, ["DescribeParameters"] = "*", ["GetParameter"] = Parameter,
            ["GetParameterHistory"] = Parameter, ["GetParameters"] = AnyParameter, ["GetParametersByPath"] = "arn:aws:ssm:{Region}:{Account}:parameter/{Path:path}",
            ["LabelParameterVersion"] = Parameter, ["PutParameter"] = Parameter,
        }),
        // A firewall, policy or rule group named by ARN or by name (NetworkFirewallService gives the path after the account).
        ["network-firewall"] = Rows("network-firewall", new()
        {
            ["CreateRuleGroup"] = NetworkFirewallRuleGroup, ["DescribeRuleGroup"] = NetworkFirewallRuleGroup, ["DescribeRuleGroupMetadata"] = NetworkFirewallRuleGroup,
            ["UpdateRuleGroup"] = NetworkFirewallRuleGroup, ["DeleteRuleGroup"] = NetworkFirewallRuleGroup, ["ListRuleGroups"] = "*",
            ["CreateFirewallPolicy"] = NetworkFirewallPolicy, ["DescribeFirewallPolicy"] = NetworkFirewallPolicy, ["UpdateFirewallPolicy"] = NetworkFirewallPolicy,
            ["DeleteFirewallPolicy"] = NetworkFirewallPolicy, ["ListFirewallPolicies"] = "*",
            ["CreateFirewall"] = NetworkFirewall, ["DescribeFirewall"] = NetworkFirewall, ["DescribeFirewallMetadata"] = NetworkFirewall, ["DeleteFirewall"] = NetworkFirewall,
            ["ListFirewalls"] = "*", ["AssociateFirewallPolicy"] = NetworkFirewall, ["AssociateSubnets"] = NetworkFirewall, ["DisassociateSubnets"] = NetworkFirewall,
            ["AssociateAvailabilityZones"] = NetworkFirewall, ["DisassociateAvailabilityZones"] = NetworkFirewall,
            ["UpdateFirewallDeleteProtection"] = NetworkFirewall, ["UpdateSubnetChangeProtection"] = NetworkFirewall,
            ["UpdateFirewallPolicyChangeProtection"] = NetworkFirewall, ["UpdateAvailabilityZoneChangeProtection"] = NetworkFirewall,
            ["UpdateFirewallDescription"] = NetworkFirewall, ["UpdateLoggingConfiguration"] = NetworkFirewall, ["DescribeLoggingConfiguration"] = NetworkFirewall,
            ["AcceptNetworkFirewallTransitGatewayAttachment"] = "*", ["RejectNetworkFirewallTransitGatewayAttachment"] = "*",
            ["DeleteNetworkFirewallTransitGatewayAttachment"] = "*",
            ["TagResource"] = "{ResourceArn}", ["UntagResource"] = "{ResourceArn}", ["ListTagsForResource"] = "{ResourceArn}",
        }),
        ["secretsmanager"] = Rows("secretsmanager", new()
        {
            ["CreateSecret"] = "arn:aws:secretsmanager:{Region}:{Account}:secret:{Name}", ["DeleteSecret"] = Secret, ["DescribeSecret"] = Secret,
            ["GetSecretValue"] = Secret, ["PutSecretValue"] = Secret,
        }),
        ["organizations"] = Rows("organizations", new()
        {
            ["DescribeAccount"] = OrganizationAccount, ["DescribeOrganization"] = "*",
            ["ListAccounts"] = "*", ["ListAccountsForParent"] = "*", ["ListChildren"] = "*", ["ListOrganizationalUnitsForParent"] = "*",
            ["ListParents"] = "*", ["ListRoots"] = "*", ["ListTagsForResource"] = "*",
            ["CreatePolicy"] = "*", ["DescribePolicy"] = Policy, ["UpdatePolicy"] = Policy, ["DeletePolicy"] = Policy,
            ["AttachPolicy"] = Policy, ["DetachPolicy"] = Policy, ["ListPolicies"] = "*", ["ListPoliciesForTarget"] = "*",
            ["ListTargetsForPolicy"] = Policy, ["EnablePolicyType"] = "*", ["DisablePolicyType"] = "*",
            ["MoveAccount"] = OrganizationAccount, ["EnableAWSServiceAccess"] = "*",
            ["ListAWSServiceAccessForOrganization"] = "*", ["RegisterDelegatedAdministrator"] = OrganizationAccount,
            ["ListDelegatedAdministrators"] = "*", ["DescribeEffectivePolicy"] = "*",
        }),
        ["rds"] = Rows("rds", new()
        {
            ["CreateDBInstance"] = "arn:aws:rds:{Region}:{Account}:db:{DBInstanceIdentifier}",
            ["DeleteDBInstance"] = "arn:aws:rds:{Region}:{Account}:db:{DBInstanceIdentifier}", ["DescribeDBInstances"] = "*",
            ["ListTagsForResource"] = "{ResourceName}", ["ModifyDBInstance"] = "arn:aws:rds:{Region}:{Account}:db:{DBInstanceIdentifier}",
            ["RebootDBInstance"] = "arn:aws:rds:{Region}:{Account}:db:{DBInstanceIdentifier}", ["DescribeEvents"] = "*",
            ["CreateDBCluster"] = "arn:aws:rds:{Region}:{Account}:cluster:{DBClusterIdentifier}", ["DescribeDBClusters"] = "*",
            ["ModifyDBCluster"] = "arn:aws:rds:{Region}:{Account}:cluster:{DBClusterIdentifier}", ["DeleteDBCluster"] = "arn:aws:rds:{Region}:{Account}:cluster:{DBClusterIdentifier}",
            ["FailoverDBCluster"] = "arn:aws:rds:{Region}:{Account}:cluster:{DBClusterIdentifier}",
        }),
        ["s3"] = Rows("s3", new()
        {
            ["CreateBucket"] = Bucket, ["DeleteBucket"] = Bucket, ["DeleteBucketPolicy"] = Bucket, ["DeleteObject"] = Object,
            ["DeleteObjects"] = Bucket, ["GetBucketLocation"] = Bucket, ["GetBucketLogging"] = Bucket, ["GetBucketPolicy"] = Bucket,
            ["GetBucketTagging"] = Bucket, ["GetBucketVersioning"] = Bucket, ["GetObject"] = Object, ["GetObjectLegalHold"] = Object,
            ["GetObjectRetention"] = Object, ["PutBucketLogging"] = Bucket, ["PutBucketPolicy"] = Bucket, ["PutBucketTagging"] = Bucket,
            ["PutBucketVersioning"] = Bucket, ["PutObject"] = Object, ["PutObjectLegalHold"] = Object, ["PutObjectRetention"] = Object,
        }, new()
        {
            // S3's actions differ from its operation names (Service Authorization Reference, Amazon S3).
            ["CopyObject"] = new("s3:PutObject", Object),
            ["DeleteBucketTagging"] = new("s3:PutBucketTagging", Bucket),
            ["DeletePublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", Bucket),
            ["GetBucketEncryption"] = new("s3:GetEncryptionConfiguration", Bucket),
            ["GetObjectLockConfiguration"] = new("s3:GetBucketObjectLockConfiguration", Bucket),
            ["GetPublicAccessBlock"] = new("s3:GetBucketPublicAccessBlock", Bucket),
            ["HeadBucket"] = new("s3:ListBucket", Bucket),
            ["HeadObject"] = new("s3:GetObject", Object),
            ["ListBuckets"] = new("s3:ListAllMyBuckets", "*"),
            ["ListObjectVersions"] = new("s3:ListBucketVersions", Bucket),
            ["ListObjectsV2"] = new("s3:ListBucket", Bucket),
            ["PutBucketEncryption"] = new("s3:PutEncryptionConfiguration", Bucket),
            ["PutObjectLockConfiguration"] = new("s3:PutBucketObjectLockConfiguration", Bucket),
            ["PutPublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", Bucket),
        }),
        ["sns"] = Rows("sns", new()
        {
            ["CreateTopic"] = "arn:aws:sns:{Region}:{Account}:{Name}", ["DeleteTopic"] = "{TopicArn}", ["GetTopicAttributes"] = "{TopicArn}",
            ["ListSubscriptionsByTopic"] = "{TopicArn}", ["ListTopics"] = "*", ["Publish"] = "{TopicArn}", ["SetTopicAttributes"] = "{TopicArn}",
            ["Subscribe"] = "{TopicArn}",
        }),
        ["sts"] = Rows("sts", new() { ["AssumeRole"] = "{RoleArn}" }, new() { ["GetCallerIdentity"] = new(null, "*") }),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every row, by service signing name and operation.</summary>
    public static IReadOnlyDictionary<string, FrozenDictionary<string, OperationAction>> All => ByService;

    public static OperationAction? Find(string signingName, string operation) =>
        ByService.GetValueOrDefault(signingName)?.GetValueOrDefault(operation);

    /// <summary>The ARN a template names for one request; a missing parameter leaves "*" in its place.</summary>
    public static string ResourceArn(string template, string accountId, string region, Func<string, string?> parameter)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var text = new System.Text.StringBuilder(template.Length + 48);
        var position = 0;
        while (template.IndexOf('{', position) is var open and >= 0)
        {
            var close = template.IndexOf('}', open);
            text.Append(template, position, open - position);
            var name = template[(open + 1)..close];
            var path = name.EndsWith(":path", StringComparison.Ordinal);
            var value = name switch
            {
                "Region" => region,
                "Account" => accountId,
                _ => parameter(path ? name[..^":path".Length] : name) is { Length: > 0 } given ? given : "*",
            };
            if (value.StartsWith("arn:", StringComparison.Ordinal))
            {
                return value;
            }

            text.Append(path && value.StartsWith('/') ? value[1..] : value);
            position = close + 1;
        }

        return text.Append(template, position, template.Length - position).ToString();
    }

    // Where the action is the service prefix and the operation name, as for most services.
    private static FrozenDictionary<string, OperationAction> Rows(string prefix, Dictionary<string, string> sameName, Dictionary<string, OperationAction>? renamed = null)
    {
        var rows = sameName.ToDictionary(row => row.Key, row => new OperationAction($"{prefix}:{row.Key}", row.Value), StringComparer.Ordinal);
        foreach (var (operation, action) in renamed ?? [])
        {
            rows.Add(operation, action);
        }

        return rows.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
