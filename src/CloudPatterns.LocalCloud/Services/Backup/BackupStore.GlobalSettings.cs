using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: global settings.
internal sealed partial class BackupStore
{
    /// <summary>The organization's Backup settings in a region (AWS keeps them per region).</summary>
    public (IReadOnlyDictionary<string, string> Settings, DateTimeOffset? LastUpdateTime) DescribeGlobalSettings(string region)
    {
        lock (gate)
        {
            var regional = SettingsOf(region);
            return (new Dictionary<string, string>(regional.Values, StringComparer.Ordinal), regional.LastUpdateTime);
        }
    }

    public void UpdateGlobalSettings(string callerAccountId, string region, IReadOnlyDictionary<string, string> settings, DateTimeOffset now)
    {
        if (callerAccountId != organization.ManagementAccountId)
        {
            // (inferred) AWS documents that only the management account may change this; the refusal text is not published.
            throw BackupErrors.InvalidRequest("Only the management account of an organization can update the global settings of AWS Backup.");
        }

        if (settings.FirstOrDefault(setting => !GlobalSettingNames.Contains(setting.Key) || setting.Value is not ("true" or "false")) is { Key: not null } bad)
        {
            throw BackupErrors.InvalidParameterValue($"Invalid value for global setting {bad.Key}: {bad.Value}. Supported: {string.Join(", ", GlobalSettingNames)} = true | false.");
        }

        lock (gate)
        {
            var regional = SettingsOf(region);
            foreach (var (name, value) in settings)
            {
                regional.Values[name] = value;
            }

            regional.LastUpdateTime = now;
        }
    }

    private RegionalSettings SettingsOf(string region)
    {
        if (!globalSettingsByRegion.TryGetValue(region, out var regional))
        {
            regional = new RegionalSettings(GlobalSettingNames.ToDictionary(name => name, _ => "false", StringComparer.Ordinal));
            globalSettingsByRegion.Add(region, regional);
        }

        return regional;
    }

    private sealed class RegionalSettings(Dictionary<string, string> values)
    {
        public Dictionary<string, string> Values { get; } = values;

        public DateTimeOffset? LastUpdateTime { get; set; }
    }
}
