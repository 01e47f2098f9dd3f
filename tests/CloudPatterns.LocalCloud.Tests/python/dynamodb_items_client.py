"""DynamoDB's item API through boto3: a stack whose Lambda-backed custom resource seeds its table (composite key) with
batch_write_item and put_item, as templates that load reference data do; then the items read, scanned, refused and
deleted by the caller. Prints one JSON object.

Usage: python3 dynamodb_items_client.py; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment.
"""
import json

from localcloud import client, error, settle

SEEDER = '''
import cfnresponse

def handler(event, context):
    import boto3
    table = event["ResourceProperties"]["Table"]
    dynamodb = boto3.client("dynamodb")
    if event["RequestType"] == "Create":
        dynamodb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": {"pk": {"S": "fruit"}, "sk": {"N": str(number)}, "name": {"S": name}}}}
            for number, name in [(1, "apple"), (2, "banana"), (3, "cherry")]]})
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "veg"}, "sk": {"N": "1"}, "name": {"S": "leek"},
                                                 "tags": {"SS": ["green", "long"]}},
                          ConditionExpression="attribute_not_exists(pk)")
    count = dynamodb.scan(TableName=table, Select="COUNT")["Count"]
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Seeded": str(count)}, physicalResourceId="seed-" + table)
'''

TEMPLATE = {
    "Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "seed", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:Scan"], "Resource": {"Fn::GetAtt": ["Table", "Arn"]}},
                {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}}]}},
        "Seeder": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "Code": {"ZipFile": SEEDER}}},
        "Seed": {"Type": "Custom::Seed", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Seeder", "Arn"]}, "Table": {"Ref": "Table"}}},
    },
    "Outputs": {"Table": {"Value": {"Ref": "Table"}}, "Seeded": {"Value": {"Fn::GetAtt": ["Seed", "Seeded"]}}},
}


def main():
    cfn, dynamodb = client("cloudformation"), client("dynamodb")
    cfn.create_stack(StackName="seeded", TemplateBody=json.dumps(TEMPLATE), Capabilities=["CAPABILITY_IAM"])
    stack = settle(cfn, "seeded", seconds=150)
    result = {"status": stack["StackStatus"], "reason": stack.get("StackStatusReason")}
    if stack["StackStatus"] != "CREATE_COMPLETE":
        result["events"] = [f'{e["LogicalResourceId"]}: {e.get("ResourceStatusReason")}' for e in cfn.describe_stack_events(StackName="seeded")["StackEvents"]
                            if e["ResourceStatus"].endswith("FAILED")]
        print(json.dumps(result))
        return
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
    table = outputs["Table"]
    result["seeded"] = outputs["Seeded"]
    described = dynamodb.describe_table(TableName=table)["Table"]
    result["keySchema"] = [f'{key["AttributeName"]}:{key["KeyType"]}' for key in described["KeySchema"]]
    result["itemCount"] = described["ItemCount"]

    # Numbers are keys by value: 2.0 names the item written as 2.
    result["get"] = dynamodb.get_item(TableName=table, Key={"pk": {"S": "fruit"}, "sk": {"N": "2.0"}}).get("Item")
    result["projected"] = dynamodb.get_item(TableName=table, Key={"pk": {"S": "veg"}, "sk": {"N": "1"}},
                                            ProjectionExpression="#n, tags", ExpressionAttributeNames={"#n": "name"}).get("Item")
    result["missing"] = dynamodb.get_item(TableName=table, Key={"pk": {"S": "fruit"}, "sk": {"N": "9"}}).get("Item")
    first = dynamodb.scan(TableName=table, Limit=3)
    rest = dynamodb.scan(TableName=table, ExclusiveStartKey=first["LastEvaluatedKey"])
    result["scanPages"] = [[item["name"]["S"] for item in page["Items"]] for page in (first, rest)]
    result["lastKeyOfFirstPage"] = first["LastEvaluatedKey"]
    result["restHasLastKey"] = "LastEvaluatedKey" in rest

    result["conditionFailed"] = error(dynamodb.put_item, TableName=table, Item={"pk": {"S": "veg"}, "sk": {"N": "1"}},
                                      ConditionExpression="attribute_not_exists(#k)", ExpressionAttributeNames={"#k": "pk"})
    replaced = dynamodb.put_item(TableName=table, Item={"pk": {"S": "veg"}, "sk": {"N": "1"}, "name": {"S": "onion"}},
                                 ConditionExpression="attribute_exists(pk)", ReturnValues="ALL_OLD")
    result["replacedOld"] = replaced["Attributes"]["name"]["S"]
    result["missingKey"] = error(dynamodb.put_item, TableName=table, Item={"pk": {"S": "veg"}, "name": {"S": "x"}})
    result["typeMismatch"] = error(dynamodb.put_item, TableName=table, Item={"pk": {"S": "veg"}, "sk": {"S": "one"}})
    result["emptyKey"] = error(dynamodb.put_item, TableName=table, Item={"pk": {"S": ""}, "sk": {"N": "1"}})
    result["keyNotSchema"] = error(dynamodb.get_item, TableName=table, Key={"pk": {"S": "veg"}})
    result["filterRefused"] = error(dynamodb.scan, TableName=table, FilterExpression="sk > :n", ExpressionAttributeValues={":n": {"N": "1"}})
    result["unknownTable"] = error(dynamodb.get_item, TableName="no-such-table", Key={"pk": {"S": "a"}})
    result["duplicateBatch"] = error(dynamodb.batch_write_item, RequestItems={table: [
        {"DeleteRequest": {"Key": {"pk": {"S": "fruit"}, "sk": {"N": "1"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "fruit"}, "sk": {"N": "1"}}}}]})
    result["batchTypeMismatch"] = error(dynamodb.batch_write_item, RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": "veg"}, "sk": {"S": "one"}}}}]})
    batch = dynamodb.batch_get_item(RequestItems={table: {"Keys": [{"pk": {"S": "fruit"}, "sk": {"N": "1"}}, {"pk": {"S": "fruit"}, "sk": {"N": "3"}}]}})
    result["batchGet"] = sorted(item["name"]["S"] for item in batch["Responses"][table])
    deleted = dynamodb.delete_item(TableName=table, Key={"pk": {"S": "fruit"}, "sk": {"N": "1"}}, ReturnValues="ALL_OLD")
    result["deletedOld"] = deleted["Attributes"]["name"]["S"]
    result["countAfterDelete"] = dynamodb.scan(TableName=table, Select="COUNT")["Count"]

    cfn.delete_stack(StackName="seeded")
    result["deletedStatus"] = settle(cfn, stack["StackId"], seconds=150)["StackStatus"]
    result["afterStackDelete"] = error(dynamodb.scan, TableName=table)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
