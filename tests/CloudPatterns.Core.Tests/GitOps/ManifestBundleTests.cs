using CloudPatterns.Core.GitOps;
using CloudPatterns.Core.GitOps.Reconciler;

namespace CloudPatterns.Core.Tests.GitOps;

public sealed class ManifestBundleTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Id = "9f0c2b7d4e5a41c8b6d3e2f1a0b9c8d7";

    private static readonly string Manifest = $"""
        version: 1
        id: {Id}
        regions: [us-east-2]
        reconcile:
          drift: heal
          prune: true
        stacks:
          - name: app
            template: templates/app.yaml
            targets:
              - account: "333333333333"
        """;

    private static ManifestBundle Bundle() => ManifestBundle.Create("infra/cloudpatterns.yaml", Commit, "github.com/org/infra", Manifest,
        new Dictionary<string, string> { ["templates/app.yaml"] = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n" });

    [Fact]
    public void Round_trips_and_opens_the_manifest_from_its_own_templates_with_its_policy_and_owner()
    {
        var bundle = ManifestBundle.Parse(Bundle().ToJson(), "s3://b/k");
        Assert.Equal(Bundle().Digest, bundle.Digest);
        Assert.Matches("^sha256:[0-9a-f]{64}$", bundle.Digest);
        var manifest = bundle.Open();
        Assert.Contains("AWS::Logs::LogGroup", Assert.Single(manifest.Stacks).TemplateBody);
        Assert.True(manifest.Reconcile.SelfHeal);
        Assert.True(manifest.Reconcile.Prune);
        var owner = bundle.OwnerOf(manifest);
        Assert.Equal(Id, owner.Id);
        Assert.Equal("github.com/org/infra", owner.Repository);
        Assert.Equal("infra/cloudpatterns.yaml", owner.ManifestPath);
    }

    [Theory]
    [InlineData("LogGroup", "Bucket")]
    [InlineData(Commit, "1123456789abcdef0123456789abcdef01234567")]
    [InlineData("github.com/org/infra", "github.com/evil/infra")]
    [InlineData("prune: true", "prune: false")]
    public void Refuses_a_bundle_changed_after_publishing(string from, string to)
    {
        var json = Bundle().ToJson();
        Assert.Contains(from, json);
        var error = Assert.Throws<BundleDigestException>(() => ManifestBundle.Parse(json.Replace(from, to), "s3://b/k?versionId=2"));
        Assert.Contains("s3://b/k?versionId=2 was changed after it was published", error.Message);
        Assert.Contains(Bundle().Digest, error.Message);
    }

    [Fact]
    public void Never_reads_a_template_the_bundle_does_not_carry()
    {
        var bundle = ManifestBundle.Create("cloudpatterns.yaml", Commit, null, Manifest.Replace("templates/app.yaml", "../outside.yaml"), new Dictionary<string, string>());
        var error = Assert.Throws<ManifestException>(() => bundle.Open());
        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData("reconcile:\n  drift: fix\n", "reconcile.drift", "'fix' is not a drift policy: give heal or report.")]
    [InlineData("reconcile:\n  prune: yes\n", "reconcile.prune", "'yes' is not a boolean: give true or false.")]
    [InlineData("reconcile:\n  heal: true\n", "reconcile.heal", "unknown key 'heal'")]
    [InlineData("reconcile: heal\n", "reconcile", "give a mapping with drift")]
    public void Refuses_a_bad_reconcile_policy(string policy, string key, string problem)
    {
        var text = $"version: 1\nregions: [us-east-2]\n{policy}stacks:\n  - name: app\n    template: templates/app.yaml\n    targets:\n      - account: \"333333333333\"\n";
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Parse(text, "/repo/cloudpatterns.yaml", _ => "Resources: {}"));
        Assert.Equal(key, error.Key);
        Assert.StartsWith(problem, error.Problem);
    }

    [Fact]
    public void Reports_only_by_default()
    {
        var manifest = ManifestReader.Parse("version: 1\nregions: [us-east-2]\nstacks:\n  - name: app\n    template: t.yaml\n    targets:\n      - account: \"333333333333\"\n", "/repo/cloudpatterns.yaml", _ => "Resources: {}");
        Assert.False(manifest.Reconcile.SelfHeal);
        Assert.False(manifest.Reconcile.Prune);
    }
}
