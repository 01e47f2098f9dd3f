using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CloudPatterns.Core.Pricing;

/// <summary>
/// A dated table of list prices embedded in this assembly: a date, a currency, prices that hold everywhere, and per
/// region the prices that differ (a region may say it has the same list prices as another with "sameAs").
/// </summary>
internal sealed class PriceTable
{
    private readonly Lazy<JsonDocument> table;

    public PriceTable(string resourceName)
    {
        table = new(() =>
        {
            using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(resourceName)
                ?? throw new InvalidOperationException($"The price table {resourceName} is missing from CloudPatterns.Core.");
            using var reader = new StreamReader(stream);
            return JsonDocument.Parse(reader.ReadToEnd());
        });
    }

    public JsonElement Root => table.Value.RootElement;

    public string Date => Root.GetProperty("date").GetString()!;

    public string Currency => Root.GetProperty("currency").GetString()!;

    public IEnumerable<string> Regions => Keys(Root.GetProperty("regions"));

    /// <summary>A region's prices, following "sameAs"; an unpriced region is refused with the list of priced ones.</summary>
    public JsonElement RegionPrices(string region)
    {
        var regions = Root.GetProperty("regions");
        if (!regions.TryGetProperty(region ?? string.Empty, out var prices))
        {
            throw new ArgumentException($"The price table dated {Date} has no prices for region '{region}'; priced regions: {string.Join(", ", Keys(regions))}.");
        }

        return prices.TryGetProperty("sameAs", out var same) ? regions.GetProperty(same.GetString()!) : prices;
    }

    /// <summary>A price of the region, else the one that holds everywhere.</summary>
    public double Price(JsonElement regionPrices, string name) =>
        regionPrices.TryGetProperty(name, out var value) ? value.GetDouble() : Root.GetProperty(name).GetDouble();

    public static IEnumerable<string> Keys(JsonElement table)
    {
        foreach (var property in table.EnumerateObject())
        {
            yield return property.Name;
        }
    }
}
