using System;
using System.Text.Json;
using System.Collections.Generic;
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
/// A monthly estimate of a Multi-AZ stack at its minimum size, from the price table shipped in this assembly (on-demand
/// list prices per region, dated; docs/multi-az-cost.md), with the traffic-dependent charges for the traffic given:
/// data out to the internet, cross-AZ transfer between the tiers and to the database, and NAT gateway processing.
/// </summary>
public static class MultiAzCostEstimate
{
    private static readonly PriceTable Table = new("CloudPatterns.Core.Pricing.multi-az-prices.json");

    /// <summary>The table itself, for estimates that price Multi-AZ pieces too (the pilot light's load balancer).</summary>
    internal static PriceTable Prices => Table;

    public static string PriceTableDate => Table.Date;

    /// <summary>The regions the table has prices for.</summary>
    public static IEnumerable<string> PricedRegions => Table.Regions;

    /// <param name="traffic">Monthly traffic: what the stack serves, and what its instances send out through the NAT gateways.</param>
    public static IReadOnlyList<CostLineItem> Estimate(MultiAzStackSettings settings, string region, MonthlyTraffic? traffic = null, string? stackName = null, string? accountId = null)
    {
        var root = Table.Root;
        var prices = Table.RegionPrices(region);
        traffic ??= new MonthlyTraffic(0, 0);
        double Price(string name) => Table.Price(prices, name);
        // A table is per region or for all (rdsVcpus); a region may lack one (Aurora is priced in the US regions only).
        JsonElement? TableOf(string table) => prices.TryGetProperty(table, out var regional) ? regional : root.TryGetProperty(table, out var all) ? all : null;
        double Lookup(string table, string key) => TableOf(table) is { } found && found.TryGetProperty(key, out var value)
            ? value.GetDouble()
            : throw new ArgumentException($"The price table dated {PriceTableDate} has no price for {key} in {region}; priced types there: {(TableOf(table) is { } known ? string.Join(", ", PriceTable.Keys(known)) : "none")}.");

        var hours = Price("hoursPerMonth");
        var date = PriceTableDate;
        var currency = Table.Currency;
        var items = new List<CostLineItem>();
        void Add(string item, double quantity, string unit, double unitPrice, double multiplier = 1) =>
            items.Add(new CostLineItem(stackName, accountId, region, item, quantity, unit, unitPrice, quantity * unitPrice * multiplier, date, currency));

        Add($"Frontend instances ({settings.FrontendInstanceType}, minimum size)", settings.FrontendMinSize, "instance-month", Lookup("ec2InstanceHour", settings.FrontendInstanceType) * hours);
        Add($"Backend instances ({settings.BackendInstanceType}, minimum size)", settings.BackendMinSize, "instance-month", Lookup("ec2InstanceHour", settings.BackendInstanceType) * hours);

        Add("Instance volumes (gp3)", (settings.FrontendMinSize + settings.BackendMinSize) * Price("instanceVolumeGb"), "GB-month", Price("ebsGp3GbMonth"));
        Add("NAT gateways (one per AZ)", settings.AzCount, "gateway-month", Price("natGatewayHour") * hours);
        Add("Public IPv4 addresses (NAT gateways and the public load balancer, one each per AZ)", 2 * settings.AzCount, "address-month", Price("publicIpv4Hour") * hours);
        Add("Application load balancers (public and internal, 1 LCU each)", 2, "load-balancer-month", (Price("loadBalancerHour") + Price("loadBalancerCapacityUnitHour")) * hours);
        if (settings.IsAurora)
        {
            // Aurora bills each instance and the cluster's storage once, however many instances read it (docs/multi-az-cost.md).
            Add($"Aurora {settings.DbEngine} {settings.DbInstanceClass} (writer and reader in two AZs)", 2, "instance-month", Lookup("auroraInstanceHour", settings.DbInstanceClass) * hours);
            Add("Aurora storage (Standard, shared by the cluster; DbAllocatedStorage as the expected size)", settings.DbAllocatedStorage, "GB-month", Price("auroraStorageGbMonth"));
        }
        else
        {
            Add($"RDS {settings.DbEngine} {settings.DbInstanceClass} Multi-AZ (primary and standby: twice the single-AZ price)", 1, "instance-month", Lookup("rdsInstanceHour", settings.DbInstanceClass) * hours, multiplier: 2);
            Add("RDS storage (gp3, Multi-AZ: twice the single-AZ price)", settings.DbAllocatedStorage, "GB-month", Price("rdsGp3GbMonth"), multiplier: 2);
        }

        if (settings.CreateReadReplica)
        {
            Add($"RDS read replica ({settings.DbInstanceClass})", 1, "instance-month", Lookup("rdsInstanceHour", settings.DbInstanceClass) * hours);
            Add("RDS read replica storage (gp3)", settings.DbAllocatedStorage, "GB-month", Price("rdsGp3GbMonth"));
        }

        if (settings.CreateDbProxy)
        {
            var vcpus = Math.Max(Lookup("rdsVcpus", settings.DbInstanceClass), Price("rdsProxyMinimumVcpus"));
            Add("RDS Proxy (per vCPU of the database)", vcpus, "vCPU-month", Price("rdsProxyVcpuHour") * hours);
        }

        if (traffic.ServedGb > 0)
        {
            // Responses leave AWS through the public load balancer. Inside, a request's traffic crosses from the
            // frontend to the internal load balancer's node and from the backend to the database writer, each landing
            // in another zone (N-1)/N of the time; AWS bills cross-AZ transfer in both directions.
            Add("Data transfer out to the internet (through the public load balancer)", traffic.ServedGb, "GB", Price("internetOutGb"));
            Add($"Cross-AZ data transfer (frontend to backend and backend to database, {settings.AzCount - 1}/{settings.AzCount} of it across zones, billed each way)",
                2 * traffic.ServedGb * (settings.AzCount - 1) / settings.AzCount, "GB", 2 * Price("crossAzGbEachWay"));
        }

        if (traffic.NatGb > 0)
        {
            Add("NAT gateway data processing (instances' outbound traffic)", traffic.NatGb, "GB", Price("natGatewayGb"));
        }

        var total = 0.0;
        foreach (var item in items)
        {
            total += item.MonthlyCost;
        }

        items.Add(new CostLineItem(stackName, accountId, region, "Total", 1, "month", total, total, date, currency));
        return items;
    }
}

/// <summary>Monthly traffic of a stack: GB it serves to clients, and GB its instances send out through the NAT gateways.</summary>
public sealed class MonthlyTraffic
{
    public MonthlyTraffic(double servedGb, double natGb)
    {
        if (servedGb < 0 || natGb < 0 || double.IsNaN(servedGb) || double.IsNaN(natGb))
        {
            throw new ArgumentOutOfRangeException(nameof(servedGb), $"Monthly traffic must be 0 GB or more (served {servedGb}, through NAT {natGb}).");
        }

        ServedGb = servedGb;
        NatGb = natGb;
    }

    public double ServedGb { get; }

    public double NatGb { get; }
}
