"""CloudFormation creating AWS::Events::EventBus/EventBusPolicy/Rule and AWS::Scheduler::ScheduleGroup/Schedule for real,
through boto3: the resources are visible through EventBridge's and Scheduler's APIs, an event put on the stack's bus
reaches the stack's topic, an update changes the rule, and deleting the stack removes them.

Usage: python3 events_stack_client.py OTHER_ACCOUNT; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys

from localcloud import client, error, settle

TEMPLATE = """
Parameters:
  Source:
    Type: String
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties: { Name: orchestrator }
  MemberMayPut:
    Type: AWS::Events::EventBusPolicy
    Properties:
      EventBusName: !Ref Bus
      StatementId: member
      Action: events:PutEvents
      Principal: "OTHER"
  Topic:
    Type: AWS::SNS::Topic
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: [events.amazonaws.com] }
            Action: sns:Publish
            Resource: !Ref Topic
  Rule:
    Type: AWS::Events::Rule
    DependsOn: TopicPolicy
    Properties:
      EventBusName: !Ref Bus
      EventPattern: { source: [!Ref Source] }
      Targets:
        - Id: topic
          Arn: !Ref Topic
          InputPath: $.detail
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      Name: nightly-validation
      ScheduleExpression: cron(0 2 * * ? *)
      State: DISABLED
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: scheduler.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: publish
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: sns:Publish, Resource: !Ref Topic }
  Group:
    Type: AWS::Scheduler::ScheduleGroup
    Properties: { Name: orchestrator }
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      GroupName: !Ref Group
      ScheduleExpression: rate(1 day)
      ScheduleExpressionTimezone: Europe/London
      FlexibleTimeWindow: { Mode: FLEXIBLE, MaximumWindowInMinutes: 30 }
      Target:
        Arn: !Ref Topic
        RoleArn: !GetAtt Role.Arn
        Input: '{"run": "validation"}'
        RetryPolicy: { MaximumRetryAttempts: 2 }
Outputs:
  BusName: { Value: !Ref Bus }
  BusArn: { Value: !GetAtt Bus.Arn }
  RuleRef: { Value: !Ref Rule }
  RuleArn: { Value: !GetAtt Rule.Arn }
  NightlyArn: { Value: !GetAtt Nightly.Arn }
  PolicyRef: { Value: !Ref MemberMayPut }
  GroupArn: { Value: !GetAtt Group.Arn }
  ScheduleRef: { Value: !Ref Schedule }
  ScheduleArn: { Value: !GetAtt Schedule.Arn }
  Topic: { Value: !Ref Topic }
"""


def outputs(cfn, stack):
    return {item["OutputKey"]: item["OutputValue"] for item in cfn.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])}


def main(other_account):
    cfn, events, scheduler = client("cloudformation"), client("events"), client("scheduler")
    template = TEMPLATE.replace("OTHER", other_account)
    stack = cfn.create_stack(StackName="orchestrator-events", TemplateBody=template, Capabilities=["CAPABILITY_IAM"],
                             Parameters=[{"ParameterKey": "Source", "ParameterValue": "app.validation"}])["StackId"]
    result = {"created": settle(cfn, stack)["StackStatus"], "outputs": outputs(cfn, stack)}
    result["reasons"] = [event["ResourceStatusReason"] for event in cfn.describe_stack_events(StackName=stack)["StackEvents"] if "FAILED" in event["ResourceStatus"]]
    result["rule"] = events.describe_rule(Name=result["outputs"]["RuleRef"].split("|")[1], EventBusName="orchestrator")
    result["targets"] = events.list_targets_by_rule(Rule=result["rule"]["Name"], EventBusName="orchestrator")["Targets"]
    result["nightly"] = events.describe_rule(Name="nightly-validation")["State"]
    result["policy"] = json.loads(events.describe_event_bus(Name="orchestrator")["Policy"])
    result["schedule"] = scheduler.get_schedule(Name=result["outputs"]["ScheduleRef"], GroupName="orchestrator")
    events.put_events(Entries=[{"Source": "app.validation", "DetailType": "Run", "Detail": json.dumps({"run": 1}), "EventBusName": "orchestrator"}])

    cfn.update_stack(StackName=stack, TemplateBody=template, Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "Source", "ParameterValue": "app.other"}])
    result["updated"] = settle(cfn, stack)["StackStatus"]
    result["updatedPattern"] = json.loads(events.describe_rule(Name=result["rule"]["Name"], EventBusName="orchestrator")["EventPattern"])
    events.put_events(Entries=[{"Source": "app.validation", "DetailType": "Run", "Detail": json.dumps({"run": 2}), "EventBusName": "orchestrator"}])

    cfn.delete_stack(StackName=stack)
    result["deleted"] = settle(cfn, stack)["StackStatus"]
    result["busGone"] = error(events.describe_event_bus, Name="orchestrator")
    result["nightlyGone"] = error(events.describe_rule, Name="nightly-validation")
    result["groupGone"] = error(scheduler.get_schedule_group, Name="orchestrator")
    return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))
