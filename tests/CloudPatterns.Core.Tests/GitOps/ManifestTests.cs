using CloudPatterns.Core.GitOps;

namespace CloudPatterns.Core.Tests.GitOps;

public sealed class ManifestTests
{
    private const string File = "/repo/cloudpatterns.yaml";

    private static readonly Dictionary<string, string> Templates = new()
    {
        ["templates/app.yaml"] = "Resources: {}",
        ["templates/network.yaml"] = "Resources: {}",
        ["templates/base.yaml"] = "Resources: {}",
    };

    private static StackManifest Parse(string text) => ManifestReader.Parse(text, File, path => Templates.GetValueOrDefault(path));

    private static ManifestException Refused(string text) => Assert.Throws<ManifestException>(() => Parse(text));

    [Fact]
    public void Reads_every_field_and_merges_the_manifest_tags_under_the_stack_tags()
    {
        var manifest = Parse("""
            version: 1
            regions: [us-east-2]
            tags:
              owner: platform
              tier: shared
            stacks:
              - name: app
                template: templates/app.yaml
                regions: [us-east-2, us-west-2]
                targets:
                  - account: "333333333333"
                    environment: production
                  - organizationalUnit: ou-lc01-1a2b3c4d
                parameters:
                  Size: small
                  Subnets: [a, b]
                environments:
                  production:
                    parameters:
                      Size: large
                tags:
                  tier: app
                capabilities: [CAPABILITY_IAM]
            """);

        var app = Assert.Single(manifest.Stacks);
        Assert.Equal("app", app.Name);
        Assert.Equal(StackLayer.Mutable, app.Layer);
        Assert.Equal(new[] { "us-east-2", "us-west-2" }, app.Regions);
        Assert.Equal("Resources: {}", app.TemplateBody);
        Assert.Equal(new[] { "CAPABILITY_IAM" }, app.Capabilities);
        Assert.Equal(ManifestTargetKind.Account, app.Targets[0].Kind);
        Assert.Equal("production", app.Targets[0].Environment);
        Assert.Equal(ManifestTargetKind.OrganizationalUnit, app.Targets[1].Kind);
        Assert.Equal(13, app.Targets[1].Line);
        Assert.Equal("small", app.ParametersFor(null)["Size"]);
        Assert.Equal("large", app.ParametersFor("production")["Size"]);
        Assert.Equal("a,b", app.ParametersFor("production")["Subnets"]);
        Assert.Equal("platform", app.Tags["owner"]);
        Assert.Equal("app", app.Tags["tier"]);
    }

    [Fact]
    public void A_bundled_template_is_read_from_the_module()
    {
        var manifest = Parse("version: 1\nregions: [us-east-2]\nstacks:\n  - name: web\n    template: pattern:multi-az-web-app\n    targets:\n      - account: production\n");

        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", manifest.Stacks[0].TemplateBody);
    }

    [Fact]
    public void Orders_immutable_layers_first_then_by_dependencies_then_as_written()
    {
        var manifest = Parse("""
            version: 1
            regions: [us-east-2]
            stacks:
              - name: app
                template: templates/app.yaml
                dependsOn: [config]
                targets: [{account: production}]
              - name: config
                template: templates/app.yaml
                targets: [{account: production}]
              - name: network
                template: templates/network.yaml
                layer: immutable
                dependsOn: [base]
                targets: [{account: production}]
              - name: base
                template: templates/base.yaml
                layer: immutable
                targets: [{account: production}]
            """);

        Assert.Equal(new[] { "base", "network", "config", "app" }, manifest.Stacks.Select(s => s.Name));
    }

    [Theory]
    [InlineData("version: 1\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets: [{account: production}]\n", 3, "stacks[0].regions", "no regions")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: 9lives\n    template: templates/app.yaml\n    targets: [{account: production}]\n", 4, "stacks[0].name", "'9lives' is not a stack name")]
    [InlineData("version: 1\nregions: [useast2]\nstacks: []\n", 2, "regions", "'useast2' is not a region")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks: []\n", 3, "stacks", "the list is empty")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets:\n      - account: production\n        organizationalUnit: ou-lc01-1a2b3c4d\n", 7, "stacks[0].targets[0]", "exactly one of account and organizationalUnit")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets:\n      - organizationalUnit: Workloads\n", 7, "stacks[0].targets[0].organizationalUnit", "'Workloads' is not an OU id")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets:\n      - account: production\n        environment: prod\n", 7, "stacks[0].targets[0].environment", "environment 'prod' is not declared")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets: [{account: production}]\n  - name: A\n    template: templates/app.yaml\n    targets: [{account: production}]\n", 7, "stacks[1].name", "declared twice (also on line 4)")]
    [InlineData("version: 1\nregions: [us-east-2]\nstacks:\n  - name: a\n    template: templates/app.yaml\n    targets: [{account: production}]\n    parameters:\n      Size: {nested: map}\n", 8, "stacks[0].parameters.Size", "give a single value or a list")]
    public void Refuses_a_problem_naming_file_line_and_key(string text, int line, string key, string problem)
    {
        var error = Refused(text);

        Assert.Equal(File, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"{File}:{line}: {key}: ", error.Message);
    }

