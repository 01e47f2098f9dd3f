"""Aurora DB clusters through boto3 on the sandbox clock: a cluster with a writer and two readers made by
CloudFormation (spread over three zones), its endpoints, FailoverDBCluster (a reader promoted, endpoints unchanged,
events), the refusals of each call, an outage of the writer's zone, and FIS aws:rds:failover-db-cluster.
Usage: aurora_client.py SCENARIO STACK; prints JSON."""
import json
import sys

from fleet_client import admin, advance
from localcloud import client, error, settle

CLUSTER = """
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      DBClusterIdentifier: {name}
      Engine: aurora-postgresql
      MasterUsername: app
      ManageMasterUserPassword: true
      DeletionProtection: {protected}
      Tags: [{{Key: tier, Value: data}}]
  Writer: {{Type: AWS::RDS::DBInstance, Properties: {{DBInstanceIdentifier: {name}-1, Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}}}}
  ReaderOne: {{Type: AWS::RDS::DBInstance, DependsOn: Writer, Properties: {{DBInstanceIdentifier: {name}-2, Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}}}}
  ReaderTwo: {{Type: AWS::RDS::DBInstance, DependsOn: ReaderOne, Properties: {{DBInstanceIdentifier: {name}-3, Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}}}}
Outputs:
  Endpoint: {{Value: !GetAtt Cluster.Endpoint.Address}}
  Reader: {{Value: !GetAtt Cluster.ReadEndpoint.Address}}
  Port: {{Value: !GetAtt Cluster.Endpoint.Port}}
  Arn: {{Value: !GetAtt Cluster.DBClusterArn}}
"""


def deploy(cfn, stack, protected="false"):
    stack_id = cfn.create_stack(StackName=stack, TemplateBody=CLUSTER.format(name=stack, protected=protected))["StackId"]
    status = settle(cfn, stack_id)
    return stack_id, status["StackStatus"], {output["OutputKey"]: output["OutputValue"] for output in status.get("Outputs", [])}


def shape(rds, name):
    cluster = rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]
    writer = [member["DBInstanceIdentifier"] for member in cluster["DBClusterMembers"] if member["IsClusterWriter"]]
    return [cluster["Status"], writer, cluster["Endpoint"], cluster["ReaderEndpoint"]]


def zones(rds, name):
    return {instance["DBInstanceIdentifier"]: instance["AvailabilityZone"] for instance in rds.describe_db_instances()["DBInstances"]
            if instance.get("DBClusterIdentifier") == name}


def failover(stack):
    """The cluster fails over to a reader by FailoverDBCluster, then by an outage of its writer's zone."""
    cfn, rds = client("cloudformation"), client("rds")
    stack_id, status, outputs = deploy(cfn, stack)
    cluster = rds.describe_db_clusters(DBClusterIdentifier=stack)["DBClusters"][0]
    result = {"status": status, "outputs": [outputs["Endpoint"] == cluster["Endpoint"], outputs["Reader"] == cluster["ReaderEndpoint"],
                                            outputs["Port"], outputs["Arn"] == cluster["DBClusterArn"]],
              "cluster": [cluster["Engine"], cluster["MultiAZ"], cluster["AvailabilityZones"], cluster["AllocatedStorage"], cluster["TagList"]],
              "zones": zones(rds, stack), "before": shape(rds, stack)}
    result["toWriter"] = error(rds.failover_db_cluster, DBClusterIdentifier=stack, TargetDBInstanceIdentifier=f"{stack}-1")
    result["toMissing"] = error(rds.failover_db_cluster, DBClusterIdentifier=stack, TargetDBInstanceIdentifier="nobody")
    result["missingCluster"] = error(rds.failover_db_cluster, DBClusterIdentifier="nothere")
    result["started"] = rds.failover_db_cluster(DBClusterIdentifier=stack)["DBCluster"]["Status"]
    result["again"] = error(rds.failover_db_cluster, DBClusterIdentifier=stack)
    advance("PT20S")
    result["during"] = shape(rds, stack)
    advance("PT41S")
    result["after"] = shape(rds, stack)
    events = rds.describe_events(SourceIdentifier=stack, SourceType="db-cluster")["Events"]
    result["events"] = [event["Message"] for event in events]
    result["seconds"] = (events[-1]["Date"] - events[0]["Date"]).total_seconds()
    # The writer's zone fails: the cluster promotes a reader of another zone by itself.
    account = client("sts").get_caller_identity()["Account"]
    writer_zone = result["zones"][result["after"][1][0]]
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": writer_zone})
    result["outageDuring"] = shape(rds, stack)[0]
    advance("PT61S")
    admin("PUT", "fleet/zone-outages", {"accountId": account, "region": "us-east-2", "availabilityZone": writer_zone, "failed": False})
    after_outage = shape(rds, stack)
    result["afterOutage"] = [after_outage[0], result["zones"][after_outage[1][0]] != writer_zone, after_outage[2] == result["before"][2]]
    result["deleteWithInstances"] = error(rds.delete_db_cluster, DBClusterIdentifier=stack, SkipFinalSnapshot=True)
    cfn.delete_stack(StackName=stack_id)
    result["deleted"] = [settle(cfn, stack_id)["StackStatus"], error(rds.describe_db_clusters, DBClusterIdentifier=stack)]
    return result


