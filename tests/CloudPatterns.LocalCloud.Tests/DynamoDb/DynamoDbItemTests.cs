namespace CloudPatterns.LocalCloud.Tests.DynamoDb;

/// <summary>
/// DynamoDB's item API through boto3 (python/dynamodb_items_client.py): a stack's Lambda-backed custom resource seeds
/// its composite-key table with BatchWriteItem and a conditional PutItem; the caller reads (GetItem, projections,
/// BatchGetItem, paged Scan), is refused as DynamoDB refuses (key schema, types, empty keys, failed conditions,
/// duplicate batch keys, unsupported filters named as LocalCloud's limit) and deletes; the stack's delete takes the table.
/// </summary>
public sealed class DynamoDbItemTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task ACustomResourceSeedsATable_AndTheItemApiReadsRefusesAndDeletesAsDynamoDb()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(4), "dynamodb_items_client.py");

        Assert.True(result.Text("status") == "CREATE_COMPLETE", result.GetRawText());
        Assert.Equal("4", result.Text("seeded"));
        Assert.Equal(["pk:HASH", "sk:RANGE"], result.GetProperty("keySchema").EnumerateArray().Select(key => key.GetString()).ToList());
        Assert.Equal(4, result.GetProperty("itemCount").GetInt32());

        Assert.Equal("banana", result.At("get", "name").Text("S"));
        Assert.Equal("{\"name\": {\"S\": \"leek\"}, \"tags\": {\"SS\": [\"green\", \"long\"]}}", result.GetProperty("projected").GetRawText());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("missing").ValueKind);
        Assert.Equal("[[\"apple\", \"banana\", \"cherry\"], [\"leek\"]]", result.GetProperty("scanPages").GetRawText());
        Assert.Equal("{\"pk\": {\"S\": \"fruit\"}, \"sk\": {\"N\": \"3\"}}", result.GetProperty("lastKeyOfFirstPage").GetRawText());
        Assert.False(result.GetProperty("restHasLastKey").GetBoolean());

        Assert.Equal("ConditionalCheckFailedException: The conditional request failed", result.Text("conditionFailed"));
        Assert.Equal("leek", result.Text("replacedOld"));
        Assert.Equal("ValidationException: One or more parameter values were invalid: Missing the key sk in the item", result.Text("missingKey"));
        Assert.Equal("ValidationException: One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S", result.Text("typeMismatch"));
        Assert.Equal("ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk", result.Text("emptyKey"));
        Assert.Equal("ValidationException: The provided key element does not match the schema", result.Text("keyNotSchema"));
        Assert.StartsWith("ValidationException: LocalCloud's DynamoDB does not support FilterExpression (sk > :n) yet", result.Text("filterRefused"), StringComparison.Ordinal);
        Assert.StartsWith("ResourceNotFoundException: Requested resource not found", result.Text("unknownTable"), StringComparison.Ordinal);
        Assert.Equal("ValidationException: Provided list of item keys contains duplicates", result.Text("duplicateBatch"));
        Assert.Equal("ValidationException: The provided key element does not match the schema", result.Text("batchTypeMismatch"));
        Assert.Equal("[\"apple\", \"cherry\"]", result.GetProperty("batchGet").GetRawText());
        Assert.Equal("apple", result.Text("deletedOld"));
        Assert.Equal(3, result.GetProperty("countAfterDelete").GetInt32());

        Assert.Equal("DELETE_COMPLETE", result.Text("deletedStatus"));
        Assert.StartsWith("ResourceNotFoundException:", result.Text("afterStackDelete"), StringComparison.Ordinal);
    }
}
