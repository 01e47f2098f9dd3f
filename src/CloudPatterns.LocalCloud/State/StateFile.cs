using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.State;

/// <summary>
/// One named piece of state in the state file: how to take a snapshot of it and how to put one back. Each store
/// registers its part in <see cref="Hosting.LocalCloudState.PersistentParts"/>, the one list of what is saved.
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

    /// <summary>A part whose snapshot is <typeparamref name="T"/>, serialised with System.Text.Json.</summary>
    public static StatePart Of<T>(string name, Func<T> snapshot, Action<T> restore) => new(
        name,
        () => JsonSerializer.SerializeToNode(snapshot(), StateFile.JsonOptions),
        node => restore(node.Deserialize<T>(StateFile.JsonOptions)
            ?? throw new InvalidDataException($"The state file's '{name}' part is empty.")));

    public JsonNode? Save() => save();

    public void Load(JsonNode node) => load(node);
}

/// <summary>
/// The <c>--state</c> file: a JSON document with one member per registered part. Loaded at start, written at
/// shutdown and on <c>POST /_localcloud/state/save</c>. A part the file lacks keeps its empty start; a part the
/// file has but nothing registers (an older or newer LocalCloud) is refused rather than silently dropped.
/// </summary>
internal sealed class StateFile(string path, IReadOnlyList<StatePart> parts)
{
    private const string Format = "cloudpatterns-localcloud-state/1";

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.General) { WriteIndented = false };

    private readonly Lock gate = new();

    public string Path { get; } = path;

    /// <summary>Loads the file if it exists; returns whether it did.</summary>
    public bool Load()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        var document = JsonNode.Parse(File.ReadAllBytes(Path)) as JsonObject;
        if (document?["format"]?.GetValue<string>() != Format || document["parts"] is not JsonObject saved)
        {
            throw new InvalidDataException($"{Path} is not a LocalCloud state file ({Format}).");
        }

        var known = parts.ToDictionary(part => part.Name, StringComparer.Ordinal);
        if (saved.Select(pair => pair.Key).FirstOrDefault(name => !known.ContainsKey(name)) is { } unknown)
        {
            throw new InvalidDataException($"{Path} holds state for '{unknown}', which this LocalCloud does not know.");
        }

        foreach (var (name, node) in saved.Where(pair => pair.Value is not null))
        {
            known[name].Load(node!);
        }

        return true;
    }

    /// <summary>Writes every part, atomically (a temporary file renamed over the old one).</summary>
    public void Save()
    {
        var document = new JsonObject
        {
            ["format"] = Format,
            ["parts"] = new JsonObject(parts.Select(part => KeyValuePair.Create(part.Name, part.Save()))),
        };
        lock (gate)
        {
            var temporary = Path + ".tmp";
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.WriteAllText(temporary, document.ToJsonString(JsonOptions));
            File.Move(temporary, Path, overwrite: true);
        }
    }
}
