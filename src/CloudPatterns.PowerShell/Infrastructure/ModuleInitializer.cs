using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Management.Automation;
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
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

    private static readonly bool IsCoreClr = !RuntimeInformationIsFramework();

    public void OnImport()
    {
        if (IsCoreClr)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngineAssembly;
        }
        else
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyDirectory;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsCoreClr)
        {
            AssemblyLoadContext.Default.Resolving -= ResolveEngineAssembly;
        }
        else
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyDirectory;
        }
    }

    private static bool RuntimeInformationIsFramework() =>
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    // Only our own engine assemblies are handed from the default context to the private one; what they reference is
    // then resolved by the private context itself.
    private static Assembly? ResolveEngineAssembly(AssemblyLoadContext context, AssemblyName name) =>
        name.Name is "CloudPatterns.Core" or "CloudPatterns.Aws" ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;

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

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null || PlatformAssemblies.Contains(assemblyName.Name))
            {
                return null;
            }
            var path = Path.Combine(DependencyDirectory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
