using CloudPatterns.Core.GitOps;

namespace CloudPatterns.Core.Tests.GitOps;

public sealed class GitWorkingTreeTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "gitops-tree-" + Guid.NewGuid().ToString("N"));

    public GitWorkingTreeTests() => Directory.CreateDirectory(Path.Combine(_repo, "infra"));

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(_repo, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(_repo, recursive: true);
    }

    [Fact]
    public void Reads_the_commit_the_manifest_path_and_uncommitted_changes()
    {
        Git("init", "-q");
        var manifest = Path.Combine(_repo, "infra", "cloudpatterns.yaml");
        File.WriteAllText(manifest, "version: 1\n");
        Git("add", "-A");
        Git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "first");
        var head = Git("rev-parse", "HEAD").Trim();

        var clean = GitWorkingTree.Open(manifest);
        Assert.Equal(head, clean.Commit);
        Assert.False(clean.IsDirty);
        Assert.Equal("infra/cloudpatterns.yaml", clean.RelativePath(manifest));
        Assert.Equal("Ada <ada@example.com>", clean.AuthorOf(head));
        Assert.Null(clean.AuthorOf("0000000000000000000000000000000000000000"));

        File.AppendAllText(manifest, "stacks: []\n");
        File.WriteAllText(Path.Combine(_repo, "new.txt"), "untracked");
        var dirty = GitWorkingTree.Open(manifest);
        Assert.True(dirty.IsDirty);
        Assert.Equal(new[] { "infra/cloudpatterns.yaml", "new.txt" }, dirty.UncommittedPaths.OrderBy(p => p, StringComparer.Ordinal));
        var refused = Assert.Throws<DirtyWorkingTreeException>(() => ManifestCheckout.Open(manifest, allowDirty: false));
        Assert.Contains("-AllowDirty", refused.Message);
    }

    [Fact]
    public void Says_what_to_do_outside_a_working_tree_and_before_the_first_commit()
    {
        var outside = Assert.Throws<GitCommandException>(() => GitWorkingTree.Open(Path.Combine(_repo, "infra", "cloudpatterns.yaml")));
        Assert.Contains("is not in a git working tree", outside.Message);

        Git("init", "-q");
        var empty = Assert.Throws<GitCommandException>(() => GitWorkingTree.Open(Path.Combine(_repo, "infra", "cloudpatterns.yaml")));
        Assert.Contains("has no commit yet", empty.Message);
    }

    private string Git(params string[] arguments) => TestGit.Run(_repo, arguments);
}
