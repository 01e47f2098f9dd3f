using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.DynamoDb;

/// <summary>
/// DynamoDB's item API over <see cref="DynamoDbItemStore"/>: PutItem, GetItem, DeleteItem, BatchWriteItem,
/// BatchGetItem and Scan, with the table's key schema checked as DynamoDB checks it and AWS's messages
/// (docs/localcloud-dynamodb.md). Conditions are <c>attribute_exists(name)</c> / <c>attribute_not_exists(name)</c>;
/// other condition, filter and update expressions are refused naming the limit.
/// </summary>
internal sealed partial class DynamoDbService
{
    /// <summary>BatchWriteItem's and BatchGetItem's limits (DynamoDB API reference).</summary>
    private const int MaxBatchWrite = 25;
    private const int MaxBatchGet = 100;
    private const string KeyNotSchema = "The provided key element does not match the schema";

    private static readonly string[] AttributeTypes = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

    private void AddItemOperations()
    {
        AddOperation("PutItem", mutating: true, PutItem);
        AddOperation("GetItem", mutating: false, GetItem);
        AddOperation("DeleteItem", mutating: true, DeleteItem);
        AddOperation("BatchWriteItem", mutating: true, BatchWriteItem);
        AddOperation("BatchGetItem", mutating: false, BatchGetItem);
        AddOperation("Scan", mutating: false, Scan);
    }

    private JsonObject PutItem(AwsRequest request, JsonElement input)
    {
        var table = Find(request, input);
        var item = input.GetObjectOrNull("Item") ?? throw Missing("item");
        var returnValues = ReturnValues(input);
        var key = ItemKey(table, item);
        CheckCondition(input, items.Get(table, key));
        var old = items.Put(table, key, Attributes(item));
        return Returned(returnValues, old);
    }

    private JsonObject GetItem(AwsRequest request, JsonElement input)
    {
        var table = Find(request, input);
        var key = GivenKey(table, input.GetObjectOrNull("Key") ?? throw Missing("key"));
        var projection = Projection(input);
        return items.Get(table, key) is { } item ? new JsonObject { ["Item"] = projection(item) } : [];
    }

    private JsonObject DeleteItem(AwsRequest request, JsonElement input)
    {
        var table = Find(request, input);
        var key = GivenKey(table, input.GetObjectOrNull("Key") ?? throw Missing("key"));
        var returnValues = ReturnValues(input);
        CheckCondition(input, items.Get(table, key));
        return Returned(returnValues, items.Delete(table, key));
    }

    /// <summary>Every request is checked before any is applied (one bad request fails the whole batch, as in DynamoDB).</summary>
    private JsonObject BatchWriteItem(AwsRequest request, JsonElement input)
    {
        var requested = input.GetObjectOrNull("RequestItems") ?? throw Missing("requestItems");
        var writes = new List<(CloudResource Table, string Key, JsonObject? Item)>();
        foreach (var entry in requested.EnumerateObject())
        {
            var table = Find(request, Named(entry.Name));
            foreach (var write in entry.Value.ValueKind == JsonValueKind.Array ? entry.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                if (write.GetObjectOrNull("PutRequest")?.GetObjectOrNull("Item") is { } item)
                {
                    writes.Add((table, ItemKey(table, item, inBatch: true), Attributes(item)));
                }
                else
                {
                    var key = write.GetObjectOrNull("DeleteRequest")?.GetObjectOrNull("Key") ?? throw Invalid("A write request must hold a PutRequest or a DeleteRequest");
                    writes.Add((table, GivenKey(table, key), null));
                }
            }
        }

        if (writes.Count is 0 or > MaxBatchWrite)
        {
            throw AwsServiceException.Validation(ErrorPrefix + "ValidationException",
                [$"Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MaxBatchWrite}, Member must have length greater than or equal to 1]"]);
        }

        if (writes.GroupBy(write => (write.Table.Arn, write.Key)).Any(group => group.Count() > 1))
        {
            throw Invalid("Provided list of item keys contains duplicates");
        }

        foreach (var (table, key, item) in writes)
        {
            _ = item is null ? items.Delete(table, key) : items.Put(table, key, item);
        }

        return new JsonObject { ["UnprocessedItems"] = new JsonObject() };
    }

