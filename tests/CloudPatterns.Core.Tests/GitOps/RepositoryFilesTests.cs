using CloudPatterns.Core.GitOps;

namespace CloudPatterns.Core.Tests.GitOps;

public sealed class RepositoryFilesTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "gitops-files-" + Guid.NewGuid().ToString("N"));
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "gitops-outside-" + Guid.NewGuid().ToString("N"));

    public RepositoryFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "infra"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.yaml"), "secret: value");
    }

    public void Dispose()
    {
        // The links go first, so nothing below follows them out of the repository.
        foreach (var link in new[] { "infra/out.yaml", "infra/dirlink", "infra/link.yaml", "infra/new-link.yaml" }.Select(l => Path.Combine(_repo, l)))
        {
            if (new FileInfo(link).LinkTarget is not null)
            {
                File.Delete(link);
            }
        }

        Directory.Delete(_repo, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void Reads_only_files_git_tracks_inside_the_working_tree_after_resolving_links()
    {
        Git("init", "-q");
        Git("remote", "add", "origin", "https://ci:s3cr3t@Example.com/team/infra.git");
        var manifest = Path.Combine(_repo, "infra", "cloudpatterns.yaml");
        File.WriteAllText(manifest, "version: 1\n");
        File.WriteAllText(Path.Combine(_repo, "infra", "t.yaml"), "Resources: {}");
        File.CreateSymbolicLink(Path.Combine(_repo, "infra", "link.yaml"), "t.yaml");
        File.CreateSymbolicLink(Path.Combine(_repo, "infra", "out.yaml"), Path.Combine(_outside, "secret.yaml"));
        Directory.CreateSymbolicLink(Path.Combine(_repo, "infra", "dirlink"), _outside);
        File.WriteAllText(Path.Combine(_repo, ".gitignore"), "infra/ignored.yaml\ninfra/new-link.yaml\n");
        File.WriteAllText(Path.Combine(_repo, "infra", "ignored.yaml"), "Resources: {}");
        Git("add", "-A");
        Git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "first");
        File.CreateSymbolicLink(Path.Combine(_repo, "infra", "new-link.yaml"), "t.yaml");

        var tree = GitWorkingTree.Open(manifest);
        Assert.Equal("example.com/team/infra", tree.Remote);
        Assert.True(tree.InHistory(tree.Commit));
        Assert.False(tree.InHistory("--all"));
        var files = new RepositoryFiles(tree, Path.Combine(_repo, "infra"));

        Assert.Equal("Resources: {}", files.ReadTemplate("t.yaml"));
        Assert.Equal("Resources: {}", files.ReadTemplate("link.yaml"));
        Assert.Equal("Resources: {}", files.ReadTemplate("./../infra/t.yaml"));
        Assert.Null(files.ReadTemplate("missing.yaml"));
        Assert.Contains("leaves the repository's working tree", Refused(files, "../../x"));
        Assert.Contains("is an absolute path", Refused(files, Path.Combine(_outside, "secret.yaml")));
        Assert.Contains($"resolves to {Path.Combine(_outside, "secret.yaml")}, outside", Refused(files, "out.yaml"));
        Assert.Contains($"resolves to {Path.Combine(_outside, "secret.yaml")}, outside", Refused(files, "dirlink/secret.yaml"));
        Assert.Contains("(infra/ignored.yaml) is not tracked by git at commit", Refused(files, "ignored.yaml"));
        Assert.Contains("(infra/new-link.yaml, a link to infra/t.yaml) is not tracked by git as a link", Refused(files, "new-link.yaml"));
    }

    [Fact]
    public void Writes_a_new_id_after_the_version_line_and_keeps_the_rest_of_the_manifest()
    {
        Git("init", "-q");
        var manifest = Path.Combine(_repo, "infra", "cloudpatterns.yaml");
        const string before = "# infrastructure\r\nversion: 1\r\nregions: [us-east-2]\r\nstacks:\r\n  - name: web\r\n    template: pattern:multi-az-web-app\r\n    targets: [{account: \"333333333333\"}]\r\n";
        File.WriteAllText(manifest, before);
        Git("add", "-A");
        Git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "first");

        var checkout = ManifestCheckout.Open(manifest, allowDirty: false);
        Assert.Null(checkout.Manifest.Id);
        Assert.Null(checkout.WorkingTree.Remote);
        var id = checkout.WriteNewId();
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(before.Replace("version: 1\r\n", $"version: 1\r\nid: {id}\r\n"), File.ReadAllText(manifest));
        Assert.Equal(id, ManifestCheckout.Open(manifest, allowDirty: true).Manifest.Id);
    }

    private static string Refused(RepositoryFiles files, string reference) =>
        Assert.Throws<TemplatePathException>(() => files.ReadTemplate(reference)).Message;

    private void Git(params string[] arguments) => TestGit.Run(_repo, arguments);
}
