"""GetMetricData with Expression queries through boto3 (docs/localcloud-cloudwatch.md, "GetMetricData"): metric math
over the request's MetricStat items, a number drawn as the same value at every period, and the refusals (SEARCH,
Metrics Insights, unknown ids, cycles, an expression over 2,048 characters, over 500 items, no metric to read).

Usage: python3 metric_data_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION
come from the environment. Prints one JSON object.
"""
import datetime
import json

from localcloud import client, error

BASE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def stat(id, name, returned=False):
    return {"Id": id, "ReturnData": returned, "MetricStat": {"Metric": {"Namespace": "data/app", "MetricName": name}, "Period": 60, "Stat": "Sum"}}


def main():
    cw = client("cloudwatch")
    # Requests 100, 200, 400 in three minutes; Errors 5 and 20 in the first and the third (none in the second).
    points = [("Requests", 0, 100), ("Requests", 1, 200), ("Requests", 2, 400), ("Errors", 0, 5), ("Errors", 2, 20)]
    cw.put_metric_data(Namespace="data/app", MetricData=[
        {"MetricName": name, "Value": value, "Timestamp": BASE + datetime.timedelta(minutes=minute)} for name, minute, value in points])

    def query(queries, **extra):
        return cw.get_metric_data(MetricDataQueries=queries, StartTime=BASE, EndTime=BASE + datetime.timedelta(minutes=3), **extra)

    answer = query([
        stat("r", "Requests", returned=True), stat("e", "Errors"),
        {"Id": "rate", "Expression": "e / r * 100", "Label": "Error rate"},
        {"Id": "filled", "Expression": "FILL(e, 0) / r * 100"},
        {"Id": "total", "Expression": "SUM([r, e])"},
        {"Id": "average", "Expression": "AVG(r)"},
    ], ScanBy="TimestampAscending")
    results = {result["Id"]: {"label": result["Label"], "values": result["Values"],
                              "minutes": [int((time - BASE).total_seconds() // 60) for time in result["Timestamps"]]}
               for result in answer["MetricDataResults"]}
    descending = query([stat("e", "Errors"), {"Id": "double", "Expression": "e * 2"}])["MetricDataResults"][0]["Values"]

    def refused(queries):
        return error(query, queries=queries)

    return {
        "results": results,
        "order": [result["Id"] for result in answer["MetricDataResults"]],
        "descending": descending,
        "refusals": {
            "search": refused([{"Id": "s", "Expression": "SEARCH('{data/app} MetricName=\"Requests\"', 'Sum', 60)", "Period": 60}]),
            "insights": refused([{"Id": "s", "Expression": "SELECT SUM(Requests) FROM \"data/app\"", "Period": 60}]),
            "unknown_id": refused([stat("r", "Requests"), {"Id": "x", "Expression": "r * nope"}]),
            "cycle": refused([stat("r", "Requests"), {"Id": "a", "Expression": "b + r"}, {"Id": "b", "Expression": "a * 2"}]),
            "too_long": refused([stat("r", "Requests"), {"Id": "x", "Expression": "r" + " + 1" * 1024}]),
            "too_many": refused([stat(f"m{index}", "Requests") for index in range(501)]),
            "no_metric": refused([{"Id": "c", "Expression": "1 + 1"}]),
        },
    }


if __name__ == "__main__":
    print(json.dumps(main()))