    private JsonObject BatchGetItem(AwsRequest request, JsonElement input)
    {
        var requested = input.GetObjectOrNull("RequestItems") ?? throw Missing("requestItems");
        var reads = requested.EnumerateObject().Select(entry =>
        {
            var table = Find(request, Named(entry.Name));
            return (entry.Name, Table: table, Keys: entry.Value.GetArrayOrEmpty("Keys").Select(key => GivenKey(table, key)).ToList(), Projection: Projection(entry.Value));
        }).ToList();
        if (reads.Sum(read => read.Keys.Count) is 0 or > MaxBatchGet)
        {
            throw Invalid("Too many items requested for the BatchGetItem call");
        }

        var responses = new JsonObject();
        foreach (var read in reads)
        {
            responses[read.Name] = new JsonArray(read.Keys.Select(key => items.Get(read.Table, key)).OfType<JsonObject>().Select(item => (JsonNode)read.Projection(item)).ToArray());
        }

        return new JsonObject { ["Responses"] = responses, ["UnprocessedKeys"] = new JsonObject() };
    }

    private JsonObject Scan(AwsRequest request, JsonElement input)
    {
        var table = Find(request, input);
        if (input.GetStringOrNull("FilterExpression") is { } filter)
        {
            throw NotSupported($"FilterExpression ({filter})");
        }

        var start = input.GetObjectOrNull("ExclusiveStartKey") is { } startKey ? GivenKey(table, startKey) : null;
        var limit = input.GetInt64OrNull("Limit") is { } given
            ? given >= 1 ? (int)Math.Min(given, int.MaxValue) : throw AwsServiceException.Validation(ErrorPrefix + "ValidationException", [$"Value '{given}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"])
            : int.MaxValue;
        var all = items.Scan(table, start);
        var page = all.Take(limit).ToList();
        var projection = Projection(input);
        var output = new JsonObject { ["Count"] = page.Count, ["ScannedCount"] = page.Count };
        if (input.GetStringOrNull("Select") != "COUNT")
        {
            output["Items"] = new JsonArray(page.Select(entry => (JsonNode)projection(entry.Item)).ToArray());
        }

        if (page.Count < all.Count)
        {
            output["LastEvaluatedKey"] = KeyAttributes(table, page[^1].Item);
        }

        return output;
    }

    /// <summary>The table's key attributes: the partition key, then the sort key when it has one.</summary>
    private static List<(string Name, string Type, string Role)> KeySchema(CloudResource table)
    {
        var keys = new List<(string, string, string)> { (table.Attributes.GetValueOrDefault("PartitionKeyName", "id"), table.Attributes.GetValueOrDefault("PartitionKeyType", "S"), "HASH") };
        if (table.Attributes.GetValueOrDefault("SortKeyName") is { } sortKey)
        {
            keys.Add((sortKey, table.Attributes.GetValueOrDefault("SortKeyType", "S"), "RANGE"));
        }

        return keys;
    }

    /// <summary>
    /// An item's key, its key attributes checked as PutItem checks them; a BatchWriteItem put request's missing or
    /// mistyped key gets the generic "does not match the schema" instead (docs/localcloud-dynamodb.md).
    /// </summary>
    private static string ItemKey(CloudResource table, JsonElement item, bool inBatch = false)
    {
        CheckValues(item);
        return string.Join("\u0001", KeySchema(table).Select(key =>
        {
            if (!item.TryGetProperty(key.Name, out var value))
            {
                throw Invalid(inBatch ? KeyNotSchema : $"One or more parameter values were invalid: Missing the key {key.Name} in the item");
            }

            var actual = TypeOf(value);
            return actual == key.Type
                ? KeyPart(key.Name, key.Type, value)
                : throw Invalid(inBatch ? KeyNotSchema : $"One or more parameter values were invalid: Type mismatch for key {key.Name} expected: {key.Type} actual: {actual}");
        }));
    }

    /// <summary>A Key member's key: exactly the table's key attributes, of their types.</summary>
    private static string GivenKey(CloudResource table, JsonElement key)
    {
        CheckValues(key);
        var schema = KeySchema(table);
        if (key.EnumerateObject().Count() != schema.Count || schema.Any(part => !key.TryGetProperty(part.Name, out var value) || TypeOf(value) != part.Type))
        {
            throw Invalid(KeyNotSchema);
        }

        return string.Join("\u0001", schema.Select(part => KeyPart(part.Name, part.Type, key.GetProperty(part.Name))));
    }

