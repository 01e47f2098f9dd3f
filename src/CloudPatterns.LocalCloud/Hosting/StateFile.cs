using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// One named piece of state in the state file: how to take a snapshot of it and how to put one back. Stores register
/// their part in <see cref="LocalCloudState.PersistentParts"/>, the one list of what outlives a run.
/// </summary>
internal sealed class StatePart
{
    private readonly Func<JsonNode?> save;
    private readonly Action<JsonNode> load;

    private StatePart(string name, Func<JsonNode?> save, Action<JsonNode> load)
    {
        Name = name;
        this.save = save;
        this.load = load;
    }

    public string Name { get; }

    /// <summary>A part whose snapshot is a <typeparamref name="T"/>, serialised with System.Text.Json.</summary>
    public static StatePart Of<T>(string name, Func<T> snapshot, Action<T> restore) => new(
        name,
        () => JsonSerializer.SerializeToNode(snapshot(), StateFile.JsonOptions),
        node => restore(node.Deserialize<T>(StateFile.JsonOptions) ?? throw new InvalidDataException($"The state file's '{name}' part is empty.")));

    public JsonNode? Save() => save();

    public void Load(JsonNode node) => load(node);
}

/// <summary>
/// The state file of <c>--state PATH</c>: one JSON member per registered <see cref="StatePart"/>. Read at start,
/// written when LocalCloud stops and on <c>POST /_localcloud/state/save</c>. A part the file lacks keeps its empty
/// start; a part the file has but nothing registers (another LocalCloud version) is refused rather than dropped.
/// </summary>
internal static class StateFile
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const string Format = "cloudpatterns-localcloud-state/1";

    // The shutdown save and the admin endpoint's may overlap; each writes the whole file.
    private static readonly Lock WriteGate = new();

    public static void Load(string path, LocalCloudState state)
    {
        if (!File.Exists(path))
        {
            return;
        }

        JsonObject? document;
        try
        {
            document = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject;
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"State file {path} is not valid: {error.Message}", error);
        }

        if (document?["format"]?.GetValue<string>() != Format || document["parts"] is not JsonObject saved)
        {
            throw new InvalidDataException($"{path} is not a LocalCloud state file ({Format}).");
        }

        var known = state.PersistentParts.ToDictionary(part => part.Name, StringComparer.Ordinal);
        if (saved.Select(pair => pair.Key).FirstOrDefault(name => !known.ContainsKey(name)) is { } unknown)
        {
            throw new InvalidDataException($"{path} holds state for '{unknown}', which this LocalCloud does not know.");
        }

        foreach (var (name, node) in saved.Where(pair => pair.Value is not null))
        {
            known[name].Load(node!);
        }
    }

    /// <summary>Writes every part to a temporary file first, so a crash never leaves half a state file.</summary>
    public static void Save(string path, LocalCloudState state)
    {
        var document = new JsonObject
        {
            ["format"] = Format,
            ["parts"] = new JsonObject(state.PersistentParts.Select(part => KeyValuePair.Create(part.Name, part.Save()))),
        };
        lock (WriteGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, document.ToJsonString(JsonOptions));
            File.Move(temporary, path, overwrite: true);
        }
    }
}
