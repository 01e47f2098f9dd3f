using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Services.Ec2;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// Whether a restored DB instance's placement exists, as RestoreDBInstanceFromDBSnapshot checks it: the DB subnet
/// group (one CloudFormation created), each VPC security group, and that the groups are in the subnet group's VPC.
/// A restore job that fails these checks fails with RDS's code in its StatusMessage (docs/localcloud-backup.md,
/// "Restore targets").
/// </summary>
internal sealed class RdsRestorePlacement(GenericResourceProvisioner generic, IVpcDirectory vpcs, RecordedSecurityGroups securityGroups)
{
    public const string SubnetGroupType = "AWS::RDS::DBSubnetGroup";

    /// <summary>The job's failure, or null when the placement exists.</summary>
    public string? Failure(string accountId, string region, string? subnetGroupName, IReadOnlyList<string> securityGroupIds)
    {
        string? vpc = null;
        if (!string.IsNullOrEmpty(subnetGroupName))
        {
            // RDS keeps subnet group names in lower case, so the name matches whatever its case.
            var subnetGroup = generic.Recorded(accountId, region, SubnetGroupType)
                .FirstOrDefault(entry => string.Equals(entry.Key, subnetGroupName, StringComparison.OrdinalIgnoreCase)).Value;
            if (subnetGroup is null)
            {
                // (inferred) text; the code is the botocore model's for RestoreDBInstanceFromDBSnapshot.
                return $"Restore failed: DBSubnetGroupNotFoundFault: DB subnet group '{subnetGroupName}' does not exist in account {accountId}, region {region}.";
            }

            var firstSubnet = (subnetGroup["SubnetIds"] as System.Text.Json.Nodes.JsonArray)?.Select(TemplateEvaluator.AsString).FirstOrDefault(id => id is not null);
            vpc = firstSubnet is null ? null : vpcs.Subnet(accountId, region, firstSubnet)?.VpcId;
        }

        foreach (var groupId in securityGroupIds)
        {
            if (!securityGroups.Exists(accountId, region, groupId))
            {
                // (R) RDS's answer for an unknown VPC security group, as users report it (docs/localcloud-backup.md).
                return $"Restore failed: InvalidParameterValue: Invalid security group , groupId= {groupId}, groupName=.";
            }

            if (vpc is not null && securityGroups.VpcOf(accountId, region, groupId) is { } groupVpc && groupVpc != vpc)
            {
                // (R) as users report it.
                return $"Restore failed: InvalidParameterCombination: The DB instance and EC2 security group are in different VPCs. The DB instance is in {vpc} and the EC2 security group is in {groupVpc}";
            }
        }

        return null;
    }
}
