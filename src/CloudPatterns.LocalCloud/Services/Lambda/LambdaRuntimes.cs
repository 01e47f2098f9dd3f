using System.Globalization;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>How LocalCloud runs a runtime's handlers: the managed .NET host in this assembly, or an interpreter on PATH.</summary>
internal enum RuntimeFamily
{
    Dotnet,
    Python,
    Node,
}

/// <summary>
/// Lambda's managed runtimes as LocalCloud knows them (docs/localcloud-lambda.md, "Runtimes"): which family runs a
/// runtime identifier, the interpreter that runs it on this machine, and AWS's deprecation schedule, whose "block
/// function create" and "block function update" dates are decided on the sandbox clock.
/// </summary>
internal static class LambdaRuntimes
{
    /// <summary>One deprecated (or scheduled) runtime: when Lambda stops creating and updating functions with it, and what it recommends instead.</summary>
    private sealed record Lifecycle(DateOnly BlockCreate, DateOnly BlockUpdate, string Successor);

    // Lambda runtimes, "Supported runtimes" and "Deprecated runtimes", as AWS moved them in 2026 (docs/localcloud-lambda.md
    // gives the sources).
    private static readonly Dictionary<string, Lifecycle> Schedule = new(StringComparer.Ordinal)
    {
        ["nodejs"] = Of("2016-09-30", "2016-10-31", "nodejs24.x"),
        ["nodejs4.3"] = Of("2020-02-03", "2020-03-05", "nodejs24.x"),
        ["nodejs4.3-edge"] = Of("2019-03-31", "2019-04-30", "nodejs24.x"),
        ["nodejs6.10"] = Of("2019-07-12", "2019-08-12", "nodejs24.x"),
        ["nodejs8.10"] = Of("2020-02-04", "2020-03-06", "nodejs24.x"),
        ["nodejs10.x"] = Of("2021-07-30", "2022-02-14", "nodejs24.x"),
        ["nodejs12.x"] = Of("2023-03-31", "2023-04-30", "nodejs24.x"),
        ["nodejs14.x"] = Of("2024-01-09", "2027-03-03", "nodejs24.x"),
        ["nodejs16.x"] = Of("2027-02-01", "2027-03-03", "nodejs24.x"),
        ["nodejs18.x"] = Of("2027-02-01", "2027-03-03", "nodejs24.x"),
        ["nodejs20.x"] = Of("2027-02-01", "2027-03-03", "nodejs24.x"),
        ["nodejs22.x"] = Of("2027-06-01", "2027-07-01", "nodejs24.x"),
        ["nodejs24.x"] = Of("2028-06-01", "2028-07-01", "nodejs24.x"),
        ["python2.7"] = Of("2021-07-15", "2022-05-30", "python3.14"),
        ["python3.6"] = Of("2022-07-18", "2022-08-29", "python3.14"),
        ["python3.7"] = Of("2024-01-09", "2027-03-03", "python3.14"),
        ["python3.8"] = Of("2027-02-01", "2027-03-03", "python3.14"),
        ["python3.9"] = Of("2027-02-01", "2027-03-03", "python3.14"),
        ["python3.10"] = Of("2027-02-01", "2027-03-03", "python3.14"),
        ["python3.11"] = Of("2027-07-31", "2027-08-31", "python3.14"),
        ["python3.12"] = Of("2028-11-30", "2029-01-10", "python3.14"),
        ["python3.13"] = Of("2029-07-31", "2029-08-31", "python3.14"),
        ["python3.14"] = Of("2029-07-31", "2029-08-31", "python3.14"),
        ["dotnetcore1.0"] = Of("2019-06-30", "2019-07-30", "dotnet10"),
        ["dotnetcore2.0"] = Of("2019-04-30", "2019-05-30", "dotnet10"),
        ["dotnetcore2.1"] = Of("2022-01-05", "2022-04-13", "dotnet10"),
        ["dotnetcore3.1"] = Of("2023-04-03", "2023-05-03", "dotnet10"),
        ["dotnet6"] = Of("2027-02-01", "2027-03-03", "dotnet10"),
        ["dotnet8"] = Of("2027-02-01", "2027-03-03", "dotnet10"),
        ["dotnet10"] = Of("2028-12-14", "2029-01-15", "dotnet10"),
        ["java8"] = Of("2024-02-08", "2027-03-03", "java25"),
        ["java8.al2"] = Of("2027-07-31", "2027-08-31", "java25"),
        ["java11"] = Of("2027-07-31", "2027-08-31", "java25"),
        ["java17"] = Of("2027-07-31", "2027-08-31", "java25"),
        ["java21"] = Of("2029-07-31", "2029-08-31", "java25"),
        ["java25"] = Of("2029-07-31", "2029-08-31", "java25"),
        ["go1.x"] = Of("2024-02-08", "2027-03-03", "provided.al2023"),
        ["provided"] = Of("2024-02-08", "2027-03-03", "provided.al2023"),
        ["provided.al2"] = Of("2027-02-01", "2027-03-03", "provided.al2023"),
        ["provided.al2023"] = Of("2029-07-31", "2029-08-31", "provided.al2023"),
        ["ruby2.5"] = Of("2021-07-30", "2022-03-31", "ruby4.0"),
        ["ruby2.7"] = Of("2024-01-09", "2027-03-03", "ruby4.0"),
        ["ruby3.2"] = Of("2027-02-01", "2027-03-03", "ruby4.0"),
        ["ruby3.3"] = Of("2027-04-30", "2027-05-31", "ruby4.0"),
        ["ruby3.4"] = Of("2028-04-30", "2028-05-31", "ruby4.0"),
        ["ruby4.0"] = Of("2029-04-30", "2029-05-31", "ruby4.0"),
    };

