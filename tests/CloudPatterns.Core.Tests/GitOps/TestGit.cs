using System.Diagnostics;

namespace CloudPatterns.Core.Tests.GitOps;

/// <summary>Runs the git CLI in a test repository and fails the test when git fails.</summary>
internal static class TestGit
{
    public static string Run(string repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(" ", arguments)}: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