    /// <summary>A key attribute's value in the store's key; numbers compared by value (1 and 1.0 are one key).</summary>
    private static string KeyPart(string name, string type, JsonElement value)
    {
        var text = value.GetProperty(type).GetString() ?? "";
        if (text.Length == 0)
        {
            throw Invalid($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {(type == "B" ? "binary" : "string")} value. Key: {name}");
        }

        return type == "N" ? $"N:{Number(text).ToString(CultureInfo.InvariantCulture)}" : $"{type}:{text}";
    }

    private static decimal Number(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number / 1.000000000000000000000000000000000m
            : throw Invalid($"The parameter cannot be converted to a numeric value: {text}");

    /// <summary>Each attribute value names exactly one of DynamoDB's data types.</summary>
    private static void CheckValues(JsonElement attributes)
    {
        foreach (var attribute in attributes.EnumerateObject())
        {
            if (attribute.Value.ValueKind != JsonValueKind.Object || attribute.Value.EnumerateObject().Count(member => AttributeTypes.Contains(member.Name)) != 1)
            {
                throw Invalid("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
            }
        }
    }

    private static string TypeOf(JsonElement value) => value.EnumerateObject().First(member => AttributeTypes.Contains(member.Name)).Name;

    private static JsonObject Attributes(JsonElement item) => JsonNode.Parse(item.GetRawText())!.AsObject();

    private static JsonObject KeyAttributes(CloudResource table, JsonObject item) =>
        new(KeySchema(table).Select(key => KeyValuePair.Create(key.Name, item[key.Name]?.DeepClone())));

    private static string ReturnValues(JsonElement input) => input.GetStringOrNull("ReturnValues") switch
    {
        null or "NONE" => "NONE",
        "ALL_OLD" => "ALL_OLD",
        _ => throw Invalid("ReturnValues can only be ALL_OLD or NONE"),
    };

    private static JsonObject Returned(string returnValues, JsonObject? old) =>
        returnValues == "ALL_OLD" && old is not null ? new JsonObject { ["Attributes"] = old } : [];

    /// <summary>
    /// A ConditionExpression of one <c>attribute_exists(path)</c> or <c>attribute_not_exists(path)</c> (a name or a
    /// #placeholder of ExpressionAttributeNames) on the item as it is; anything else is refused naming the limit.
    /// </summary>
    private static void CheckCondition(JsonElement input, JsonObject? current)
    {
        if (input.TryGetProperty("Expected", out _))
        {
            throw NotSupported("the legacy Expected parameter");
        }

        if (input.GetStringOrNull("ConditionExpression") is not { } condition)
        {
            return;
        }

        var match = Regex.Match(condition, @"^\s*(attribute_exists|attribute_not_exists)\s*\(\s*(#?[A-Za-z0-9_]+)\s*\)\s*$");
        if (!match.Success)
        {
            throw NotSupported($"ConditionExpression ({condition})");
        }

        var path = match.Groups[2].Value;
        var name = path.StartsWith('#')
            ? input.GetObjectOrNull("ExpressionAttributeNames")?.GetStringOrNull(path)
                ?? throw Invalid($"Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: {path}")
            : path;
        var exists = current?.ContainsKey(name) == true;
        if (exists != (match.Groups[1].Value == "attribute_exists"))
        {
            throw new AwsServiceException(400, ErrorPrefix + "ConditionalCheckFailedException", "The conditional request failed");
        }
    }

    /// <summary>A ProjectionExpression of top-level attribute names (or #placeholders); none keeps the whole item.</summary>
    private static Func<JsonObject, JsonObject> Projection(JsonElement input)
    {
        if (input.GetStringOrNull("ProjectionExpression") is not { } expression)
        {
            return item => item;
        }

        var names = expression.Split(',').Select(part => part.Trim()).ToList();
        if (names.Any(name => !Regex.IsMatch(name, "^#?[A-Za-z0-9_]+$")))
        {
            throw NotSupported($"ProjectionExpression with nested paths ({expression})");
        }

        var attributes = names.Select(name => name.StartsWith('#')
            ? input.GetObjectOrNull("ExpressionAttributeNames")?.GetStringOrNull(name)
                ?? throw Invalid($"Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: {name}")
            : name).ToHashSet(StringComparer.Ordinal);
        return item => new JsonObject(item.Where(entry => attributes.Contains(entry.Key)).Select(entry => KeyValuePair.Create(entry.Key, entry.Value?.DeepClone())));
    }

    /// <summary>A request body naming one table, for the batch operations' per-table entries.</summary>
    private static JsonElement Named(string tableName) => JsonSerializer.SerializeToElement(new { TableName = tableName });

    private static AwsServiceException Invalid(string message) => new(400, ErrorPrefix + "ValidationException", message);

    private static AwsServiceException NotSupported(string what) =>
        Invalid($"LocalCloud's DynamoDB does not support {what} yet: conditions are attribute_exists(name) or attribute_not_exists(name) alone (docs/localcloud-dynamodb.md)");
}
