// The table from CloudFormation resource type to the IAM actions its handlers call, in one place for both sides:
// LocalCloud enforces it when CloudFormation provisions a stack's resources (ProvisioningAuthorizer), and the module
// derives its CloudFormation service roles' policies from it (CloudPatterns.Core.Security.ServiceRolePolicies).
// Compiled into both assemblies as internal types; netstandard2.0 (Core) and net10.0 (LocalCloud).
using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Authorization;

/// <summary>
/// One call a resource handler makes: the action, and where its resource comes from. With <see cref="OnProperty"/> the
/// resource is the ARN (or the role name) that property gives, and the call is made only when the template sets it;
/// <see cref="PassedTo"/> is iam:PassedToService for iam:PassRole.
/// </summary>
internal sealed record HandlerCall(string Action, string? OnProperty = null, string? PassedTo = null)
{
    /// <summary>"action" or "iam:PassRole on Property.Path to service.amazonaws.com".</summary>
    public static HandlerCall Parse(string text)
    {
        var parts = text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            1 => new HandlerCall(parts[0]),
            3 when parts[1] == "on" => new HandlerCall(parts[0], parts[2]),
            5 when parts[1] == "on" && parts[3] == "to" => new HandlerCall(parts[0], parts[2], parts[4]),
            _ => throw new ArgumentException($"Not a handler call: {text}", nameof(text)),
        };
    }
}

/// <summary>
/// What CloudFormation's handlers of one resource type call: the actions of create, update and delete and the ARN
/// of the resource they act on. <see cref="Arn"/> placeholders: {Region}, {Account}, {Name} (the name property, the
/// name CloudFormation generates, or the physical id), {Path} (an IAM path without its leading slash),
/// {LoadBalancerKind} (app, net or gwy by the load balancer's Type: application, network, gateway).
/// </summary>
/// <param name="Service">The service as the handler's SDK names it in "(Service: X, Status Code: ...)".</param>
internal sealed record ResourceTypeRow(string Type, string Service, string Arn, string? NameProperty, IReadOnlyList<HandlerCall> Create, IReadOnlyList<HandlerCall> Update, IReadOnlyList<HandlerCall> Delete)
{
    /// <summary>Every call of create, update and delete, in that order.</summary>
    public IEnumerable<HandlerCall> AllCalls => Create.Concat(Update).Concat(Delete);
}

/// <summary>
/// The table from resource type to the IAM actions its CloudFormation handlers need (docs/localcloud-authorization.md,
/// "CloudFormation provisioning", with sources): each handler's principal call, and the iam:PassRole it makes when the
/// resource is handed a role. Types without a row follow the documented rule of <see cref="Derived"/>.
/// </summary>
internal static class ResourceTypeActions
{
    private const string Ec2 = "arn:aws:ec2:{Region}:{Account}:";
    private const string Elb = "arn:aws:elasticloadbalancing:{Region}:{Account}:";
    private const string Rds = "arn:aws:rds:{Region}:{Account}:";

    // Creating a vault with a customer managed key needs these on the key ("Required permissions" of the AWS Backup guide's
    // create-a-vault page; docs/localcloud-authorization.md, "Backup vault keys").
    // Declared before Rows, which reads them when the class initializes.
    public static readonly IReadOnlyList<string> VaultKeyActions = new[] { "kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant", "kms:Decrypt", "kms:GenerateDataKey" };

    private static readonly string VaultKeyCalls = string.Join("; ", VaultKeyActions.Select(action => action + " on EncryptionKeyArn"));

