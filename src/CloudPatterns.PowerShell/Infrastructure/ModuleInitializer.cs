using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Runtime.CompilerServices;
using System.Reflection;
using System.Runtime.Loader;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Keeps the module's dependencies (AWSSDK.*, YamlDotNet, System.Text.Json ...) out of the way of other modules.
/// They sit in the module's <c>deps</c> folder. On PowerShell 7 our engine assemblies (CloudPatterns.Core and
/// CloudPatterns.Aws) and everything they reference load into a private AssemblyLoadContext, so another module that
/// loaded a different AWSSDK.Core first cannot break us, nor we it. Windows PowerShell 5.1 has no load contexts:
/// there the folder is only probed.
/// </summary>
internal static class ModuleInitializer
{
    private static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

    /// <summary>
    /// Runs when the runtime first touches this assembly, before PowerShell reflects over the cmdlet types (whose
    /// signatures name our engine's types), and once per process however often the module is imported.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        if (OnNetFramework())
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyDirectory;
        }
        else
        {
            ResolveThroughPrivateContext();
        }
    }

    // .NET Framework's core library is mscorlib; .NET's is System.Private.CoreLib. (RuntimeInformation would need an
    // assembly that old .NET Framework installs lack.)
    private static bool OnNetFramework() => typeof(object).Assembly.GetName().Name == "mscorlib";

    // Kept out of Initialize: .NET Framework has no System.Runtime.Loader, and compiling a method that names its types
    // fails there before the method runs. This method is only compiled on .NET, where it is called.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ResolveThroughPrivateContext() => AssemblyLoadContext.Default.Resolving += ResolveEngineAssembly;

    // What the cmdlet assembly references and only deps/ has (our engine assemblies, and the netstandard2.0 shims
    // that define types it shares with them, such as IAsyncEnumerable) comes from the private context, so both sides
    // see the same types. Everything the engine references is then resolved by the private context itself.
    private static Assembly? ResolveEngineAssembly(AssemblyLoadContext context, AssemblyName name) =>
        DependencyLoadContext.Instance.Ships(name) ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;

    private static Assembly? ResolveFromDependencyDirectory(object? sender, ResolveEventArgs args)
    {
        var path = Path.Combine(DependencyDirectory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }

    private sealed class DependencyLoadContext : AssemblyLoadContext
    {
        public static readonly DependencyLoadContext Instance = new();

        // What the runtime itself provides (System.Text.Json, System.Memory ...) must come from the default context:
        // our netstandard2.0 copies of them exist only for Windows PowerShell.
        private static readonly HashSet<string> PlatformAssemblies = new(
            ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
                .Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileNameWithoutExtension),
            StringComparer.OrdinalIgnoreCase);

        public bool Ships(AssemblyName assemblyName) =>
            assemblyName.Name is not null && !PlatformAssemblies.Contains(assemblyName.Name) && File.Exists(PathOf(assemblyName));

        protected override Assembly? Load(AssemblyName assemblyName) => Ships(assemblyName) ? LoadFromAssemblyPath(PathOf(assemblyName)) : null;

        private static string PathOf(AssemblyName assemblyName) => Path.Combine(DependencyDirectory, assemblyName.Name + ".dll");
    }
}
