"""DNS failover to a load balancer LocalCloud runs (the fleet's Auto Scaling group behind an ALB): the SECONDARY alias
with EvaluateTargetHealth answers only once the ALB has a healthy target; while the PRIMARY endpoint is down and
the ALB has none, Route 53 answers the PRIMARY (all unhealthy). Usage: route53_failover_client.py STACK; prints JSON."""
import json
import sys
import urllib.parse
import urllib.request

import fleet_client
from localcloud import URL, client

NAME = "www.shop-dr.example.com"
PRIMARY_IP = "198.51.100.80"


def resolve(account):
    query = urllib.parse.urlencode({"accountId": account, "name": NAME, "type": "A"})
    with urllib.request.urlopen(f"{URL}/_localcloud/route53/resolve?{query}") as response:
        answer = json.loads(response.read())
    return [answer["failover"], answer["values"]]


def main():
    stack = sys.argv[1]
    cfn, stack_id, status, outputs = fleet_client.create(stack)
    account = client("sts").get_caller_identity()["Account"]
    balancer = client("elbv2").describe_load_balancers(LoadBalancerArns=[outputs["Balancer"]])["LoadBalancers"][0]
    route53 = client("route53", region="us-east-1")
    zone = route53.create_hosted_zone(Name="shop-dr.example.com", CallerReference=stack)["HostedZone"]["Id"]
    check = route53.create_health_check(CallerReference=stack, HealthCheckConfig={
        "IPAddress": PRIMARY_IP, "Port": 80, "Type": "HTTP", "ResourcePath": "/health"})["HealthCheck"]["Id"]
    primary = {"Name": NAME, "Type": "A", "SetIdentifier": "primary", "Failover": "PRIMARY", "TTL": 60,
               "ResourceRecords": [{"Value": PRIMARY_IP}], "HealthCheckId": check}
    secondary = {"Name": NAME, "Type": "A", "SetIdentifier": "dr", "Failover": "SECONDARY",
                 "AliasTarget": {"HostedZoneId": balancer["CanonicalHostedZoneId"], "DNSName": balancer["DNSName"], "EvaluateTargetHealth": True}}
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": primary}, {"Action": "CREATE", "ResourceRecordSet": secondary}]})
    result = {"status": status, "healthy": resolve(account)}
    fleet_client.admin("PUT", "route53/endpoints", {"endpoint": PRIMARY_IP, "healthy": False})
    result["primaryDownTargetsRegistering"] = resolve(account)
    fleet_client.advance("PT2M")
    result["primaryDownTargetsHealthy"] = resolve(account)
    fleet_client.admin("PUT", "route53/endpoints", {"endpoint": PRIMARY_IP, "healthy": True})
    result["primaryBack"] = resolve(account)
    result["balancer"] = balancer["DNSName"]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
        {"Action": "DELETE", "ResourceRecordSet": primary}, {"Action": "DELETE", "ResourceRecordSet": secondary}]})
    route53.delete_health_check(HealthCheckId=check)
    route53.delete_hosted_zone(Id=zone)
    cfn.delete_stack(StackName=stack_id)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