def api(stack):
    """CreateDBCluster, ModifyDBCluster and DeleteDBCluster, with their refusals; a protected cluster's stack."""
    cfn, rds = client("cloudformation"), client("rds")
    base = {"Engine": "aurora-mysql", "MasterUsername": "app", "ManageMasterUserPassword": True}
    result = {"badName": error(rds.create_db_cluster, DBClusterIdentifier="1-bad--name", **base),
              "badEngine": error(rds.create_db_cluster, DBClusterIdentifier=stack, **{**base, "Engine": "oracle-ee"}),
              "noUser": error(rds.create_db_cluster, DBClusterIdentifier=stack, Engine="aurora-mysql", ManageMasterUserPassword=True),
              "noPassword": error(rds.create_db_cluster, DBClusterIdentifier=stack, Engine="aurora-mysql", MasterUsername="app")}
    created = rds.create_db_cluster(DBClusterIdentifier=stack.upper(), **base)["DBCluster"]
    result["created"] = [created["DBClusterIdentifier"], created["Status"], created["Port"], created["DBClusterMembers"]]
    result["duplicate"] = error(rds.create_db_cluster, DBClusterIdentifier=stack, **base)
    result["noReader"] = error(rds.failover_db_cluster, DBClusterIdentifier=stack)
    result["badRetention"] = error(rds.modify_db_cluster, DBClusterIdentifier=stack, BackupRetentionPeriod=36)
    modified = rds.modify_db_cluster(DBClusterIdentifier=stack, DeletionProtection=True, BackupRetentionPeriod=7)["DBCluster"]
    result["modified"] = [modified["DeletionProtection"], modified["BackupRetentionPeriod"]]
    result["noSnapshotChoice"] = error(rds.delete_db_cluster, DBClusterIdentifier=stack)
    result["protected"] = error(rds.delete_db_cluster, DBClusterIdentifier=stack, SkipFinalSnapshot=True)
    rds.modify_db_cluster(DBClusterIdentifier=stack, DeletionProtection=False)
    result["deleted"] = rds.delete_db_cluster(DBClusterIdentifier=stack, SkipFinalSnapshot=True)["DBCluster"]["Status"]
    result["gone"] = error(rds.describe_db_clusters, DBClusterIdentifier=stack)
    # A stack whose instance names a cluster that does not exist fails on that instance.
    orphan_id = cfn.create_stack(StackName=stack + "-orphan", TemplateBody="""
Resources:
  Lone: {Type: AWS::RDS::DBInstance, Properties: {Engine: aurora-mysql, DBClusterIdentifier: no-such-cluster, DBInstanceClass: db.r6g.large}}
""")["StackId"]
    settle(cfn, orphan_id)
    reasons = [event.get("ResourceStatusReason", "") for event in cfn.describe_stack_events(StackName=orphan_id)["StackEvents"]
               if event["LogicalResourceId"] == "Lone" and event["ResourceStatus"] == "CREATE_FAILED"]
    result["orphan"] = reasons
    cfn.delete_stack(StackName=orphan_id)
    settle(cfn, orphan_id)
    return result