    /// <summary>The family that runs a runtime identifier, or null when LocalCloud runs none of its handlers.</summary>
    public static RuntimeFamily? Family(string runtime) =>
        runtime.StartsWith("dotnet", StringComparison.Ordinal) && !runtime.StartsWith("dotnetcore", StringComparison.Ordinal) ? RuntimeFamily.Dotnet
        : runtime.StartsWith("python3.", StringComparison.Ordinal) ? RuntimeFamily.Python
        : runtime.StartsWith("nodejs", StringComparison.Ordinal) && runtime.EndsWith(".x", StringComparison.Ordinal) ? RuntimeFamily.Node
        : null;

    /// <summary>
    /// The interpreter of a Python or Node.js runtime on this machine: python3 or node on PATH, whatever minor
    /// version it is (a LocalCloud limit, docs/localcloud-lambda.md). Null when PATH has none.
    /// </summary>
    public static string? Interpreter(RuntimeFamily family) => family switch
    {
        RuntimeFamily.Python => OnPath("python3"),
        RuntimeFamily.Node => OnPath("node"),
        _ => null,
    };

    /// <summary>Refuses a runtime Lambda no longer lets functions be created with on <paramref name="today"/> (AWS's InvalidParameterValueException).</summary>
    public static void RequireCreatable(string runtime, DateTimeOffset today) => Require(runtime, today, update: false);

    /// <summary>Refuses a runtime Lambda no longer lets functions be updated with on <paramref name="today"/>.</summary>
    public static void RequireUpdatable(string runtime, DateTimeOffset today) => Require(runtime, today, update: true);

    private static void Require(string runtime, DateTimeOffset today, bool update)
    {
        if (Schedule.TryGetValue(runtime, out var lifecycle) && DateOnly.FromDateTime(today.UtcDateTime) >= (update ? lifecycle.BlockUpdate : lifecycle.BlockCreate))
        {
            throw LambdaArns.InvalidParameter(
                $"The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime ({lifecycle.Successor}) while creating or updating functions.");
        }
    }

    /// <summary>
    /// The module Lambda adds to a function whose code CloudFormation packages from inline source (ZipFile):
    /// cfnresponse for Python, cfn-response for Node.js (our own, docs/localcloud-lambda.md). Null for other runtimes.
    /// CloudFormation adds it when the source loads it: <c>import cfnresponse</c>, <c>require('cfn-response')</c>.
    /// </summary>
    public static (string Path, string Source)? InlineModule(string runtime, string source) => Family(runtime) switch
    {
        RuntimeFamily.Python when source.Contains("import cfnresponse", StringComparison.Ordinal) => ("cfnresponse.py", Script("cfnresponse.py")),
        RuntimeFamily.Node when source.Contains("require('cfn-response')", StringComparison.Ordinal) || source.Contains("require(\"cfn-response\")", StringComparison.Ordinal)
            => ("node_modules/cfn-response/index.js", Script("cfn-response.js")),
        _ => null,
    };

    /// <summary>A runtime script shipped in this assembly (Services/Lambda/Runtimes).</summary>
    public static string Script(string name)
    {
        using var stream = typeof(LambdaRuntimes).Assembly.GetManifestResourceStream("CloudPatterns.LocalCloud.LambdaRuntimes." + name)
            ?? throw new InvalidOperationException($"The runtime script {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Lifecycle Of(string blockCreate, string blockUpdate, string successor) =>
        new(DateOnly.Parse(blockCreate, CultureInfo.InvariantCulture), DateOnly.Parse(blockUpdate, CultureInfo.InvariantCulture), successor);

    private static string? OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
}
