using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using CloudPatterns.Core.MultiAz;

namespace CloudPatterns.Core.Pricing;

/// <summary>One line of a monthly estimate.</summary>
public sealed class CostLineItem
{
    internal CostLineItem(string? stackName, string? accountId, string? region, string item, double quantity, string unit, double unitPrice, double monthlyCost, string priceTableDate, string currency)
    {
        StackName = stackName;
        AccountId = accountId;
        Region = region;
        Item = item;
        Quantity = quantity;
        Unit = unit;
        UnitPrice = unitPrice;
        MonthlyCost = Math.Round(monthlyCost, 2);
        PriceTableDate = priceTableDate;
        Currency = currency;
    }

    /// <summary>The stack estimated, when the estimate is of a deployed stack.</summary>
    public string? StackName { get; }
    public string? AccountId { get; }
    public string? Region { get; }
    public string Item { get; }
    public double Quantity { get; }
    public string Unit { get; }
    public double UnitPrice { get; }
    public double MonthlyCost { get; }
    /// <summary>The date of the price table the estimate used: prices change, so the estimate says how old they are.</summary>
    public string PriceTableDate { get; }
    public string Currency { get; }
}

/// <summary>
/// A monthly estimate of a Multi-AZ stack at its minimum size from the price table shipped in this assembly
/// (us-east-1 on-demand list prices, dated). Data transfer and request-dependent charges are not included.
/// </summary>
public static class MultiAzCostEstimate
{
    private static readonly Lazy<JsonDocument> Table = new(() =>
    {
        using var stream = typeof(MultiAzCostEstimate).Assembly.GetManifestResourceStream("CloudPatterns.Core.Pricing.multi-az-prices.json")
            ?? throw new InvalidOperationException("The price table is missing from CloudPatterns.Core.");
        using var reader = new StreamReader(stream);
        return JsonDocument.Parse(reader.ReadToEnd());
    });

    public static string PriceTableDate => Table.Value.RootElement.GetProperty("date").GetString()!;

    public static IReadOnlyList<CostLineItem> Estimate(MultiAzStackSettings settings, string? stackName = null, string? accountId = null, string? region = null)
    {
        var root = Table.Value.RootElement;
        double Price(string name) => root.GetProperty(name).GetDouble();
        double Lookup(string table, string key) => root.GetProperty(table).TryGetProperty(key, out var value)
            ? value.GetDouble()
            : throw new ArgumentException($"The price table dated {PriceTableDate} has no price for {key}; priced types: {string.Join(", ", Keys(root.GetProperty(table)))}.");

        var hours = Price("hoursPerMonth");
        var date = PriceTableDate;
        var currency = root.GetProperty("currency").GetString()!;
        var items = new List<CostLineItem>();
        void Add(string item, double quantity, string unit, double unitPrice, double multiplier = 1) =>
            items.Add(new CostLineItem(stackName, accountId, region, item, quantity, unit, unitPrice, quantity * unitPrice * multiplier, date, currency));

        Add($"Frontend instances ({settings.FrontendInstanceType}, minimum size)", settings.FrontendMinSize, "instance-month", Lookup("ec2InstanceHour", settings.FrontendInstanceType) * hours);
        Add($"Backend instances ({settings.BackendInstanceType}, minimum size)", settings.BackendMinSize, "instance-month", Lookup("ec2InstanceHour", settings.BackendInstanceType) * hours);

        Add("Instance volumes (gp3)", (settings.FrontendMinSize + settings.BackendMinSize) * Price("instanceVolumeGb"), "GB-month", Price("ebsGp3GbMonth"));
        Add("NAT gateways (one per AZ)", settings.AzCount, "gateway-month", Price("natGatewayHour") * hours);
        Add("Public IPv4 addresses (NAT gateways and the public load balancer, one each per AZ)", 2 * settings.AzCount, "address-month", Price("publicIpv4Hour") * hours);
        Add("Application load balancers (public and internal, 1 LCU each)", 2, "load-balancer-month", (Price("loadBalancerHour") + Price("loadBalancerCapacityUnitHour")) * hours);
        var dbHour = Lookup("rdsInstanceHour", settings.DbInstanceClass);
        Add($"RDS {settings.DbEngine} {settings.DbInstanceClass} Multi-AZ (primary and standby: twice the single-AZ price)", 1, "instance-month", dbHour * hours, multiplier: 2);
        Add("RDS storage (gp3, Multi-AZ: twice the single-AZ price)", settings.DbAllocatedStorage, "GB-month", Price("rdsGp3GbMonth"), multiplier: 2);
        if (settings.CreateReadReplica)
        {
            Add($"RDS read replica ({settings.DbInstanceClass})", 1, "instance-month", dbHour * hours);
            Add("RDS read replica storage (gp3)", settings.DbAllocatedStorage, "GB-month", Price("rdsGp3GbMonth"));
        }

        if (settings.CreateDbProxy)
        {
            var vcpus = Math.Max(Lookup("rdsVcpus", settings.DbInstanceClass), Price("rdsProxyMinimumVcpus"));
            Add("RDS Proxy (per vCPU of the database)", vcpus, "vCPU-month", Price("rdsProxyVcpuHour") * hours);
        }

        var total = 0.0;
        foreach (var item in items)
        {
            total += item.MonthlyCost;
        }

        items.Add(new CostLineItem(stackName, accountId, region, "Total", 1, "month", total, total, date, currency));
        return items;
    }

    private static IEnumerable<string> Keys(JsonElement table)
    {
        foreach (var property in table.EnumerateObject())
        {
            yield return property.Name;
        }
    }
}
