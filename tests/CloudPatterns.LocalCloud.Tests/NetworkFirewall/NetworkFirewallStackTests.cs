using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Tests.Ec2;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.NetworkFirewall;

/// <summary>
/// AWS::NetworkFirewall::* made for real by CloudFormation: what the stack's GetAtt gives is what the Network Firewall
/// API (JSON, signed with SigV4) answers; updates go through the API's update calls; refusals fail the stack; deletion
/// leaves nothing; a transit gateway-attached firewall's attachment is in EC2 and waits for a sharing owner's acceptance.
/// </summary>
public sealed class NetworkFirewallStackTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_stack_firewall_shows_its_endpoints_rules_and_logging_through_the_API_and_leaves_nothing_behind()
    {
        var (stack, outputs) = await cloud.DeployAsync("production", "nfw-inspection", Inspection("drop ip any any -> any 23 (sid:2;)", withAlertLog: true));
        Assert.Equal("CREATE_COMPLETE", stack.Status);

        var production = cloud.As("production");
        var described = (await production.CallAsync("DescribeFirewall", new { FirewallName = "nfw-inspection" })).Ok();
        var syncStates = described["FirewallStatus"]!["SyncStates"]!.AsObject();
        var fromApi = syncStates.Select(zone => $"{zone.Key}:{zone.Value!["Attachment"]!["EndpointId"]}").ToList();
        Assert.Equal(outputs["Endpoints"].Split(','), fromApi);
        Assert.Equal(["us-east-2a", "us-east-2b"], syncStates.Select(zone => zone.Key));
        Assert.Equal(outputs["Firewall"], described["Firewall"]!["FirewallArn"]!.GetValue<string>());
        Assert.Equal("READY", described["FirewallStatus"]!["Status"]!.GetValue<string>());

        var rules = (await production.CallAsync("DescribeRuleGroup", new { RuleGroupArn = outputs["Rules"] })).Ok();
        Assert.Equal(2, rules["RuleGroupResponse"]!["ConsumedCapacity"]!.GetValue<int>());
        Assert.Equal(1, rules["RuleGroupResponse"]!["NumberOfAssociations"]!.GetValue<int>());
        var stateless = (await production.CallAsync("DescribeRuleGroup", new { RuleGroupName = "nfw-inspection-stateless", Type = "STATELESS" })).Ok();
        Assert.Equal(2, stateless["RuleGroupResponse"]!["ConsumedCapacity"]!.GetValue<int>());
        var match = stateless["RuleGroup"]!["RulesSource"]!["StatelessRulesAndCustomActions"]!["StatelessRules"]![0]!["RuleDefinition"]!["MatchAttributes"]!;
        Assert.Equal([80, 443], match["DestinationPorts"]!.AsArray().Select(range => range!["FromPort"]!.GetValue<int>()));
        Assert.Equal([6], match["Protocols"]!.AsArray().Select(protocol => protocol!.GetValue<int>()));
        Assert.Equal(["FLOW", "ALERT"], LogTypes((await production.CallAsync("DescribeLoggingConfiguration", new { FirewallArn = outputs["Firewall"] })).Ok()));

        // One more rule, one log destination fewer and one moved to S3: UpdateRuleGroup, and one UpdateLoggingConfiguration
        // call per change (a destination whose type changes is removed and added again).
        var updated = cloud.Server.State.CloudFormation.UpdateStack(Account("production").Id, "us-east-2", new StackInput
        {
            StackName = "nfw-inspection",
            TemplateBody = Inspection("drop ip any any -> any 23 (sid:2;)\nalert tcp any any -> any 22 (sid:3;)", withAlertLog: false)
                .Replace("LogDestinationType: CloudWatchLogs, LogDestination: { logGroup: /nfw/flow }", "LogDestinationType: S3, LogDestination: { bucketName: nfw-flow }", StringComparison.Ordinal),
        });
        await updated.Operation;
        Assert.Equal("UPDATE_COMPLETE", updated.Status);
        Assert.Equal(3, (await production.CallAsync("DescribeRuleGroup", new { RuleGroupArn = outputs["Rules"] })).Ok()["RuleGroupResponse"]!["ConsumedCapacity"]!.GetValue<int>());
        var logging = (await production.CallAsync("DescribeLoggingConfiguration", new { FirewallArn = outputs["Firewall"] })).Ok();
        Assert.Equal(["FLOW"], LogTypes(logging));
        Assert.Equal("nfw-flow", logging["LoggingConfiguration"]!["LogDestinationConfigs"]![0]!["LogDestination"]!["bucketName"]!.GetValue<string>());

        var deleted = cloud.Server.State.CloudFormation.DeleteStack(Account("production").Id, "us-east-2", "nfw-inspection")!;
        await deleted.Operation;
        Assert.Equal("DELETE_COMPLETE", deleted.Status);
        Assert.Empty((await production.CallAsync("ListFirewalls", new { })).Ok()["Firewalls"]!.AsArray());
        Assert.Empty((await production.CallAsync("ListFirewallPolicies", new { })).Ok()["FirewallPolicies"]!.AsArray());
        Assert.Empty((await production.CallAsync("ListRuleGroups", new { })).Ok()["RuleGroups"]!.AsArray());
    }

    [Fact]
    public async Task A_firewall_with_two_subnets_in_one_zone_fails_the_stack_with_the_services_refusal()
    {
        var template = Inspection("drop ip any any -> any 23 (sid:2;)", withAlertLog: false).Replace("AvailabilityZone: us-east-2b", "AvailabilityZone: us-east-2a", StringComparison.Ordinal);

        var (stack, _) = await cloud.DeployAsync("staging", "nfw-one-zone", template);

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Firewall" && stackEvent.ResourceStatus == "CREATE_FAILED"
            && stackEvent.ResourceStatusReason!.Contains("a firewall takes one subnet per Availability Zone", StringComparison.Ordinal));
        Assert.Empty((await cloud.As("staging").CallAsync("ListRuleGroups", new { })).Ok()["RuleGroups"]!.AsArray());
    }

    [Fact]
    public async Task A_rule_group_whose_rules_exceed_its_capacity_fails_the_stack()
    {
        var template = Inspection("drop ip any any -> any 23 (sid:2;)\ndrop ip any any -> any 24 (sid:3;)\ndrop ip any any -> any 25 (sid:4;)", withAlertLog: false)
            .Replace("Capacity: 10 # stateful", "Capacity: 2 # stateful", StringComparison.Ordinal);

        var (stack, _) = await cloud.DeployAsync("staging", "nfw-capacity", template);

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Rules" && stackEvent.ResourceStatus == "CREATE_FAILED"
            && stackEvent.ResourceStatusReason!.Contains("need a capacity of 4, more than its capacity of 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transit_gateway_attached_firewall_routes_through_its_attachment_and_waits_for_a_sharing_owners_acceptance()
    {
        // On the account's own gateway the attachment is available at once: a route table association can use it.
        var (stack, outputs) = await cloud.DeployAsync("production", "nfw-tgw", $$"""
            Resources:
              Gateway:
                Type: AWS::EC2::TransitGateway
                Properties: { AutoAcceptSharedAttachments: disable, DefaultRouteTableAssociation: disable, DefaultRouteTablePropagation: disable }
              Table:
                Type: AWS::EC2::TransitGatewayRouteTable
                Properties: { TransitGatewayId: !Ref Gateway }
              Policy:
                Type: AWS::NetworkFirewall::FirewallPolicy
                Properties:
                  FirewallPolicyName: nfw-tgw
                  FirewallPolicy: { StatelessDefaultActions: [aws:forward_to_sfe], StatelessFragmentDefaultActions: [aws:forward_to_sfe] }
              Firewall:
                Type: AWS::NetworkFirewall::Firewall
                Properties:
                  FirewallName: nfw-tgw
                  FirewallPolicyArn: !Ref Policy
                  TransitGatewayId: !Ref Gateway
                  AvailabilityZoneMappings: [{ AvailabilityZone: use2-az1 }]
              Association:
                Type: AWS::EC2::TransitGatewayRouteTableAssociation
                Properties: { TransitGatewayAttachmentId: !GetAtt Firewall.TransitGatewayAttachmentId, TransitGatewayRouteTableId: !Ref Table }
              Route:
                Type: AWS::EC2::TransitGatewayRoute
                Properties: { DestinationCidrBlock: 0.0.0.0/0, TransitGatewayAttachmentId: !GetAtt Firewall.TransitGatewayAttachmentId, TransitGatewayRouteTableId: !Ref Table }
            Outputs:
              Gateway: { Value: !Ref Gateway }
              Policy: { Value: !Ref Policy }
              Attachment: { Value: !GetAtt Firewall.TransitGatewayAttachmentId }
            """);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var production = cloud.As("production");
        var own = await production.Ec2Async("DescribeTransitGatewayAttachments", ("TransitGatewayAttachmentId.1", outputs["Attachment"]));
        Assert.Equal(["network-function"], own.Values("resourceType"));
        Assert.Equal(["available", "associated"], own.Values("state"));
        Assert.Equal("READY", (await production.CallAsync("DescribeFirewall", new { FirewallName = "nfw-tgw" })).Ok()["FirewallStatus"]!["TransitGatewayAttachmentSyncState"]!["TransitGatewayAttachmentStatus"]!.GetValue<string>());

        // Shared with another account through RAM (invitation accepted), the gateway does not auto-accept: the owner decides.
        var share = (await production.RamAsync("/createresourceshare", new { name = "nfw-tgw", resourceArns = new[] { $"arn:aws:ec2:us-east-2:{Account("production").Id}:transit-gateway/{outputs["Gateway"]}" }, principals = new[] { Account("dr").Id } })).Ok();
        var dr = cloud.As("dr");
        var invitation = (await dr.RamAsync("/getresourceshareinvitations", new { })).Ok()["resourceShareInvitations"]!.AsArray()
            .Single(candidate => candidate!["resourceShareArn"]!.GetValue<string>() == share["resourceShare"]!["resourceShareArn"]!.GetValue<string>())!;
        (await dr.RamAsync("/acceptresourceshareinvitation", new { resourceShareInvitationArn = invitation["resourceShareInvitationArn"]!.GetValue<string>() })).Ok();
        var drPolicy = (await dr.CallAsync("CreateFirewallPolicy", new
        {
            FirewallPolicyName = "shared",
            FirewallPolicy = new { StatelessDefaultActions = new[] { "aws:pass" }, StatelessFragmentDefaultActions = new[] { "aws:pass" } },
        })).Ok()["FirewallPolicyResponse"]!["FirewallPolicyArn"]!.GetValue<string>();
        var created = (await dr.CallAsync("CreateFirewall", new
        {
            FirewallName = "shared",
            FirewallPolicyArn = drPolicy,
            TransitGatewayId = outputs["Gateway"],
            AvailabilityZoneMappings = new[] { new { AvailabilityZone = "use2-az2" } },
        })).Ok();
        var pending = created["FirewallStatus"]!["TransitGatewayAttachmentSyncState"]!;
        Assert.Equal("PENDING_ACCEPTANCE", pending["TransitGatewayAttachmentStatus"]!.GetValue<string>());
        Assert.Equal(Account("production").Id, created["Firewall"]!["TransitGatewayOwnerAccountId"]!.GetValue<string>());
        var attachmentId = pending["AttachmentId"]!.GetValue<string>();

        Assert.Equal("ResourceNotFoundException", (await cloud.As("staging").CallAsync("AcceptNetworkFirewallTransitGatewayAttachment", new { TransitGatewayAttachmentId = attachmentId })).ErrorType);
        Assert.Equal("READY", (await production.CallAsync("AcceptNetworkFirewallTransitGatewayAttachment", new { TransitGatewayAttachmentId = attachmentId })).Ok()["TransitGatewayAttachmentStatus"]!.GetValue<string>());
        Assert.Equal("READY", (await dr.CallAsync("DescribeFirewall", new { FirewallName = "shared" })).Ok()["FirewallStatus"]!["TransitGatewayAttachmentSyncState"]!["TransitGatewayAttachmentStatus"]!.GetValue<string>());
        Assert.Equal("InvalidRequestException", (await production.CallAsync("RejectNetworkFirewallTransitGatewayAttachment", new { TransitGatewayAttachmentId = attachmentId })).ErrorType);
    }

    private SeedAccount Account(string name) => cloud.Organization.Accounts.Single(account => account.Name == name);

    private static List<string> LogTypes(JsonNode logging) =>
        logging["LoggingConfiguration"]!["LogDestinationConfigs"]!.AsArray().Select(config => config!["LogType"]!.GetValue<string>()).ToList();

    /// <summary>A VPC over two zones, a stateless and a stateful rule group, a policy, a firewall and its logging.</summary>
    private static string Inspection(string statefulRules, bool withAlertLog) => $$"""
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: 10.50.0.0/16 }
          SubnetA:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.1.0/24, AvailabilityZone: us-east-2a }
          SubnetB:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.2.0/24, AvailabilityZone: us-east-2b }
          Stateless:
            Type: AWS::NetworkFirewall::RuleGroup
            Properties:
              RuleGroupName: !Sub ${AWS::StackName}-stateless
              Type: STATELESS
              Capacity: 10
              RuleGroup:
                RulesSource:
                  StatelessRulesAndCustomActions:
                    StatelessRules:
                      - Priority: "10"
                        RuleDefinition:
                          Actions: [aws:forward_to_sfe]
                          MatchAttributes:
                            Protocols: ["6"]
                            DestinationPorts: [{ FromPort: 80, ToPort: 80 }, { FromPort: "443", ToPort: "443" }]
          Rules:
            Type: AWS::NetworkFirewall::RuleGroup
            Properties:
              RuleGroupName: !Sub ${AWS::StackName}-stateful
              Type: STATEFUL
              Capacity: 10 # stateful
              RuleGroup:
                RulesSource:
                  RulesString: |
                    # allow the web
                    pass tcp $HOME_NET any -> any 443 (msg:"web"; sid:1;)
        {{string.Concat(statefulRules.Split('\n').Select(rule => $"            {rule}\n"))}}
          Policy:
            Type: AWS::NetworkFirewall::FirewallPolicy
            Properties:
              FirewallPolicyName: !Ref AWS::StackName
              FirewallPolicy:
                StatelessDefaultActions: [aws:forward_to_sfe]
                StatelessFragmentDefaultActions: [aws:forward_to_sfe]
                StatelessRuleGroupReferences: [{ ResourceArn: !Ref Stateless, Priority: 1 }]
                StatefulRuleGroupReferences: [{ ResourceArn: !GetAtt Rules.RuleGroupArn }]
          Firewall:
            Type: AWS::NetworkFirewall::Firewall
            Properties:
              FirewallName: !Ref AWS::StackName
              FirewallPolicyArn: !Ref Policy
              VpcId: !Ref Vpc
              SubnetMappings: [{ SubnetId: !Ref SubnetA }, { SubnetId: !Ref SubnetB }]
          Logging:
            Type: AWS::NetworkFirewall::LoggingConfiguration
            Properties:
              FirewallArn: !Ref Firewall
              LoggingConfiguration:
                LogDestinationConfigs:
                  - { LogType: FLOW, LogDestinationType: CloudWatchLogs, LogDestination: { logGroup: /nfw/flow } }
        {{(withAlertLog ? "          - { LogType: ALERT, LogDestinationType: S3, LogDestination: { bucketName: nfw-alerts, prefix: alerts } }\n" : "")}}
        Outputs:
          Endpoints: { Value: !Join [",", !GetAtt Firewall.EndpointIds] }
          Firewall: { Value: !GetAtt Firewall.FirewallArn }
          Rules: { Value: !Ref Rules }
        """;
}

/// <summary>Network Firewall calls (JSON, NetworkFirewall_20201112) signed as a seed account.</summary>
internal static class NetworkFirewallCalls
{
    public static Task<AwsAnswer> CallAsync(this AwsCaller caller, string operation, object body) =>
        caller.JsonAsync("network-firewall", "NetworkFirewall_20201112." + operation, body);
}