    private static readonly Dictionary<string, ResourceTypeRow> Rows = new[]
    {
        Row("AWS::ACM::Certificate", "Acm", "arn:aws:acm:{Region}:{Account}:certificate/{Name}", null, "acm:RequestCertificate", "acm:AddTagsToCertificate", "acm:DeleteCertificate"),
        Row("AWS::AutoScaling::AutoScalingGroup", "AutoScaling", "arn:aws:autoscaling:{Region}:{Account}:autoScalingGroup:*:autoScalingGroupName/{Name}", "AutoScalingGroupName", "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup"),
        Row("AWS::AutoScaling::ScalingPolicy", "AutoScaling", "arn:aws:autoscaling:{Region}:{Account}:autoScalingGroup:*:autoScalingGroupName/*", null, "autoscaling:PutScalingPolicy", "autoscaling:PutScalingPolicy", "autoscaling:DeletePolicy"),
        Row("AWS::Backup::BackupPlan", "Backup", "arn:aws:backup:{Region}:{Account}:backup-plan:{Name}", null, "backup:CreateBackupPlan", "backup:UpdateBackupPlan", "backup:DeleteBackupPlan"),
        Row("AWS::Backup::BackupSelection", "Backup", "arn:aws:backup:{Region}:{Account}:backup-plan:*", null, "backup:CreateBackupSelection; iam:PassRole on BackupSelection.IamRoleArn to backup.amazonaws.com", "", "backup:DeleteBackupSelection"),
        Row("AWS::Backup::BackupVault", "Backup", "arn:aws:backup:{Region}:{Account}:backup-vault:{Name}", "BackupVaultName", "backup:CreateBackupVault; " + VaultKeyCalls, "backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVault"),
        Row("AWS::CloudFormation::Stack", "CloudFormation", "arn:aws:cloudformation:{Region}:{Account}:stack/{Name}", null, "cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack"),
        Row("AWS::CloudWatch::Alarm", "CloudWatch", "arn:aws:cloudwatch:{Region}:{Account}:alarm:{Name}", "AlarmName", "cloudwatch:PutMetricAlarm", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"),
        Row("AWS::DynamoDB::Table", "DynamoDb", "arn:aws:dynamodb:{Region}:{Account}:table/{Name}", "TableName", "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable"),
        Row("AWS::EC2::EIP", "Ec2", Ec2 + "elastic-ip/{Name}", null, "ec2:AllocateAddress", "ec2:CreateTags", "ec2:ReleaseAddress"),
        Row("AWS::EC2::FlowLog", "Ec2", Ec2 + "vpc-flow-log/{Name}", null, "ec2:CreateFlowLogs; iam:PassRole on DeliverLogsPermissionArn to vpc-flow-logs.amazonaws.com", "ec2:CreateTags", "ec2:DeleteFlowLogs"),
        Row("AWS::EC2::InternetGateway", "Ec2", Ec2 + "internet-gateway/{Name}", null, "ec2:CreateInternetGateway", "ec2:CreateTags", "ec2:DeleteInternetGateway"),
        Row("AWS::EC2::LaunchTemplate", "Ec2", Ec2 + "launch-template/{Name}", null, "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate"),
        Row("AWS::EC2::NatGateway", "Ec2", Ec2 + "natgateway/{Name}", null, "ec2:CreateNatGateway", "ec2:CreateTags", "ec2:DeleteNatGateway"),
        Row("AWS::EC2::Route", "Ec2", Ec2 + "route-table/*", null, "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"),
        Row("AWS::EC2::RouteTable", "Ec2", Ec2 + "route-table/{Name}", null, "ec2:CreateRouteTable", "ec2:CreateTags", "ec2:DeleteRouteTable"),
        Row("AWS::EC2::SecurityGroup", "Ec2", Ec2 + "security-group/{Name}", null, "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup"),
        Row("AWS::EC2::SecurityGroupIngress", "Ec2", Ec2 + "security-group/*", null, "ec2:AuthorizeSecurityGroupIngress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:RevokeSecurityGroupIngress"),
        Row("AWS::EC2::Subnet", "Ec2", Ec2 + "subnet/{Name}", null, "ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet"),
        Row("AWS::EC2::SubnetRouteTableAssociation", "Ec2", Ec2 + "route-table/*", null, "ec2:AssociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DisassociateRouteTable"),
        Row("AWS::EC2::Volume", "Ec2", Ec2 + "volume/{Name}", null, "ec2:CreateVolume", "ec2:ModifyVolume", "ec2:DeleteVolume"),
        Row("AWS::EC2::TransitGateway", "Ec2", Ec2 + "transit-gateway/{Name}", null, "ec2:CreateTransitGateway", "ec2:ModifyTransitGateway", "ec2:DeleteTransitGateway"),
        Row("AWS::EC2::TransitGatewayAttachment", "Ec2", Ec2 + "transit-gateway-attachment/{Name}", null, "ec2:CreateTransitGatewayVpcAttachment", "ec2:ModifyTransitGatewayVpcAttachment", "ec2:DeleteTransitGatewayVpcAttachment"),
        Row("AWS::EC2::TransitGatewayRoute", "Ec2", Ec2 + "transit-gateway-route-table/*", null, "ec2:CreateTransitGatewayRoute", "ec2:ReplaceTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute"),
        Row("AWS::EC2::TransitGatewayRouteTable", "Ec2", Ec2 + "transit-gateway-route-table/{Name}", null, "ec2:CreateTransitGatewayRouteTable", "ec2:CreateTags", "ec2:DeleteTransitGatewayRouteTable"),
        Row("AWS::EC2::TransitGatewayRouteTableAssociation", "Ec2", Ec2 + "transit-gateway-route-table/*", null, "ec2:AssociateTransitGatewayRouteTable", "ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"),
        Row("AWS::EC2::TransitGatewayRouteTablePropagation", "Ec2", Ec2 + "transit-gateway-route-table/*", null, "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation"),
        Row("AWS::EC2::TransitGatewayVpcAttachment", "Ec2", Ec2 + "transit-gateway-attachment/{Name}", null, "ec2:CreateTransitGatewayVpcAttachment", "ec2:ModifyTransitGatewayVpcAttachment", "ec2:DeleteTransitGatewayVpcAttachment"),
        Row("AWS::EC2::VPC", "Ec2", Ec2 + "vpc/{Name}", null, "ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc"),
        Row("AWS::EC2::VPCEndpoint", "Ec2", Ec2 + "vpc-endpoint/{Name}", null, "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints"),
        Row("AWS::EC2::VPCGatewayAttachment", "Ec2", Ec2 + "internet-gateway/*", null, "ec2:AttachInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway"),
        Row("AWS::EFS::FileSystem", "Efs", "arn:aws:elasticfilesystem:{Region}:{Account}:file-system/{Name}", null, "elasticfilesystem:CreateFileSystem", "elasticfilesystem:PutBackupPolicy", "elasticfilesystem:DeleteFileSystem"),
        Row("AWS::EFS::MountTarget", "Efs", "arn:aws:elasticfilesystem:{Region}:{Account}:file-system/*", null, "elasticfilesystem:CreateMountTarget", "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DeleteMountTarget"),
        Row("AWS::EFS::AccessPoint", "Efs", "arn:aws:elasticfilesystem:{Region}:{Account}:access-point/{Name}", null, "elasticfilesystem:CreateAccessPoint", "elasticfilesystem:TagResource", "elasticfilesystem:DeleteAccessPoint"),
        Row("AWS::ElasticLoadBalancingV2::Listener", "ElasticLoadBalancingV2", Elb + "listener/{Name}", null, "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener"),
        Row("AWS::ElasticLoadBalancingV2::LoadBalancer", "ElasticLoadBalancingV2", Elb + "loadbalancer/{LoadBalancerKind}/{Name}/*", "Name", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:DeleteLoadBalancer"),
        Row("AWS::ElasticLoadBalancingV2::TargetGroup", "ElasticLoadBalancingV2", Elb + "targetgroup/{Name}/*", "Name", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:DeleteTargetGroup"),
        Row("AWS::Events::EventBus", "EventBridge", "arn:aws:events:{Region}:{Account}:event-bus/{Name}", "Name", "events:CreateEventBus", "events:UpdateEventBus", "events:DeleteEventBus"),
        Row("AWS::Events::EventBusPolicy", "EventBridge", "arn:aws:events:{Region}:{Account}:event-bus/*", null, "events:PutPermission", "events:PutPermission", "events:RemovePermission"),
        Row("AWS::Events::Rule", "EventBridge", "arn:aws:events:{Region}:{Account}:rule/{Name}", "Name", "events:PutRule; events:PutTargets; iam:PassRole on RoleArn to events.amazonaws.com; iam:PassRole on Targets.RoleArn to events.amazonaws.com", "events:PutRule; events:PutTargets; iam:PassRole on RoleArn to events.amazonaws.com; iam:PassRole on Targets.RoleArn to events.amazonaws.com", "events:RemoveTargets; events:DeleteRule"),
        Row("AWS::FIS::ExperimentTemplate", "Fis", "arn:aws:fis:{Region}:{Account}:experiment-template/*", null, "fis:CreateExperimentTemplate; fis:TagResource; iam:PassRole on RoleArn to fis.amazonaws.com", "fis:UpdateExperimentTemplate", "fis:DeleteExperimentTemplate"),
        Row("AWS::IAM::InstanceProfile", "Iam", "arn:aws:iam::{Account}:instance-profile/{Path}{Name}", "InstanceProfileName", "iam:CreateInstanceProfile; iam:AddRoleToInstanceProfile; iam:PassRole on Roles to ec2.amazonaws.com", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile; iam:DeleteInstanceProfile"),
        Row("AWS::IAM::ManagedPolicy", "Iam", "arn:aws:iam::{Account}:policy/{Path}{Name}", "ManagedPolicyName", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy"),
        Row("AWS::IAM::Policy", "Iam", "arn:aws:iam::{Account}:role/*", null, "iam:PutRolePolicy on Roles", "iam:PutRolePolicy on Roles", "iam:DeleteRolePolicy on Roles"),
        Row("AWS::IAM::Role", "Iam", "arn:aws:iam::{Account}:role/{Path}{Name}", "RoleName", "iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"),
        Row("AWS::IAM::RolePolicy", "Iam", "arn:aws:iam::{Account}:role/*", null, "iam:PutRolePolicy on RoleName", "iam:PutRolePolicy on RoleName", "iam:DeleteRolePolicy on RoleName"),
        Row("AWS::KMS::Alias", "Kms", "arn:aws:kms:{Region}:{Account}:{Name}", "AliasName", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"),
        Row("AWS::KMS::Key", "Kms", "arn:aws:kms:{Region}:{Account}:key/{Name}", null, "kms:CreateKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"),
        Row("AWS::Lambda::Function", "Lambda", "arn:aws:lambda:{Region}:{Account}:function:{Name}", "FunctionName", "lambda:CreateFunction; iam:PassRole on Role to lambda.amazonaws.com", "lambda:UpdateFunctionConfiguration", "lambda:DeleteFunction"),
        Row("AWS::Lambda::Permission", "Lambda", "arn:aws:lambda:{Region}:{Account}:function:*", null, "lambda:AddPermission on FunctionName", "lambda:AddPermission on FunctionName", "lambda:RemovePermission on FunctionName"),
        Row("AWS::Logs::LogGroup", "CloudWatchLogs", "arn:aws:logs:{Region}:{Account}:log-group:{Name}", "LogGroupName", "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup"),
        // LoggingConfiguration has no Create/Delete action of its own: every change is UpdateLoggingConfiguration
        // (Service Authorization Reference, AWS Network Firewall; docs/localcloud-network-firewall.md).
        Row("AWS::NetworkFirewall::Firewall", "NetworkFirewall", "arn:aws:network-firewall:{Region}:{Account}:firewall/{Name}", "FirewallName", "network-firewall:CreateFirewall",
            "network-firewall:UpdateFirewallDescription; network-firewall:AssociateFirewallPolicy; network-firewall:AssociateSubnets; network-firewall:DisassociateSubnets", "network-firewall:DeleteFirewall"),
        Row("AWS::NetworkFirewall::LoggingConfiguration", "NetworkFirewall", "arn:aws:network-firewall:{Region}:{Account}:firewall/*", null,
            "network-firewall:UpdateLoggingConfiguration", "network-firewall:UpdateLoggingConfiguration", "network-firewall:UpdateLoggingConfiguration"),
        Row("AWS::RAM::ResourceShare", "Ram", "arn:aws:ram:{Region}:{Account}:resource-share/*", null, "ram:CreateResourceShare", "ram:UpdateResourceShare; ram:AssociateResourceShare; ram:DisassociateResourceShare", "ram:DeleteResourceShare"),
        Row("AWS::RDS::DBCluster", "Rds", Rds + "cluster:{Name}", "DBClusterIdentifier", "rds:CreateDBCluster", "rds:ModifyDBCluster", "rds:DeleteDBCluster"),
        Row("AWS::RDS::DBInstance", "Rds", Rds + "db:{Name}", "DBInstanceIdentifier", "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance"),
        Row("AWS::RDS::DBProxy", "Rds", Rds + "db-proxy:*", null, "rds:CreateDBProxy; iam:PassRole on RoleArn to rds.amazonaws.com", "rds:ModifyDBProxy", "rds:DeleteDBProxy"),
        Row("AWS::RDS::DBProxyTargetGroup", "Rds", Rds + "target-group:*", null, "rds:RegisterDBProxyTargets", "rds:ModifyDBProxyTargetGroup", "rds:DeregisterDBProxyTargets"),
        Row("AWS::RDS::DBSubnetGroup", "Rds", Rds + "subgrp:{Name}", "DBSubnetGroupName", "rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup"),
        Row("AWS::Route53::RecordSet", "Route53", "arn:aws:route53:::hostedzone/*", null, "route53:ChangeResourceRecordSets", "route53:ChangeResourceRecordSets", "route53:ChangeResourceRecordSets"),
        Row("AWS::S3::Bucket", "S3", "arn:aws:s3:::{Name}", "BucketName", "s3:CreateBucket", "s3:PutBucketTagging", "s3:DeleteBucket"),
        Row("AWS::S3::BucketPolicy", "S3", "arn:aws:s3:::*", null, "s3:PutBucketPolicy on Bucket", "s3:PutBucketPolicy on Bucket", "s3:DeleteBucketPolicy on Bucket"),
        Row("AWS::Scheduler::Schedule", "Scheduler", "arn:aws:scheduler:{Region}:{Account}:schedule/default/{Name}", "Name", "scheduler:CreateSchedule; iam:PassRole on Target.RoleArn to scheduler.amazonaws.com", "scheduler:UpdateSchedule; iam:PassRole on Target.RoleArn to scheduler.amazonaws.com", "scheduler:DeleteSchedule"),
        Row("AWS::Scheduler::ScheduleGroup", "Scheduler", "arn:aws:scheduler:{Region}:{Account}:schedule-group/{Name}", "Name", "scheduler:CreateScheduleGroup", "scheduler:TagResource", "scheduler:DeleteScheduleGroup"),
        Row("AWS::SecretsManager::Secret", "SecretsManager", "arn:aws:secretsmanager:{Region}:{Account}:secret:{Name}-*", "Name", "secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret"),
        Row("AWS::SNS::Subscription", "Sns", "arn:aws:sns:{Region}:{Account}:*", null, "sns:Subscribe on TopicArn", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"),
        Row("AWS::SNS::Topic", "Sns", "arn:aws:sns:{Region}:{Account}:{Name}", "TopicName", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic"),
        Row("AWS::SNS::TopicPolicy", "Sns", "arn:aws:sns:{Region}:{Account}:*", null, "sns:SetTopicAttributes on Topics", "sns:SetTopicAttributes on Topics", "sns:SetTopicAttributes on Topics"),
        Row("AWS::SQS::Queue", "Sqs", "arn:aws:sqs:{Region}:{Account}:{Name}", "QueueName", "sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue"),
        Row("AWS::SQS::QueuePolicy", "Sqs", "arn:aws:sqs:{Region}:{Account}:*", null, "sqs:SetQueueAttributes", "sqs:SetQueueAttributes", "sqs:SetQueueAttributes"),
        Row("AWS::SSM::Document", "Ssm", "arn:aws:ssm:{Region}:{Account}:document/{Name}", "Name", "ssm:CreateDocument", "ssm:UpdateDocument", "ssm:DeleteDocument"),
        Row("AWS::SSM::Parameter", "Ssm", "arn:aws:ssm:{Region}:{Account}:parameter/{Name}", "Name", "ssm:PutParameter", "ssm:PutParameter", "ssm:DeleteParameter"),
        // CloudFormation's own bookkeeping types make no call to another service, and custom resources call their
        // provider as CloudFormation itself (docs/localcloud-authorization.md).
        Row("AWS::CloudFormation::WaitCondition", "CloudFormation", "*", null, "", "", ""),
        Row("AWS::CloudFormation::WaitConditionHandle", "CloudFormation", "*", null, "", "", ""),
        Row("AWS::CloudFormation::CustomResource", "CloudFormation", "*", null, "", "", ""),
    }.ToDictionary(row => row.Type, StringComparer.Ordinal);

    // The IAM prefixes of services whose CloudFormation name is not the prefix in lower case.
    private static readonly Dictionary<string, string> ServicePrefixes = new(StringComparer.Ordinal)
    {
        ["ElasticLoadBalancingV2"] = "elasticloadbalancing", ["ElasticLoadBalancing"] = "elasticloadbalancing", ["CertificateManager"] = "acm",
        ["StepFunctions"] = "states", ["Cognito"] = "cognito-idp", ["ApiGatewayV2"] = "apigateway", ["KinesisFirehose"] = "firehose",
        ["OpenSearchService"] = "es", ["Elasticsearch"] = "es", ["ElastiCache"] = "elasticache", ["CodeStarConnections"] = "codestar-connections",
        ["NetworkFirewall"] = "network-firewall",
    };

    /// <summary>Every type with a row of its own, for the documentation table.</summary>
    public static IEnumerable<ResourceTypeRow> All => Rows.Values.OrderBy(row => row.Type, StringComparer.Ordinal);

    /// <summary>The row of a type: its own, a custom resource's for Custom::*, else the derived one.</summary>
    public static ResourceTypeRow For(string type) =>
        Rows.TryGetValue(type.StartsWith("Custom::", StringComparison.Ordinal) ? "AWS::CloudFormation::CustomResource" : type, out var row) ? row : Derived(type);

    /// <summary>
    /// The rule for a type without a row: AWS::Service::Thing needs service:CreateThing, service:UpdateThing and
    /// service:DeleteThing on any resource, the naming most handlers' principal calls follow (an approximation that
    /// docs/localcloud-authorization.md states).
    /// </summary>
    public static ResourceTypeRow Derived(string type)
    {
        var parts = type.Split(new[] { "::" }, StringSplitOptions.None);
        var service = parts.Length == 3 ? parts[1] : type;
        var thing = parts.Length == 3 ? parts[2] : type;
        var prefix = ServicePrefixes.TryGetValue(service, out var known) ? known : service.ToLowerInvariant();
        return new ResourceTypeRow(type, service, "*", null, new[] { new HandlerCall($"{prefix}:Create{thing}") }, new[] { new HandlerCall($"{prefix}:Update{thing}") }, new[] { new HandlerCall($"{prefix}:Delete{thing}") });
    }

    private static ResourceTypeRow Row(string type, string service, string arn, string? nameProperty, string create, string update, string delete) =>
        new(type, service, arn, nameProperty, Calls(create), Calls(update), Calls(delete));

    private static HandlerCall[] Calls(string text) =>
        text.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(call => call.Trim()).Where(call => call.Length > 0).Select(HandlerCall.Parse).ToArray();
}
