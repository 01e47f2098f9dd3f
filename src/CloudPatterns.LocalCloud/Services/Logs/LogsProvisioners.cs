using System.Globalization;
using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Logs;

/// <summary>
/// AWS::Logs::LogGroup in LocalCloud's CloudWatch Logs: Ref is the log group name, GetAtt Arn its ARN (with ":*", as
/// DescribeLogGroups gives it). RetentionInDays is applied in place and read back for drift.
/// </summary>
internal sealed class LogGroupProvisioner(LogsStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "LogGroupName");
        var retention = Retention(properties);
        if (store.Exists(request.Stack.AccountId, request.Stack.Region, name))
        {
            throw AlreadyExists(request, name);
        }

        store.CreateLogGroup(request.Stack.AccountId, request.Stack.Region, name, properties.GetStringOrNull("KmsKeyId"), TagList(properties));
        store.SetRetention(request.Stack.AccountId, request.Stack.Region, name, retention);
        return Provisioned(name, ("Arn", $"{LogsArns.Group(request.Stack.AccountId, request.Stack.Region, name)}:*"));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        store.SetRetention(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, Retention(properties));
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.DeleteLogGroup(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.Exists(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    protected override System.Text.Json.Nodes.JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        Exists(request, current)
            ? ActualState(request, new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(StringComparer.Ordinal)
            {
                ["RetentionInDays"] = store.Read(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, group => group.RetentionInDays) is { } days ? days : null,
            })
            : null;

    /// <summary>RetentionInDays, one of the values PutRetentionPolicy accepts, or null (never expire).</summary>
    private static int? Retention(JsonElement properties)
    {
        if (Number(properties, "RetentionInDays") is not { } days)
        {
            return null;
        }

        return LogsStore.RetentionDays.Contains((int)days) && days == Math.Floor(days)
            ? (int)days
            : throw LogsArns.InvalidParameter(string.Create(CultureInfo.InvariantCulture,
                $"RetentionInDays {days} is not one of the values CloudWatch Logs accepts: {string.Join(", ", LogsStore.RetentionDays)}."));
    }
}
