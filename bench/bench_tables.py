"""CloudFormation resources of the bench's DynamoDB tables (LocalCloud's DynamoDB has no CreateTable), shared by the
bench setup scripts."""


def table_resources(count):
    """Resources Table1..TableN of an AWS::DynamoDB::Table each, named bench-1..bench-N (on-demand, key id)."""
    return {
        f"Table{index}": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": f"bench-{index}", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}
        for index in range(1, count + 1)}
