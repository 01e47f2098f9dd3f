using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.DynamoDb;

/// <summary>
/// DynamoDB (JSON 1.0, DynamoDB_20120810): tables as restore targets — describe, delete, list, tags — and their
/// items (DynamoDbService.Items.cs; docs/localcloud-dynamodb.md).
/// </summary>
internal sealed partial class DynamoDbService : JsonService
{
    /// <summary>DynamoDB's error types carry the service namespace; botocore keeps the part after '#'.</summary>
    private const string ErrorPrefix = "com.amazonaws.dynamodb.v20120810#";
    private readonly CloudResourceStore resources;
    private readonly DynamoDbItemStore items;

    public DynamoDbService(CloudResourceStore resources, DynamoDbItemStore items)
        : base("dynamodb", "DynamoDB_20120810", ErrorPrefix + "ThrottlingException")
    {
        this.resources = resources;
        this.items = items;
        AddOperation("DescribeTable", mutating: false, (request, input) => new JsonObject { ["Table"] = Describe(Find(request, input), "ACTIVE") });
        AddOperation("DeleteTable", mutating: true, DeleteTable);
        AddOperation("ListTables", mutating: false, ListTables);
        AddOperation("ListTagsOfResource", mutating: false, ListTagsOfResource);
        AddItemOperations();
    }

    /// <summary>
    /// A batch names its tables as the keys of RequestItems: a batch of one table is authorized on that table's ARN;
    /// one of several tables on table/* (docs/localcloud-authorization.md, section 6).
    /// </summary>
    protected override string? RequestParameter(JsonElement input, string name)
    {
        if (name == "TableName" && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("RequestItems", out var requestItems)
            && requestItems.ValueKind == JsonValueKind.Object)
        {
            var tables = requestItems.EnumerateObject().Select(table => table.Name).Take(2).ToList();
            return tables.Count == 1 ? tables[0] : null;
        }
        return base.RequestParameter(input, name);
    }

    private JsonObject DeleteTable(AwsRequest request, JsonElement input)
    {
        var table = Find(request, input);
        resources.Remove(table.Arn);
        items.Drop(table);
        return new JsonObject { ["TableDescription"] = Describe(table, "DELETING") };
    }

    private JsonObject ListTables(AwsRequest request, JsonElement input)
    {
        var names = resources.List(ResourceKind.DynamoDbTable, request.AccountId, request.Region).Select(table => table.Name).Order(StringComparer.Ordinal).ToList();
        var start = input.GetStringOrNull("ExclusiveStartTableName") is { } after ? names.FindIndex(name => string.CompareOrdinal(name, after) > 0) : 0;
        var limit = (int)(input.GetInt64OrNull("Limit") ?? 100);
        var page = start < 0 ? [] : names.Skip(start).Take(limit).ToList();
        var output = new JsonObject { ["TableNames"] = new JsonArray(page.Select(name => (JsonNode)name).ToArray()) };
        if (start >= 0 && start + page.Count < names.Count)
        {
            output["LastEvaluatedTableName"] = page[^1];
        }

        return output;
    }

    private JsonObject ListTagsOfResource(AwsRequest request, JsonElement input)
    {
        var arn = input.GetStringOrNull("ResourceArn") ?? throw Missing("resourceArn");
        var table = resources.Find(arn) is { } found && found.Kind == ResourceKind.DynamoDbTable && found.AccountId == request.AccountId
            ? found
            : throw NotFound(arn);
        return new JsonObject
        {
            ["Tags"] = new JsonArray(table.Tags.Select(tag => (JsonNode)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value }).ToArray()),
        };
    }

    private CloudResource Find(AwsRequest request, JsonElement input)
    {
        var name = input.GetStringOrNull("TableName") ?? throw Missing("tableName");
        var table = name.StartsWith("arn:", StringComparison.Ordinal)
            ? resources.Find(name)
            : resources.Find(ResourceKind.DynamoDbTable, request.AccountId, request.Region, name);
        return table is { Kind: var kind } && kind == ResourceKind.DynamoDbTable && table.AccountId == request.AccountId ? table : throw NotFound(name);
    }

    private static AwsServiceException NotFound(string name) =>
        new(400, ErrorPrefix + "ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");

    private static AwsServiceException Missing(string member) =>
        AwsServiceException.Validation(ErrorPrefix + "ValidationException", [$"Value null at '{member}' failed to satisfy constraint: Member must not be null"]);

    private JsonObject Describe(CloudResource table, string status)
    {
        var keys = KeySchema(table);
        return new JsonObject
        {
            ["TableName"] = table.Name,
            ["TableArn"] = table.Arn,
            ["TableId"] = new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(table.Arn))).ToString(),
            ["TableStatus"] = status,
            ["CreationDateTime"] = ResponseBodies.EpochSeconds(table.CreationTime),
            ["AttributeDefinitions"] = new JsonArray(keys.Select(key => (JsonNode)new JsonObject { ["AttributeName"] = key.Name, ["AttributeType"] = key.Type }).ToArray()),
            ["KeySchema"] = new JsonArray(keys.Select(key => (JsonNode)new JsonObject { ["AttributeName"] = key.Name, ["KeyType"] = key.Role }).ToArray()),
            ["ProvisionedThroughput"] = new JsonObject { ["NumberOfDecreasesToday"] = 0, ["ReadCapacityUnits"] = 0, ["WriteCapacityUnits"] = 0 },
            ["BillingModeSummary"] = new JsonObject { ["BillingMode"] = "PAY_PER_REQUEST" },
            ["TableSizeBytes"] = 0,
            // The items it holds; a table whose record carries an ItemCount attribute (seed state) reports at least that.
            ["ItemCount"] = Math.Max(items.Count(table), long.Parse(table.Attributes.GetValueOrDefault("ItemCount", "0"), CultureInfo.InvariantCulture)),
            ["DeletionProtectionEnabled"] = false,
        };
    }
}
