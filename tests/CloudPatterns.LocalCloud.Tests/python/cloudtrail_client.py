"""CloudTrail management events on EventBridge through boto3: a rule for "AWS API Call via CloudTrail" records every
write call into an SNS topic; reads, data events and calls in other regions do not reach it.

Usage: python3 cloudtrail_client.py ACCOUNT_ID; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object (the topic; the test reads what reached it).
"""
import json
import sys

from localcloud import client, error


def main(account_id):
    events, sns, logs, ssm, iam, sts = client("events"), client("sns"), client("logs"), client("ssm"), client("iam"), client("sts")
    topic = sns.create_topic(Name="trail")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic}]}))
    events.put_rule(Name="api-calls", EventPattern=json.dumps({"source": [{"prefix": "aws."}], "detail-type": ["AWS API Call via CloudTrail"]}))
    events.put_targets(Rule="api-calls", Targets=[{"Id": "trail", "Arn": topic}])

    logs.create_log_group(logGroupName="/app/orders")
    logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=14)
    result = {"topic": topic, "refused": error(logs.put_retention_policy, logGroupName="/app/orders", retentionInDays=2)}
    logs.describe_log_groups()
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="s")
    logs.put_log_events(logGroupName="/app/orders", logStreamName="s", logEvents=[{"timestamp": 1, "message": "x"}])
    ssm.put_parameter(Name="/app/password", Value="s3cr3t-value", Type="SecureString")
    client("logs", region="us-west-2").create_log_group(logGroupName="/elsewhere")

    # A role session: userIdentity says AssumedRole with its session issuer.
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="operator", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="operator", PolicyName="logs", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
    assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/operator", RoleSessionName="gitops")["Credentials"]
    operator = client("logs", aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"], aws_session_token=assumed["SessionToken"])
    operator.delete_retention_policy(logGroupName="/app/orders")
    result["operatorKey"] = assumed["AccessKeyId"]
    return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
