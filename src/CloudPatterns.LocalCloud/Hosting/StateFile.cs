using System.Text.Json;
using EngineSnapshot = CloudPatterns.LocalCloud.CloudFormation.Stacks.EngineSnapshot;
using CloudPatterns.LocalCloud.Services.Backup;
using CloudPatterns.LocalCloud.Services.Kms;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// The state file of <c>--state PATH</c>: what outlives a run — the simulated clock, restorable resources, KMS keys,
/// Backup (vaults, settings, plans, recovery points, restore testing), stacks. It is read at start and written when
/// LocalCloud stops. Temporary credentials are not kept (they hold secrets); clients assume their roles again after
/// a restart.
/// </summary>
internal static class StateFile
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Load(string path, LocalCloudState state)
    {
        if (!File.Exists(path))
        {
            return;
        }

        Snapshot snapshot;
        try
        {
            using var stream = File.OpenRead(path);
            snapshot = JsonSerializer.Deserialize<Snapshot>(stream, JsonOptions) ?? throw new InvalidDataException($"State file {path} is empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"State file {path} is not valid: {error.Message}", error);
        }

        state.Clock.Advance(TimeSpan.FromTicks(snapshot.ClockOffsetTicks));
        state.Resources.Restore(snapshot.Resources);
        state.Kms.Restore(snapshot.Kms);
        state.Backup.Restore(snapshot.Backup, state.Clock.GetUtcNow());

        state.CloudFormation.Restore(snapshot.CloudFormation);
    }

    /// <summary>Writes the state to a temporary file first, so a crash never leaves half a state file.</summary>
    public static void Save(string path, LocalCloudState state)
    {
        var snapshot = new Snapshot(
            state.Clock.Offset.Ticks,
            state.Resources.Snapshot(),
            state.Kms.Snapshot(),
            state.Backup.Snapshot(),
            state.CloudFormation.Save());
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, snapshot, JsonOptions);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Snapshot(
        long ClockOffsetTicks,
        IReadOnlyList<ResourceSnapshot> Resources,
        KmsSnapshot Kms,
        BackupSnapshot Backup,
        EngineSnapshot CloudFormation);
}
