using System.Net;
using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.Auth;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Seed;
using CloudPatterns.LocalCloud.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CloudPatterns.LocalCloud;

/// <summary>A running LocalCloud: an emulated AWS organization on 127.0.0.1. Dispose to stop it.</summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalCloudServer(WebApplication app, Uri url, LocalCloudState state, StateFile? stateFile)
    {
        this.app = app;
        Url = url;
        State = state;
        StateFile = stateFile;
    }

    /// <summary>The endpoint for every service, e.g. http://127.0.0.1:5123.</summary>
    public Uri Url { get; }

    /// <summary>The seeded organization: accounts, OUs, regions, the management credentials, the ExternalId.</summary>
    public SeedOrganization Organization => State.Organization;

    /// <summary>The simulated clock; advance it to expire temporary credentials.</summary>
    public LocalCloudClock Clock => State.Clock;

    internal LocalCloudState State { get; }

    /// <summary>The --state file, when one was given: loaded at start, saved at shutdown.</summary>
    internal StateFile? StateFile { get; }

    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = new LocalCloudClock();
        var state = new LocalCloudState(SeedLoader.Load(options.SeedPath, options.WorkloadAccountCount, clock.GetUtcNow()), clock);
        var stateFile = options.StatePath is null ? null : new StateFile(options.StatePath, state.PersistentParts);
        stateFile?.Load();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();

        var dispatcher = new RequestDispatcher(state, new ServiceCatalog(state), new SigV4Verifier(state.Credentials, clock), new AdminApi(state, stateFile));
        app.Run(dispatcher.HandleAsync);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalCloudServer(app, new Uri(address), state, stateFile);
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM or Ctrl+C when run from the command line).</summary>
    internal Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    /// <summary>Stops the server, then writes the --state file (after the last request has been answered).</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        StateFile?.Save();
    }
}
