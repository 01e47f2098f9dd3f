using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupService: global settings.
internal sealed partial class BackupService
{
    private JsonObject DescribeGlobalSettings(Call call)
    {
        var (settings, updated) = store.DescribeGlobalSettings(call.Region);
        return new JsonObject
        {
            ["GlobalSettings"] = new JsonObject(settings.Select(setting => KeyValuePair.Create(setting.Key, (JsonNode?)setting.Value))),
            ["LastUpdateTime"] = Epoch(updated),
        };
    }

    private JsonObject? UpdateGlobalSettings(Call call)
    {
        var settings = call.Body.GetObjectOrNull("GlobalSettings") is not null
            ? call.Body.GetStringMapOrEmpty("GlobalSettings")
            : throw BackupErrors.MissingParameterValue("GlobalSettings");
        store.UpdateGlobalSettings(call.AccountId, call.Region, settings, call.Now);
        return null;
    }
}
