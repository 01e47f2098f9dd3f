using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.DynamoDb;

/// <summary>
/// The items of DynamoDB tables, by table and by the item's primary key (its key attributes' types and values).
/// A table is known by its ARN and creation time, so a table deleted and created again under the same name starts
/// empty, as a new DynamoDB table does. Items are DynamoDB's attribute-value JSON (<c>{"S": "x"}</c>). Thread-safe.
/// </summary>
internal sealed class DynamoDbItemStore
{
    private readonly ConcurrentDictionary<string, SortedDictionary<string, JsonObject>> tables = new(StringComparer.Ordinal);

    /// <summary>Puts the item under its key; returns the item it replaced, if any.</summary>
    public JsonObject? Put(CloudResource table, string key, JsonObject item) => WithItems(table, items =>
    {
        items.Remove(key, out var old);
        items[key] = item;
        return old;
    });

    public JsonObject? Get(CloudResource table, string key) => WithItems(table, items => items.GetValueOrDefault(key)?.DeepClone().AsObject());

    /// <summary>Removes the item under the key; returns it, if there was one.</summary>
    public JsonObject? Delete(CloudResource table, string key) => WithItems(table, items => items.Remove(key, out var old) ? old : null);

    /// <summary>The table's items in key order, each with its key, from after <paramref name="exclusiveStartKey"/>.</summary>
    public IReadOnlyList<(string Key, JsonObject Item)> Scan(CloudResource table, string? exclusiveStartKey) => WithItems(table, items =>
        items.Where(entry => exclusiveStartKey is null || string.CompareOrdinal(entry.Key, exclusiveStartKey) > 0)
            .Select(entry => (entry.Key, entry.Value.DeepClone().AsObject()))
            .ToList());

    public long Count(CloudResource table) => WithItems(table, items => (long)items.Count);

    /// <summary>Forgets a deleted table's items.</summary>
    public void Drop(CloudResource table) => tables.TryRemove(Identity(table), out _);

    private T WithItems<T>(CloudResource table, Func<SortedDictionary<string, JsonObject>, T> action)
    {
        var items = tables.GetOrAdd(Identity(table), _ => new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
        lock (items)
        {
            return action(items);
        }
    }

    private static string Identity(CloudResource table) => $"{table.Arn}@{table.CreationTime.UtcTicks}";
}