def instances(stack):
    """CreateDBInstance: a stand-alone Multi-AZ instance and two members of a cluster made by API, each refusal; a
    template cluster without credentials or with another engine fails as CreateDBCluster does."""
    cfn, rds = client("cloudformation"), client("rds")
    alone = {"DBInstanceClass": "db.t3.small", "Engine": "postgres", "AllocatedStorage": 20, "MasterUsername": "app", "ManageMasterUserPassword": True}
    result = {"badName": error(rds.create_db_instance, DBInstanceIdentifier="9bad", **alone),
              "badEngine": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{**alone, "Engine": "postgresql"}),
              "badClass": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{**alone, "DBInstanceClass": "t3.small"}),
              "noStorage": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{key: value for key, value in alone.items() if key != "AllocatedStorage"}),
              "smallStorage": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{**alone, "AllocatedStorage": 5}),
              "noUser": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{key: value for key, value in alone.items() if key != "MasterUsername"}),
              "twoPasswords": error(rds.create_db_instance, DBInstanceIdentifier=stack, MasterUserPassword="only-for-tests-1", **alone),
              "zoneAndMultiAz": error(rds.create_db_instance, DBInstanceIdentifier=stack, MultiAZ=True, AvailabilityZone="us-east-2b", **alone),
              "auroraAlone": error(rds.create_db_instance, DBInstanceIdentifier=stack, **{**alone, "Engine": "aurora-postgresql"}),
              "noCluster": error(rds.create_db_instance, DBInstanceIdentifier=stack, DBInstanceClass="db.r6g.large", Engine="aurora-mysql", DBClusterIdentifier="no-such-cluster")}
    created = rds.create_db_instance(DBInstanceIdentifier=stack.upper(), MultiAZ=True, Tags=[{"Key": "tier", "Value": "data"}], **alone)["DBInstance"]
    result["created"] = [created["DBInstanceIdentifier"], created["DBInstanceStatus"], created["MultiAZ"], created["AvailabilityZone"],
                         created.get("SecondaryAvailabilityZone"), created["AllocatedStorage"], created["TagList"]]
    result["duplicate"] = error(rds.create_db_instance, DBInstanceIdentifier=stack, **alone)
    rds.delete_db_instance(DBInstanceIdentifier=stack, SkipFinalSnapshot=True)
    cluster = stack + "-c"
    rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-mysql", MasterUsername="app", ManageMasterUserPassword=True)
    member = {"DBInstanceClass": "db.r6g.large", "Engine": "aurora-mysql", "DBClusterIdentifier": cluster}
    result["wrongEngine"] = error(rds.create_db_instance, DBInstanceIdentifier=cluster + "-1", **{**member, "Engine": "aurora-postgresql"})
    result["memberPassword"] = error(rds.create_db_instance, DBInstanceIdentifier=cluster + "-1", MasterUserPassword="only-for-tests-1", **member)
    for index in (1, 2):
        rds.create_db_instance(DBInstanceIdentifier=f"{cluster}-{index}", **member)
    described = rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]
    result["cluster"] = [[m["DBInstanceIdentifier"], m["IsClusterWriter"]] for m in described["DBClusterMembers"]]
    result["memberZones"] = sorted(zones(rds, cluster).values())
    for index in (1, 2):
        rds.delete_db_instance(DBInstanceIdentifier=f"{cluster}-{index}")
    rds.delete_db_cluster(DBClusterIdentifier=cluster, SkipFinalSnapshot=True)
    reasons = {}
    for suffix, properties in (("nopass", "{Engine: aurora-mysql, MasterUsername: app}"), ("mysql", "{Engine: mysql, MasterUsername: app, ManageMasterUserPassword: true}")):
        stack_id = cfn.create_stack(StackName=f"{stack}-{suffix}", TemplateBody=f"Resources: {{Cluster: {{Type: AWS::RDS::DBCluster, Properties: {properties}}}}}")["StackId"]
        settle(cfn, stack_id)
        reasons[suffix] = [event.get("ResourceStatusReason", "") for event in cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
                           if event["LogicalResourceId"] == "Cluster" and event["ResourceStatus"] == "CREATE_FAILED"]
        cfn.delete_stack(StackName=stack_id)
        settle(cfn, stack_id)
    result["template"] = reasons
    return result


EXPERIMENT_ROLE = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: fis.amazonaws.com}, Action: sts:AssumeRole}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorRDSAccess]
Outputs:
  Role: {Value: !GetAtt Role.Arn}
"""


def fis(stack):
    """An experiment with aws:rds:failover-db-cluster on the cluster chosen by its tag: a reader becomes the writer."""
    cfn, rds, fis_client = client("cloudformation"), client("rds"), client("fis")
    stack_id, _, _ = deploy(cfn, stack)
    roles_id = cfn.create_stack(StackName=stack + "-role", TemplateBody=EXPERIMENT_ROLE, Capabilities=["CAPABILITY_IAM"])["StackId"]
    role = settle(cfn, roles_id)["Outputs"][0]["OutputValue"]
    before = shape(rds, stack)[1]
    template = fis_client.create_experiment_template(
        clientToken=stack, description="aurora failover", roleArn=role, stopConditions=[{"source": "none"}],
        targets={"Clusters": {"resourceType": "aws:rds:cluster", "selectionMode": "ALL", "resourceTags": {"aws:cloudformation:stack-name": stack}}},
        actions={"Failover": {"actionId": "aws:rds:failover-db-cluster", "targets": {"Clusters": "Clusters"}}})["experimentTemplate"]
    result = {"wrongTarget": error(fis_client.create_experiment_template, clientToken=stack + "x", description="x", roleArn=role, stopConditions=[{"source": "none"}],
                                   targets={"Db": {"resourceType": "aws:rds:db", "selectionMode": "ALL", "resourceTags": {"tier": "data"}}},
                                   actions={"Failover": {"actionId": "aws:rds:failover-db-cluster", "targets": {"Clusters": "Db"}}})}
    experiment = fis_client.start_experiment(experimentTemplateId=template["id"], clientToken=stack)["experiment"]
    result["during"] = shape(rds, stack)[0]
    advance("PT61S")
    done = fis_client.get_experiment(id=experiment["id"])["experiment"]
    after = shape(rds, stack)
    result["experiment"] = [done["state"]["status"], done["targets"]["Clusters"]["resourceType"]]
    result["writer"] = [before, after[0], after[1] != before]
    fis_client.delete_experiment_template(id=template["id"])
    for name in (stack_id, roles_id):
        cfn.delete_stack(StackName=name)
        settle(cfn, name)
    return result


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](*sys.argv[2:]), separators=(",", ":"), default=str))
