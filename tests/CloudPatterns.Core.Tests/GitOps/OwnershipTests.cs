using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.GitOps;
using CloudPatterns.Core.Stacks;

namespace CloudPatterns.Core.Tests.GitOps;

public sealed class OwnershipTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private const string KnownCommit = "1111111111111111111111111111111111111111";
    private const string UnknownCommit = "2222222222222222222222222222222222222222";

    private static readonly ManifestOwner Owner = new(Id, "github.com/org/infra", "cloudpatterns.yaml", commit => commit == KnownCommit);

    private static PatternStack StackTagged(params (string Key, string Value)[] tags) =>
        new("333333333333", "us-east-2", new Stack
        {
            StackName = "app",
            StackId = "arn:aws:cloudformation:us-east-2:333333333333:stack/app/1",
            StackStatus = "CREATE_COMPLETE",
            Tags = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        });

    private static PatternStack GitOpsStack(string? id, string? repository, string manifest = "cloudpatterns.yaml", string commit = KnownCommit)
    {
        var tags = new List<(string, string)> { (PatternTags.Pattern, "GitOps"), (PatternTags.Manifest, manifest), (PatternTags.Commit, commit) };
        if (id is not null)
        {
            tags.Add((ManifestOwner.IdTag, id));
        }

        if (repository is not null)
        {
            tags.Add((ManifestOwner.RepositoryTag, repository));
        }

        return StackTagged(tags.ToArray());
    }

    [Theory]
    [InlineData("https://ci-bot:s3cr3t@GitHub.com/org/infra.git", "github.com/org/infra")]
    [InlineData("https://github.com:443/org/infra/", "github.com/org/infra")]
    [InlineData("git@github.com:org/infra.git", "github.com/org/infra")]
    [InlineData("ssh://git@github.com:22/org/infra.git", "github.com/org/infra")]
    [InlineData("https://token@dev.azure.com/org/project/_git/infra?version=GBmain", "dev.azure.com/org/project/_git/infra")]
    [InlineData("file:///srv/git/infra.git", "/srv/git/infra")]
    [InlineData("/srv/git/infra", "/srv/git/infra")]
    public void A_remote_is_tagged_as_host_and_path_without_credentials(string remote, string expected)
    {
        Assert.Equal(expected, RemoteUrl.Normalize(remote));
    }

    [Fact]
    public void Owns_a_stack_with_its_id_and_repository_or_with_its_id_and_no_repository()
    {
        Assert.Null(Owner.WhyNotOwned(GitOpsStack(Id, "github.com/org/infra"), declared: false));
        Assert.Null(Owner.WhyNotOwned(GitOpsStack(Id, null), declared: false));
    }

    [Fact]
    public void Does_not_own_another_manifests_stack_nor_a_fork_with_the_same_id()
    {
        Assert.Equal("owned by another manifest (id ffffffffffffffffffffffffffffffff, repository github.com/other/infra)",
            Owner.WhyNotOwned(GitOpsStack("ffffffffffffffffffffffffffffffff", "github.com/other/infra"), declared: true));
        Assert.Equal($"owned by manifest id {Id} in the repository github.com/fork/infra, not github.com/org/infra",
            Owner.WhyNotOwned(GitOpsStack(Id, "github.com/fork/infra"), declared: false));
        Assert.Equal("a MultiAz stack, not a GitOps one", Owner.WhyNotOwned(StackTagged((PatternTags.Pattern, "MultiAz")), declared: true));
        Assert.Equal("not created by CloudPatterns", Owner.WhyNotOwned(StackTagged(), declared: true));
    }

    [Fact]
    public void A_manifest_without_an_id_owns_no_stack_that_has_one()
    {
        var noId = new ManifestOwner(null, "github.com/org/infra", "cloudpatterns.yaml", _ => true);
        Assert.Equal($"owned by manifest id {Id}; this manifest has no id yet", noId.WhyNotOwned(GitOpsStack(Id, "github.com/org/infra"), declared: true));
    }

    [Fact]
    public void A_stack_of_an_older_version_is_adopted_only_when_declared_and_its_commit_is_in_this_history()
    {
        Assert.Null(Owner.WhyNotOwned(GitOpsStack(null, null), declared: true));
        Assert.Contains($"from commit {UnknownCommit}, which is not in this repository's history", Owner.WhyNotOwned(GitOpsStack(null, null, commit: UnknownCommit), declared: true));
        Assert.Contains("not pruned", Owner.WhyNotOwned(GitOpsStack(null, null), declared: false));
        Assert.Contains("from the manifest 'other/cloudpatterns.yaml'", Owner.WhyNotOwned(GitOpsStack(null, null, manifest: "other/cloudpatterns.yaml"), declared: true));
    }

    [Fact]
    public void Every_refused_template_path_is_in_one_error_with_its_key()
    {
        const string text = """
            version: 1
            id: 0123456789abcdef0123456789abcdef
            regions: [us-east-2]
            stacks:
              - name: a
                template: ../../x
                targets: [{account: "333333333333"}]
              - name: b
                template: ok.yaml
                targets: [{account: "333333333333"}]
              - name: c
                template: /etc/passwd
                targets: [{account: "333333333333"}]
            """;
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Parse(text, "/repo/cloudpatterns.yaml",
            path => path == "ok.yaml" ? "Resources: {}" : throw new TemplatePathException($"'{path}' refused")));
        Assert.Equal(new[] { "stacks[0].template", "stacks[2].template" }, error.Problems.Select(p => p.Key));
        Assert.Equal(new[] { 6, 12 }, error.Problems.Select(p => p.Line));
        Assert.Equal("/repo/cloudpatterns.yaml:6: stacks[0].template: '../../x' refused" + Environment.NewLine + "/repo/cloudpatterns.yaml:12: stacks[2].template: '/etc/passwd' refused", error.Message);
    }

    [Fact]
    public void An_id_that_is_not_32_hex_digits_is_refused_with_its_key()
    {
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Parse("version: 1\nid: team-a\nstacks: []", "/repo/cloudpatterns.yaml", _ => null));
        Assert.Equal("id", error.Key);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_yaml_syntax_error_says_line_column_and_what_is_wrong()
    {
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Parse("version: 1\nstacks: a: b", "/repo/cloudpatterns.yaml", _ => null));
        Assert.Equal("/repo/cloudpatterns.yaml:2:10: (document): not valid YAML: While scanning a plain scalar value, found invalid mapping.", error.Message);
        Assert.Equal(10, error.Problems[0].Column);
    }
}
