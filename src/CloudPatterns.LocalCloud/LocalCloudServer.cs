using System.Net;
using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.Auth;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Seed;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CloudPatterns.LocalCloud;

/// <summary>A running LocalCloud: an emulated AWS organization on 127.0.0.1. Dispose to stop it.</summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private readonly string? statePath;

    private readonly ClockAutoAdvance autoAdvance;

    private LocalCloudServer(WebApplication app, Uri url, LocalCloudState state, string? statePath)
    {
        this.app = app;
        this.statePath = statePath;
        autoAdvance = new ClockAutoAdvance(state);
        Url = url;
        State = state;
    }

    /// <summary>The endpoint for every service, e.g. http://127.0.0.1:5123.</summary>
    public Uri Url { get; }

    /// <summary>The seeded organization: accounts, OUs, regions, the management credentials, the ExternalId.</summary>
    public SeedOrganization Organization => State.Organization;

    /// <summary>The simulated clock; advance it to expire temporary credentials.</summary>
    public LocalCloudClock Clock => State.Clock;

    internal LocalCloudState State { get; }

    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = new LocalCloudClock(options.TimeScale);
        var state = new LocalCloudState(SeedLoader.Load(options.SeedPath, options.WorkloadAccountCount, clock.GetUtcNow()), clock, options.RequestLogSize, options.LambdaEnvironments);
        if (options.StatePath is not null)
        {
            StateFile.Load(options.StatePath, state);
        }

        if (options.AutoAdvance)
        {
            // After the state file: restoring its clock offset is a manual move, which turns auto-advance off.
            clock.EnableAutoAdvance();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();

        var dispatcher = new RequestDispatcher(state, new ServiceCatalog(state), new SigV4Verifier(state.Credentials, clock), new AdminApi(state, options.StatePath));
        app.Use(next => async http =>
        {
            clock.NoteActivity();
            try
            {
                await next(http);
            }
            finally
            {
                clock.NoteActivity();
            }
        });
        app.Run(dispatcher.HandleAsync);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        state.LambdaInvoker.Endpoint = new Uri(address);
        state.CloudFormation.SignalEndpoint = address;
        return new LocalCloudServer(app, new Uri(address), state, options.StatePath);
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM or Ctrl+C when run from the command line).</summary>
    internal Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    /// <summary>Stops the server and, with a state path, writes the state file.</summary>
    public async ValueTask DisposeAsync()
    {
        await autoAdvance.DisposeAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        State.LambdaRuntime.Dispose();
        if (statePath is not null)
        {
            StateFile.Save(statePath, State);
        }
    }
}