    [Fact]
    public void Refuses_a_dependency_cycle_and_an_immutable_stack_that_depends_on_a_mutable_one()
    {
        const string Stacks = "version: 1\nregions: [us-east-2]\nstacks:\n";
        var cycle = Refused(Stacks + "  - name: a\n    template: templates/app.yaml\n    dependsOn: [b]\n    targets: [{account: production}]\n  - name: b\n    template: templates/app.yaml\n    dependsOn: [a]\n    targets: [{account: production}]\n");
        Assert.Contains("dependency cycle among a, b", cycle.Message);

        var inverted = Refused(Stacks + "  - name: net\n    template: templates/network.yaml\n    layer: immutable\n    dependsOn: [app]\n    targets: [{account: production}]\n  - name: app\n    template: templates/app.yaml\n    targets: [{account: production}]\n");
        Assert.Equal(4, inverted.Line);
        Assert.Contains("immutable stack 'net' depends on mutable stack 'app'", inverted.Message);
    }

    [Fact]
    public void Expands_targets_per_account_and_region_in_deployment_order_with_each_account_s_environment()
    {
        var manifest = Parse("""
            version: 1
            regions: [us-east-2, us-west-2]
            stacks:
              - name: app
                template: templates/app.yaml
                targets:
                  - organizationalUnit: ou-lc01-1a2b3c4d
                    environment: workloads
                environments:
                  workloads:
                    parameters: {Size: large}
              - name: network
                template: templates/network.yaml
                layer: immutable
                regions: [us-east-2]
                targets:
                  - account: production
            """);
        var accounts = new Dictionary<string, string[]>
        {
            ["ou-lc01-1a2b3c4d"] = new[] { "333333333333", "444444444444" },
            ["production"] = new[] { "333333333333" },
        };

        var targets = ManifestTargets.Expand(manifest, entry => accounts[entry.Value]);

        Assert.Equal(
            new[] { "333333333333/us-east-2", "333333333333/us-west-2", "444444444444/us-east-2", "444444444444/us-west-2" },
            targets.Select(t => $"{t.AccountId}/{t.Region}").OrderBy(t => t));
        var production = targets.Single(t => t.AccountId == "333333333333" && t.Region == "us-east-2");
        Assert.Equal(new[] { "network", "app" }, production.Stacks.Select(s => s.Stack.Name));
        Assert.Equal("workloads", production.Stacks[1].Environment);
        Assert.Null(production.Stacks[0].Environment);
        Assert.Equal(new[] { "app" }, targets.Single(t => t.AccountId == "444444444444" && t.Region == "us-west-2").Stacks.Select(s => s.Stack.Name));
    }

    [Fact]
    public void Refuses_an_account_reached_twice_with_different_environments()
    {
        var manifest = Parse("version: 1\nregions: [us-east-2]\nstacks:\n  - name: app\n    template: templates/app.yaml\n    targets:\n      - organizationalUnit: ou-lc01-1a2b3c4d\n        environment: staging\n      - account: production\n        environment: production\n    environments:\n      staging: {parameters: {}}\n      production: {parameters: {}}\n");

        var error = Assert.Throws<ManifestException>(() => ManifestTargets.Expand(manifest, entry => new[] { "333333333333" }));

        Assert.Equal(9, error.Line);
        Assert.Equal("stacks[0].targets[1]", error.Key);
        Assert.Contains("account 333333333333 is a target of stack 'app' twice with different environments ('staging' on line 7, 'production' here)", error.Message);
    }

