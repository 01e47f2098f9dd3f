using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.GitOps.Reconciler;

/// <summary>
/// The desired state as CI publishes it for the reconciler (docs/gitops-reconciler.md, "The bundle"): the manifest's
/// text, the text of every template file it names, the commit and repository they come from, and a SHA-256 digest over
/// all of it. The reconciler deploys a bundle only when the digest matches its content, and reads templates only from it.
/// </summary>
public sealed class ManifestBundle
{
    public const string Format = "cloudpatterns-manifest-bundle/1";
    private const string DigestPrefix = "sha256:";

    private ManifestBundle(string manifestPath, string commit, string? repository, string manifest, IReadOnlyDictionary<string, string> templates, string digest)
    {
        ManifestPath = manifestPath;
        Commit = commit;
        Repository = repository;
        Manifest = manifest;
        Templates = templates;
        Digest = digest;
    }

    /// <summary>The manifest's path in the repository (forward slashes), as stacks are tagged with it.</summary>
    public string ManifestPath { get; }

    public string Commit { get; }

    /// <summary>The repository's normalised remote (the ownership tag), or null when it has none.</summary>
    public string? Repository { get; }

    /// <summary>The manifest's text at <see cref="Commit"/>.</summary>
    public string Manifest { get; }

    /// <summary>Each template file the manifest names, by the reference it is named with (relative to the manifest).</summary>
    public IReadOnlyDictionary<string, string> Templates { get; }

    /// <summary><c>sha256:</c> and the hex SHA-256 of the canonical JSON (CanonicalJson) of everything else.</summary>
    public string Digest { get; }

    /// <summary>
    /// The bundle of a clean checkout. The checkout read the templates through <see cref="RepositoryFiles"/>, which
    /// refused any outside the repository or not committed; a dirty tree is refused here, since the commit must hold
    /// what is published.
    /// </summary>
    public static ManifestBundle FromCheckout(ManifestCheckout checkout)
    {
        if (checkout.WorkingTree.IsDirty)
        {
            throw new DirtyWorkingTreeException(checkout.WorkingTree);
        }

        if (checkout.Manifest.Id is null)
        {
            throw new ManifestException(checkout.Manifest.Path, 1, "id",
                "the manifest has no id, so the reconciler could own no stack: run Sync-StackManifest once (it writes the id), commit it, and publish again.");
        }

        var templates = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in checkout.Manifest.Stacks.Where(s => !s.TemplateReference.StartsWith(ManifestReader.BundledTemplatePrefix, StringComparison.Ordinal)))
        {
            templates[stack.TemplateReference] = stack.TemplateBody;
        }

        var manifest = File.ReadAllText(checkout.Manifest.Path);
        return Create(checkout.ManifestPath, checkout.Commit, checkout.WorkingTree.Remote, manifest, templates);
    }

    internal static ManifestBundle Create(string manifestPath, string commit, string? repository, string manifest, IReadOnlyDictionary<string, string> templates)
    {
        var sorted = new SortedDictionary<string, string>(templates.ToDictionary(t => t.Key, t => t.Value), StringComparer.Ordinal);
        return new ManifestBundle(manifestPath, commit, repository, manifest, sorted, DigestOf(Content(manifestPath, commit, repository, manifest, sorted)));
    }

    /// <summary>Reads a published bundle; <see cref="BundleDigestException"/> when its digest does not match its content.</summary>
    public static ManifestBundle Parse(string json, string source)
    {
        JsonObject document;
        try
        {
            document = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new BundleDigestException(source, $"{source} is not a manifest bundle ({ex.Message}): nothing was deployed.");
        }

        string? Text(string name) => document[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        var templates = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (document["templates"] is JsonObject templateNodes)
        {
            foreach (var template in templateNodes)
            {
                templates[template.Key] = template.Value is JsonValue body && body.TryGetValue(out string? text) ? text : string.Empty;
            }
        }

        if (Text("format") != Format || Text("manifestPath") is not { } manifestPath || Text("commit") is not { } commit || Text("manifest") is not { } manifest)
        {
            throw new BundleDigestException(source, $"{source} is not a {Format} document (format, manifestPath, commit and manifest are required): nothing was deployed.");
        }

        var repository = Text("repository");
        var claimed = Text("digest") ?? "(none)";
        var actual = DigestOf(Content(manifestPath, commit, repository, manifest, templates));
        if (!string.Equals(claimed, actual, StringComparison.Ordinal))
        {
            throw new BundleDigestException(source,
                $"{source} was changed after it was published: its digest says {claimed}, its content hashes to {actual}. Nothing was deployed; publish the commit again with Publish-StackManifest.");
        }

        return new ManifestBundle(manifestPath, commit, repository, manifest, templates, actual);
    }

    /// <summary>The manifest, its templates read from this bundle only (never from disk).</summary>
    public StackManifest Open() =>
        ManifestReader.Parse(Manifest, ManifestPath, reference => Templates.TryGetValue(reference, out var body) ? body : null);

    /// <summary>Whose stacks the bundle's manifest changes: its id and repository, as Sync-StackManifest tags them.</summary>
    public ManifestOwner OwnerOf(StackManifest manifest) =>
        new(manifest.Id, Repository, ManifestPath, commit => string.Equals(commit, Commit, StringComparison.Ordinal));

    public string ToJson()
    {
        var content = Content(ManifestPath, Commit, Repository, Manifest, Templates);
        content["digest"] = Digest;
        return content.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Everything the digest covers, in one fixed order (templates sorted by reference).</summary>
    private static JsonObject Content(string manifestPath, string commit, string? repository, string manifest, IReadOnlyDictionary<string, string> templates)
    {
        var templateNodes = new JsonObject();
        foreach (var template in templates.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            templateNodes[template.Key] = template.Value;
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["manifestPath"] = manifestPath,
            ["commit"] = commit,
            ["repository"] = repository,
            ["manifest"] = manifest,
            ["templates"] = templateNodes,
        };
    }

    /// <summary>The digest: SHA-256 of the canonical JSON (members sorted, no whitespace) that evidence records use too.</summary>
    private static string DigestOf(JsonObject content) => DigestPrefix + CanonicalJson.Sha256(content);
}

/// <summary>A bundle whose digest does not match its content (changed after publishing), or no bundle at all: never deployed.</summary>
public sealed class BundleDigestException : Exception
{
    public BundleDigestException(string source, string message)
        : base(message)
    {
        Location = source;
    }

    /// <summary>Where the bundle was read (s3://bucket/key?versionId=...).</summary>
    public string Location { get; }
}
