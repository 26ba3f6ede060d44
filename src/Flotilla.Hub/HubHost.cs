using Flotilla.Controllers;
using Flotilla.Controllers.ClusterHealth;
using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub;

/// <summary>
/// The hub process: serves /healthz and /metrics at once, and runs the controllers only while it holds the
/// leader Lease, so a second hub waits instead of writing.
/// </summary>
public static partial class HubHost
{
    public static async Task RunAsync(HubOptions options, CancellationToken ct)
    {
        options.Health.Validate();
        using var hub = KubeClientFactory.FromUserKubeconfig(options.Kubeconfig, options.Context);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{options.Listen}");
        await using var app = builder.Build();
        var metrics = new HubMetrics();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var log = loggers.CreateLogger("Flotilla.Hub");
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
        app.MapGet("/leader", () => Results.Json(new { identity = options.Identity, leader = metrics.IsLeader }));
        await app.StartAsync(ct);
        Started(log, string.Join(", ", app.Urls), options.Identity);

        var election = new LeaderElection(hub, new LeaderElectionOptions { Identity = options.Identity }, TimeProvider.System,
            loggers.CreateLogger<LeaderElection>());
        try
        {
            await election.RunAsync(async leading =>
            {
                metrics.IsLeader = true;
                Leading(log, options.Identity);
                try { await RunControllersAsync(hub, options, metrics, loggers, leading); }
                finally { metrics.IsLeader = false; }
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        await app.StopAsync(CancellationToken.None);
    }

    private static async Task RunControllersAsync(k8s.Kubernetes hub, HubOptions options, HubMetrics metrics, ILoggerFactory loggers, CancellationToken ct)
    {
        using var clients = new MemberClients(hub, options.Health.ProbeTimeout);
        using var queue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());
        var reconciler = new ClusterHealthReconciler(hub, clients, options.Health, TimeProvider.System, metrics);
        var controller = new Controller<string>("cluster-health", queue, reconciler,
            new ControllerOptions { MaxConcurrency = options.Health.MaxConcurrency, ReconcileTimeout = options.Health.ProbeTimeout * 3 },
            TimeProvider.System, loggers.CreateLogger<Controller<string>>());
        var discovery = new ClusterDiscovery(hub, queue, options.Health.DiscoveryInterval, TimeProvider.System, loggers.CreateLogger<ClusterDiscovery>());
        try
        {
            await Task.WhenAll(controller.RunAsync(ct), discovery.RunAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "hub listening on {Urls} as {Identity}; waiting for the leader Lease")]
    private static partial void Started(ILogger logger, string urls, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is the leader: controllers running")]
    private static partial void Leading(ILogger logger, string identity);
}
