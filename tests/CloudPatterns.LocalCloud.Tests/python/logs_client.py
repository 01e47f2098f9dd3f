"""CloudWatch Logs through boto3: groups, retention, streams, PutLogEvents' rules, reading and filtering.

Usage: python3 logs_client.py <now-ms>, now-ms being LocalCloud's simulated time; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error

HOUR = 3_600_000
DAY = 24 * HOUR


def main(now):
    logs = client("logs")
    group, stream = "/app/orchestrator", "2026/12/05/run-1"
    logs.create_log_group(logGroupName=group, tags={"team": "dr"})
    logs.create_log_group(logGroupName="/app/other")
    result = {
        "duplicateGroup": error(logs.create_log_group, logGroupName=group),
        "badGroupName": error(logs.create_log_group, logGroupName="bad:name"),
        "badRetention": error(logs.put_retention_policy, logGroupName=group, retentionInDays=2),
        "retentionMissingGroup": error(logs.put_retention_policy, logGroupName="/none", retentionInDays=7),
    }
    logs.put_retention_policy(logGroupName=group, retentionInDays=7)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    logs.create_log_stream(logGroupName=group, logStreamName="2026/12/05/run-2")
    result["duplicateStream"] = error(logs.create_log_stream, logGroupName=group, logStreamName=stream)
    result["streamMissingGroup"] = error(logs.create_log_stream, logGroupName="/none", logStreamName="s")

    messages = [
        "START run-1",
        json.dumps({"level": "ERROR", "job": {"id": "j-1", "state": "FAILED"}, "bytes": 2048}),
        json.dumps({"level": "INFO", "job": {"id": "j-2", "state": "COMPLETED"}, "bytes": 10}),
        "ERROR copy failed for vault central",
        "WARN slow restore",
        "END run-1",
    ]
    put = logs.put_log_events(logGroupName=group, logStreamName=stream,
                              logEvents=[{"timestamp": now - 60_000 + i * 1000, "message": m} for i, m in enumerate(messages)])
    result["putRejected"] = put.get("rejectedLogEventsInfo")
    result["outOfOrder"] = error(logs.put_log_events, logGroupName=group, logStreamName=stream,
                                 logEvents=[{"timestamp": now, "message": "b"}, {"timestamp": now - 1, "message": "a"}])
    result["tooLarge"] = error(logs.put_log_events, logGroupName=group, logStreamName=stream,
                               logEvents=[{"timestamp": now, "message": "x" * 600_000}, {"timestamp": now, "message": "y" * 600_000}])
    result["missingStream"] = error(logs.put_log_events, logGroupName=group, logStreamName="none",
                                    logEvents=[{"timestamp": now, "message": "a"}])
    # 15 days old (too old), 8 days old (older than the 7-day retention), fine, 3 hours ahead (too new).
    logs.create_log_stream(logGroupName=group, logStreamName="edges")
    edges = logs.put_log_events(logGroupName=group, logStreamName="edges", logEvents=[
        {"timestamp": now - 15 * DAY, "message": "too old"},
        {"timestamp": now - 8 * DAY, "message": "expired"},
        {"timestamp": now - 1000, "message": "kept"},
        {"timestamp": now + 3 * HOUR, "message": "too new"},
    ])
    result["edgesRejected"] = edges.get("rejectedLogEventsInfo")
    result["edgesKept"] = [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName="edges", startFromHead=True)["events"]]

    first = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True, limit=4)
    second = logs.get_log_events(logGroupName=group, logStreamName=stream, nextToken=first["nextForwardToken"], limit=4)
    third = logs.get_log_events(logGroupName=group, logStreamName=stream, nextToken=second["nextForwardToken"], limit=4)
    result["pages"] = [[e["message"][:9] for e in page["events"]] for page in (first, second, third)]
    result["endTokenRepeats"] = third["nextForwardToken"] == second["nextForwardToken"]
    result["tail"] = [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName=stream, limit=2)["events"]]
    result["byArn"] = len(logs.get_log_events(logGroupIdentifier=f"arn:aws:logs:us-east-2:111111111111:log-group:{group}:*", logStreamName=stream)["events"])

    def matching(pattern, **kwargs):
        return [e["message"][:20] for e in logs.filter_log_events(logGroupName=group, filterPattern=pattern, **kwargs)["events"]]

    result["filter"] = {
        "terms": matching("ERROR copy"),
        "quoted": matching('"slow restore"'),
        "excluded": matching("run-1 -START"),
        "anyOf": matching("?WARN ?START"),
        "jsonString": matching('{ $.job.state = "FAIL*" }'),
        "jsonNumber": matching("{ $.bytes > 1000 }"),
        "jsonOr": matching('{ ($.level = "INFO") || ($.bytes >= 2048) }'),
        "jsonAnd": matching('{ $.level = "ERROR" && $.job.id = "j-2" }'),
        "notExists": matching("{ $.missing NOT EXISTS && $.level = INFO }"),
        "prefix": matching("END", logStreamNamePrefix="2026/"),
        "none": matching("nothing-like-this"),
    }
    paged = logs.filter_log_events(logGroupName=group, limit=2)
    result["filterPaged"] = [len(paged["events"]), "nextToken" in paged]
    result["invalidPattern"] = error(logs.filter_log_events, logGroupName=group, filterPattern="[ip, user]")
    result["regexTerm"] = error(logs.filter_log_events, logGroupName=group, filterPattern="%ERR.R%")

    groups = logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"]
    result["groups"] = [[g["logGroupName"], g.get("retentionInDays"), g["arn"]] for g in groups]
    streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"]
    result["streams"] = [s["logStreamName"] for s in streams]
    result["orderWithPrefix"] = error(logs.describe_log_streams, logGroupName=group, orderBy="LastEventTime", logStreamNamePrefix="2026")
    logs.delete_retention_policy(logGroupName=group)
    result["retentionAfterDelete"] = "retentionInDays" in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    logs.delete_log_group(logGroupName="/app/other")
    result["deleteMissing"] = error(logs.delete_log_group, logGroupName="/app/other")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]))
