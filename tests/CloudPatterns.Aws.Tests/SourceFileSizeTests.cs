namespace CloudPatterns.Aws.Tests;

/// <summary>The project rule: no .cs file under src/ over 600 lines; split big ones by concept.</summary>
public sealed class SourceFileSizeTests
{
    private const int MaxLines = 600;

    [Fact]
    public void NoSourceFileIsOverSixHundredLines()
    {
        var source = Path.Combine(RepositoryRoot(), "src");
        var files = SourceFiles(source);

        // The check must see the sources, or it would pass on an empty or wrong folder.
        Assert.Contains(files, file => file.EndsWith(Path.Combine("CloudPatterns.Aws", "AwsSession.cs"), StringComparison.Ordinal));
        Assert.True(files.Count > 50, $"only {files.Count} .cs files found under {source}");

        var oversized = OversizedFiles(files, MaxLines).Select(entry => $"{Path.GetRelativePath(source, entry.File)} ({entry.Lines} lines)");
        Assert.Empty(oversized);
    }

    [Fact]
    public void FindsAFileOneLineOverTheLimitAndSkipsBuildOutput()
    {
        var root = Directory.CreateTempSubdirectory("cp-size-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "Project", "obj"));
            Directory.CreateDirectory(Path.Combine(root, "Project", "bin"));
            File.WriteAllLines(Path.Combine(root, "Project", "AtLimit.cs"), Enumerable.Repeat("//", MaxLines));
            File.WriteAllLines(Path.Combine(root, "Project", "OverLimit.cs"), Enumerable.Repeat("//", MaxLines + 1));
            File.WriteAllLines(Path.Combine(root, "Project", "obj", "Generated.cs"), Enumerable.Repeat("//", MaxLines * 2));
            File.WriteAllLines(Path.Combine(root, "Project", "bin", "Copied.cs"), Enumerable.Repeat("//", MaxLines * 2));

            var oversized = OversizedFiles(SourceFiles(root), MaxLines);

            var entry = Assert.Single(oversized);
            Assert.Equal("OverLimit.cs", Path.GetFileName(entry.File));
            Assert.Equal(MaxLines + 1, entry.Lines);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static List<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .ToList();

    private static IEnumerable<(string File, int Lines)> OversizedFiles(IEnumerable<string> files, int maxLines) =>
        files.Select(file => (File: file, Lines: File.ReadLines(file).Count())).Where(entry => entry.Lines > maxLines);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("CloudPatterns.sln not found above " + AppContext.BaseDirectory);
    }
}
