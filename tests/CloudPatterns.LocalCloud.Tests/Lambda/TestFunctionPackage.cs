using System.IO.Compression;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// The deployment package of tests/CloudPatterns.LocalCloud.TestFunction (built with this project): its build output
/// zipped as `dotnet lambda package` would, written once per test run.
/// </summary>
internal static class TestFunctionPackage
{
    public const string HandlerPrefix = "CloudPatterns.LocalCloud.TestFunction::CloudPatterns.LocalCloud.TestFunction.Handlers::";

    private static readonly Lazy<string> Zip = new(() =>
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var build = Path.GetFullPath(Path.Combine(output.FullName, "..", "..", "..", "..", "CloudPatterns.LocalCloud.TestFunction", "bin", configuration, "netstandard2.0"));
        Assert.True(File.Exists(Path.Combine(build, "CloudPatterns.LocalCloud.TestFunction.dll")), $"The test function is not built at {build}.");
        var zip = Path.Combine(output.FullName, "test-function.zip");
        File.Delete(zip);
        ZipFile.CreateFromDirectory(build, zip);
        return zip;
    });

    /// <summary>The path of the zip (in the test output directory).</summary>
    public static string ZipPath => Zip.Value;
}
