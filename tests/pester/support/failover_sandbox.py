"""The DR failover's surroundings in a LocalCloud sandbox, with boto3: the last copy hop into the DR account (what the
DR-Orchestrator does, proven by Orchestrator.Tests.ps1), the application's failover records, what Route 53 answers,
and what a drill could have left in the DR account.

Usage: python3 failover_sandbox.py <endpoint> <command> [args]
  copy-to-dr                 copies the newest completed recovery point of each resource in log-archive's central vault
                             (us-west-2) into the DR account's vault dr, and waits for the copies; prints them as JSON
  dr-points                  the DR vault's recovery points: resourceArn, recoveryPointArn, created, as JSON
  zone NAME PRIMARY_DNS PRIMARY_ZONE DR_DNS DR_ZONE  creates a public hosted zone for NAME's parent in production with a
                             failover pair for NAME: PRIMARY an alias to PRIMARY_DNS, SECONDARY an alias to DR_DNS (both
                             evaluating target health); prints {"zoneId"}
  resolve NAME               what Route 53 answers for NAME (production's zone) now, as LocalCloud's admin API says
  dr-leftovers               the DR account's stacks named cloudpatterns-dr-drill-*, and its DB instances and tables
                             named drill-*, as JSON
  database ACCOUNT REGION NAME  the DB instance NAME: its status, subnet group and security groups, as JSON
  reaches ACCOUNT REGION NAME GROUP  who may reach the DB instance NAME (DescribeSecurityGroups of its groups): the
                             inbound rules from security groups, and the groups of the Auto Scaling group GROUP's
                             instances, as JSON
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import json
import sys
import time
import urllib.parse
import urllib.request

from sandbox_clients import sandbox_client

LOG_ARCHIVE = "222222222222"
PRODUCTION = "333333333333"
DR_ACCOUNT = "555555555555"
DR_REGION = "us-west-2"

endpoint = sys.argv[1]


def client(service, account, region=DR_REGION):
    return sandbox_client(endpoint, service, region, account, session_name="failover-test")


def copy_to_dr():
    backup = client("backup", LOG_ARCHIVE)
    newest = {}
    for point in backup.list_recovery_points_by_backup_vault(BackupVaultName="central")["RecoveryPoints"]:
        if point["Status"] == "COMPLETED" and (point["ResourceArn"] not in newest or point["CreationDate"] > newest[point["ResourceArn"]]["CreationDate"]):
            newest[point["ResourceArn"]] = point
    jobs = [backup.start_copy_job(RecoveryPointArn=point["RecoveryPointArn"], SourceBackupVaultName="central",
                                  DestinationBackupVaultArn=f"arn:aws:backup:{DR_REGION}:{DR_ACCOUNT}:backup-vault:dr",
                                  IamRoleArn=f"arn:aws:iam::{LOG_ARCHIVE}:role/service-role/AWSBackupDefaultServiceRole")["CopyJobId"]
            for point in newest.values()]
    for _ in range(600):
        states = [backup.describe_copy_job(CopyJobId=job)["CopyJob"] for job in jobs]
        if all(state["State"] in ("COMPLETED", "FAILED") for state in states):
            print(json.dumps([{"resourceArn": s["ResourceArn"], "state": s["State"], "message": s.get("StatusMessage")} for s in states]))
            return
        time.sleep(0.2)
    raise TimeoutError("copy jobs")


def dr_points():
    points = client("backup", DR_ACCOUNT).list_recovery_points_by_backup_vault(BackupVaultName="dr")["RecoveryPoints"]
    print(json.dumps([{"resourceArn": p["ResourceArn"], "recoveryPointArn": p["RecoveryPointArn"], "created": p["CreationDate"].isoformat()} for p in points]))


def zone(name, primary_dns, primary_zone, dr_dns, dr_zone):
    route53 = client("route53", PRODUCTION, "us-east-1")
    zone_id = route53.create_hosted_zone(Name=name.split(".", 1)[1], CallerReference=f"failover-{time.time()}")["HostedZone"]["Id"]
    pair = [("primary", "PRIMARY", primary_dns, primary_zone), ("dr", "SECONDARY", dr_dns, dr_zone)]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": name, "Type": "A", "SetIdentifier": identifier, "Failover": role,
                                                   "AliasTarget": {"HostedZoneId": target_zone, "DNSName": dns, "EvaluateTargetHealth": True}}}
        for identifier, role, dns, target_zone in pair]})
    print(json.dumps({"zoneId": zone_id.split("/")[-1]}))


def resolve(name):
    query = urllib.parse.urlencode({"accountId": PRODUCTION, "name": name, "type": "A"})
    with urllib.request.urlopen(f"{endpoint.rstrip('/')}/_localcloud/route53/resolve?{query}") as response:
        print(response.read().decode())


def dr_leftovers():
    stacks = [s["StackName"] for s in client("cloudformation", DR_ACCOUNT).describe_stacks()["Stacks"]
              if s["StackName"].startswith("cloudpatterns-dr-drill-") and s["StackStatus"] != "DELETE_COMPLETE"]
    databases = [d["DBInstanceIdentifier"] for d in client("rds", DR_ACCOUNT).describe_db_instances()["DBInstances"]
                 if d["DBInstanceIdentifier"].startswith("drill-") and d["DBInstanceStatus"] != "deleting"]
    tables = [t for t in client("dynamodb", DR_ACCOUNT).list_tables()["TableNames"] if t.startswith("drill-")]
    print(json.dumps({"stacks": stacks, "databases": databases, "tables": tables}))


def database(account, region, name):
    instance = client("rds", account, region).describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    print(json.dumps({"status": instance["DBInstanceStatus"], "subnetGroup": instance.get("DBSubnetGroup", {}).get("DBSubnetGroupName"),
                      "securityGroups": [g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", [])]}))


def reaches(account, region, name, group_name):
    instance = client("rds", account, region).describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    ec2 = client("ec2", account, region)
    groups = ec2.describe_security_groups(GroupIds=[g["VpcSecurityGroupId"] for g in instance["VpcSecurityGroups"]])["SecurityGroups"]
    rules = [{"group": pair["GroupId"], "from": rule.get("FromPort"), "to": rule.get("ToPort")}
             for group in groups for rule in group["IpPermissions"] for pair in rule.get("UserIdGroupPairs", [])]
    members = client("autoscaling", account, region).describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]["Instances"]
    tier = ec2.describe_instances(InstanceIds=[member["InstanceId"] for member in members])["Reservations"] if members else []
    print(json.dumps({"port": instance["Endpoint"]["Port"], "ingress": rules,
                      "tierGroups": sorted({g["GroupId"] for r in tier for i in r["Instances"] for g in i["SecurityGroups"]})}))


command, arguments = sys.argv[2], sys.argv[3:]
{"copy-to-dr": copy_to_dr, "dr-points": dr_points, "zone": zone, "resolve": resolve, "dr-leftovers": dr_leftovers, "database": database,
 "reaches": reaches}[command](*arguments)
