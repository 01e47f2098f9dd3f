using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>cfn-lint (this machine's Python) and the engine agree on every template in templates/: valid/ ones pass both, invalid/ ones fail both.</summary>
public sealed class CfnLintAgreementTests
{
    [Fact]
    public async Task CfnLintAndTheEngineAgreeOnEveryTemplate()
    {
        var templates = Directory.GetFiles(TemplatesDirectory, "*.*", SearchOption.AllDirectories).Order().ToList();
        Assert.True(templates.Count >= 10, $"only {templates.Count} templates found in {TemplatesDirectory}");
        var lintErrors = await RunCfnLintAsync(templates);
        var engine = new CloudFormationEngine();

        var disagreements = new List<string>();
        foreach (var (template, index) in templates.Select((template, index) => (template, index)))
        {
            var expectedValid = Path.GetFileName(Path.GetDirectoryName(template)) == "valid";
            var lintValid = !lintErrors.ContainsKey(template);
            var (engineValid, engineReason) = await DeployAsync(engine, $"agreement{index}", await File.ReadAllTextAsync(template));
            if (lintValid != expectedValid || engineValid != expectedValid)
            {
                disagreements.Add($"{Path.GetRelativePath(TemplatesDirectory, template)}: expected {(expectedValid ? "valid" : "invalid")}, "
                    + $"cfn-lint {(lintValid ? "passed" : "failed: " + lintErrors[template])}, engine {(engineValid ? "passed" : "failed: " + engineReason)}");
            }
        }
        Assert.Empty(disagreements);
    }

    private static async Task<(bool Valid, string? Reason)> DeployAsync(CloudFormationEngine engine, string name, string body)
    {
        Stack stack;
        try
        {
            stack = engine.CreateStack(Account, Region, new StackInput { StackName = name, TemplateBody = body, Capabilities = ["CAPABILITY_NAMED_IAM"] });
        }
        catch (CloudFormationException exception)
        {
            return (false, exception.Message);
        }
        await stack.Operation;
        var failure = stack.Events.FirstOrDefault(stackEvent => stackEvent.ResourceStatus == "CREATE_FAILED")?.ResourceStatusReason;
        return (stack.Status == "CREATE_COMPLETE", failure ?? stack.Status);
    }

    /// <summary>One cfn-lint run over all templates; the Error-level findings per file (warnings do not fail a template).</summary>
    private static async Task<Dictionary<string, string>> RunCfnLintAsync(IReadOnlyList<string> templates)
    {
        var start = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--format", "json", "--" }.Concat(templates))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational; 1 means it could not run.
        Assert.True((process.ExitCode & 1) == 0, $"cfn-lint failed to run (exit {process.ExitCode}): {await error}");
        var findings = JsonNode.Parse(await output)!.AsArray();
        return findings
            .Where(finding => finding!["Level"]!.GetValue<string>() == "Error")
            .GroupBy(finding => Path.GetFullPath(finding!["Filename"]!.GetValue<string>()))
            .ToDictionary(group => group.Key, group => string.Join("; ", group.Select(finding => $"{finding!["Rule"]!["Id"]} {finding["Message"]}")));
    }
}