    [Fact]
    public void A_stack_set_stack_reads_its_preferences_and_is_no_direct_target()
    {
        var manifest = Parse("""
            version: 1
            regions: [us-east-2, us-west-2]
            stacks:
              - name: baseline
                template: templates/base.yaml
                deployment: stackset
                targets:
                  - organizationalUnit: ou-lc01-1a2b3c4d
                autoDeployment:
                  retainStacksOnAccountRemoval: true
                operationPreferences:
                  regionConcurrencyType: PARALLEL
                  maxConcurrentPercentage: 100
                  failureToleranceCount: 3
                  concurrencyMode: SOFT_FAILURE_TOLERANCE
              - name: app
                template: templates/app.yaml
                targets:
                  - account: production
            """);

        var baseline = manifest.Stacks.Single(s => s.Name == "baseline");
        Assert.Equal(ManifestDeployment.StackSet, baseline.Deployment);
        var options = baseline.StackSet!;
        Assert.Equal((true, true, "PARALLEL", 100, 3, "SOFT_FAILURE_TOLERANCE"),
            (options.AutoDeployment, options.RetainStacksOnAccountRemoval, options.RegionConcurrencyType, options.MaxConcurrentPercentage, options.FailureToleranceCount, options.ConcurrencyMode));
        Assert.Null(options.MaxConcurrentCount);
        Assert.Equal(ManifestDeployment.Direct, manifest.Stacks.Single(s => s.Name == "app").Deployment);

        var targets = ManifestTargets.Expand(manifest, entry => entry.Kind == ManifestTargetKind.OrganizationalUnit ? new[] { "333333333333", "444444444444" } : new[] { "333333333333" });
        Assert.Equal(new[] { "333333333333 us-east-2 app", "333333333333 us-west-2 app" },
            targets.Select(t => $"{t.AccountId} {t.Region} {string.Join(",", t.Stacks.Select(s => s.Stack.Name))}"));
    }

    [Theory]
    [InlineData("    deployment: stackset\n    serviceRole: Deployer\n", "stacks[0].serviceRole", "not with deployment: stackset")]
    [InlineData("    deployment: stackset\n    operationPreferences:\n      failureTolerancePercentage: 101\n", "stacks[0].operationPreferences.failureTolerancePercentage", "'101' is not a whole number from 0 to 100.")]
    [InlineData("    deployment: stackset\n    operationPreferences:\n      regionConcurrencyType: RANDOM\n", "stacks[0].operationPreferences.regionConcurrencyType", "'RANDOM' is not allowed: give SEQUENTIAL or PARALLEL.")]
    [InlineData("    operationPreferences:\n      maxConcurrentCount: 2\n", "stacks[0].operationPreferences", "only a stack with deployment: stackset takes this key.")]
    public void A_stack_set_stack_refuses_what_a_stack_set_cannot_take(string extra, string key, string problem)
    {
        var error = Refused("version: 1\nregions: [us-east-2]\nstacks:\n  - name: base\n    template: templates/base.yaml\n    targets:\n      - account: production\n" + extra);

        Assert.Equal(key, error.Key);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_stack_depends_on_a_stack_set()
    {
        var error = Refused("version: 1\nregions: [us-east-2]\nstacks:\n  - name: base\n    template: templates/base.yaml\n    deployment: stackset\n    targets:\n      - organizationalUnit: ou-lc01-1a2b3c4d\n  - name: app\n    template: templates/app.yaml\n    dependsOn: [base]\n    targets:\n      - account: production\n");

        Assert.Equal("stacks[1].dependsOn", error.Key);
        Assert.StartsWith("'base' is deployed as a stack set", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Differences_name_the_template_and_each_parameter_but_not_masked_values()
    {
        var desired = new Dictionary<string, string> { ["Size"] = "large", ["Secret"] = "s3cret", ["Count"] = "2" };
        var deployed = new Dictionary<string, string> { ["Size"] = "small", ["Secret"] = "****", ["Count"] = "2" };

        Assert.Equal(new[] { "parameter Size: 'small' -> 'large'" }, StackReconciler.Differences("A: 1\r\nB: 2  \n", "A: 1\nB: 2\n", desired, deployed));
        Assert.Equal(new[] { "template changed", "parameter Size: 'small' -> 'large'" }, StackReconciler.Differences("A: 1\n", "A: 2\n", desired, deployed));
        Assert.Empty(StackReconciler.Differences("A: 1", "A: 1", deployed, deployed));
    }

    [Fact]
    public void The_client_request_token_carries_the_commit()
    {
        const string Commit = "0123456789abcdef0123456789abcdef01234567";

        var token = StackReconciler.TokenFor(Commit, new DateTime(2026, 11, 27, 16, 0, 0, DateTimeKind.Utc));

        Assert.Matches("^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$", token);
        Assert.Equal(Commit, StackReconciler.CommitOfToken(token));
        Assert.Equal(Commit, StackReconciler.CommitOfToken(StackReconciler.TokenFor(Commit + ManifestCheckout.DirtySuffix, DateTime.UtcNow)));
        Assert.Null(StackReconciler.CommitOfToken("Console-CreateStack-1234"));
        Assert.Null(StackReconciler.CommitOfToken(null));
    }
}
