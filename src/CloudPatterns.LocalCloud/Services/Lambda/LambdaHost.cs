using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// The managed .NET runtime's part, run as one execution environment's child process (<c>CloudPatterns.LocalCloud.dll
/// --lambda-host CODE-DIR HANDLER</c>, started by <see cref="LambdaEnvironment"/>): reads one request line per event
/// on standard input (<c>EVENT-FILE\tRESULT-FILE\tREQUEST-ID\tTIMEOUT</c>); on the first, loads the function's
/// assembly from its unpacked code in an AssemblyLoadContext of its own and creates the handler's object (the init
/// phase, once per environment, so static state survives between events as in Lambda); calls the handler
/// <c>Assembly::Namespace.Type::Method</c> with the event as a Stream, writes what it returns (a Stream, or a Task of
/// one) to the result file, and ends the event with <see cref="DoneLine"/>. A handler that throws leaves AWS's error
/// payload in the result file and ends the event with <see cref="HandlerFailed"/>; a handler that cannot be found
/// does the same and exits, as an init error ends the environment.
/// </summary>
internal static class LambdaHost
{
    public const int Succeeded = 0;
    public const int HandlerFailed = 3;

    /// <summary>
    /// The line the host writes to standard output once the handler is loaded and about to run: the end of the init
    /// phase, from which the function's timeout counts (LambdaEnvironment keeps the line out of the function's log).
    /// </summary>
    public const string ReadyLine = "\u001Flocalcloud-lambda-handler-starts";

    /// <summary>The line (followed by the exit code) the host writes to standard output and standard error when an event has its answer.</summary>
    public const string DoneLine = "\u001Flocalcloud-lambda-handler-done ";

    public static async Task<int> RunAsync(string codeDirectory, string handler)
    {
        MethodInfo? method = null;
        object? target = null;
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var request = line.Split('\t');
            var (eventFile, resultFile) = (request[0], request[1]);
            try
            {
                method ??= Resolve(codeDirectory, handler, out target);
            }
            catch (Exception error)
            {
                // An init error: its payload answers the event, and the environment ends (the next event starts anew).
                await FailAsync(error, resultFile).ConfigureAwait(false);
                return HandlerFailed;
            }

            var code = await InvokeAsync(method, target, eventFile, resultFile).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(DoneLine + code.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            await Console.Error.WriteLineAsync(DoneLine + code.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await Console.Error.FlushAsync().ConfigureAwait(false);
        }

        return Succeeded;
    }

    private static async Task<int> InvokeAsync(MethodInfo method, object? target, string eventFile, string resultFile)
    {
        try
        {
            await using var input = File.OpenRead(eventFile);
            await Console.Out.WriteLineAsync(ReadyLine).ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            var returned = method.Invoke(target, [input]);
            if (returned is Task<Stream> pending)
            {
                returned = await pending.ConfigureAwait(false);
            }

            await using var output = File.Create(resultFile);
            if (returned is Stream stream)
            {
                await stream.CopyToAsync(output).ConfigureAwait(false);
            }

            return Succeeded;
        }
        catch (Exception error)
        {
            await FailAsync(error, resultFile).ConfigureAwait(false);
            return HandlerFailed;
        }
    }

    private static async Task FailAsync(Exception error, string resultFile)
    {
        var thrown = error is TargetInvocationException { InnerException: { } inner } ? inner : error;
        await Console.Error.WriteLineAsync(thrown.ToString()).ConfigureAwait(false);
        await File.WriteAllTextAsync(resultFile, JsonSerializer.Serialize(new
        {
            errorType = thrown is HandlerNotFoundException ? "LambdaException" : thrown.GetType().Name,
            errorMessage = thrown.Message,
            stackTrace = (thrown.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        })).ConfigureAwait(false);
    }

    /// <summary>The handler method: public, one Stream parameter, returning Stream or Task&lt;Stream&gt;; an instance method needs a public parameterless constructor.</summary>
    private static MethodInfo Resolve(string codeDirectory, string handler, out object? target)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(part => part.Length == 0))
        {
            throw new HandlerNotFoundException($"The handler '{handler}' is not in the form Assembly::Namespace.Type::Method.");
        }

        var path = Path.Combine(codeDirectory, parts[0] + ".dll");
        if (!File.Exists(path))
        {
            throw new HandlerNotFoundException($"Could not find the specified handler assembly with the file name '{parts[0]}'.");
        }

        var assembly = new FunctionLoadContext(codeDirectory).LoadFromAssemblyPath(path);
        var type = assembly.GetType(parts[1]) ?? throw new HandlerNotFoundException($"Unable to find type '{parts[1]}' in assembly '{parts[0]}'.");
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .SingleOrDefault(candidate => candidate.Name == parts[2]
                && candidate.GetParameters() is [{ ParameterType: var parameter }] && parameter == typeof(Stream)
                && (candidate.ReturnType == typeof(Stream) || candidate.ReturnType == typeof(Task<Stream>)))
            ?? throw new HandlerNotFoundException($"Unable to find method '{parts[2]}' taking a Stream and returning Stream or Task<Stream> in type '{parts[1]}'.");
        target = method.IsStatic ? null : Activator.CreateInstance(type);
        return method;
    }

    private sealed class HandlerNotFoundException(string message) : Exception(message);

    /// <summary>
    /// Loads the function's own assemblies from its code directory, except those the .NET runtime itself provides
    /// (a netstandard2.0 package carries System.Memory and the like, which the runtime's own versions replace).
    /// </summary>
    private sealed class FunctionLoadContext(string codeDirectory) : AssemblyLoadContext("lambda-function")
    {
        private static readonly string FrameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var file = assemblyName.Name + ".dll";
            var path = Path.Combine(codeDirectory, file);
            return File.Exists(path) && !File.Exists(Path.Combine(FrameworkDirectory, file)) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
