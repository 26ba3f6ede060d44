using Flotilla.Controllers;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Charts;
using Flotilla.Controllers.ClusterHealth;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Controllers.Services;
using Flotilla.Controllers.Runtime;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Placement;
using Flotilla.Git.Charts;
using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Git.Tools;
using Flotilla.Hub.Api;
using Flotilla.Hub.Dashboard;
using Flotilla.Hub.Notifications;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Watch;
using Flotilla.Kube.Registry;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub;

/// <summary>
/// The hub process: serves /healthz, /readyz, /metrics, the Git webhook, the read API and the dashboard at once, and runs the controllers only while
/// it holds the leader Lease, so a second hub waits instead of writing.
/// </summary>
public static partial class HubHost
{
    public static async Task RunAsync(HubOptions options, CancellationToken ct)
    {
        options.Validate();
        using var hub = options.InCluster ? KubeClientFactory.InCluster() : KubeClientFactory.FromUserKubeconfig(options.Kubeconfig, options.Context);
        // No appsettings.json: configuration comes from flags. Reloading it would put a recursive file watcher on
        // the working directory, and a hub started from a large tree (or /) would spend CPU and inotify watches on it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{options.Listen}");
        await using var app = builder.Build();
        var metrics = new HubMetrics();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var log = loggers.CreateLogger("Flotilla.Hub");
        var sourceQueue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());
        var leaderElection = new LeaderElectionOptions { Identity = options.Identity };
        var readiness = new HubReadiness(hub, leaderElection, () => metrics.IsLeader, TimeProvider.System);
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", async (CancellationToken aborted) =>
        {
            var (ready, text) = await readiness.CheckAsync(aborted);
            return Results.Text(text + "\n", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
        app.MapGet("/leader", () => Results.Json(new { identity = options.Identity, leader = metrics.IsLeader }));
        var fleet = new FleetView();
        // Secrets asked for again and again (members' credentials on every use, a GitRepository's on every fetch and
        // push) are read again only when their watch shows a new version. In a cluster the hub may list and watch
        // Secrets in its own namespace only: elsewhere it reads them, and asks for no watch its RBAC would refuse.
        using var secretVersions = new SecretVersions(new DynamicClient(hub), options.InCluster ? ns => ns == FlotillaApi.SystemNamespace : null);
        var secrets = new HubSecrets(hub, secretVersions);
        app.MapPost("/hooks/git/{ns}/{name}", (HttpContext http, string ns, string name) =>
            GitWebhook.HandleAsync(http, hub, fleet, secrets, ns, name, sourceQueue, http.RequestAborted));
        metrics.RenderMore = text => FleetMetrics.Render(fleet, text);
        var diffs = new ClusterDiffs();
        DashboardHost.Map(app, hub, fleet, TimeProvider.System, diffs);
        await app.StartAsync(ct);
        Started(log, string.Join(", ", app.Urls), options.Identity);

        var election = new LeaderElection(hub, leaderElection, TimeProvider.System,
            loggers.CreateLogger<LeaderElection>());
        // SIGTERM reaches the web host (it takes the signal over), not the caller's token: either one stops the hub.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
        // Every hub, leader or not, keeps the dashboard's view current: a standby serves pages too.
        var watching = fleet.RunAsync(hub, stopping.Token);
        var run = election.RunAsync(async leading =>
        {
            metrics.IsLeader = true;
            Leading(log, options.Identity);
            try { await RunControllersAsync(hub, options, metrics, loggers, sourceQueue, fleet, diffs, secretVersions, secrets, leading); }
            finally { metrics.IsLeader = false; }
        }, stopping.Token);
        try
        {
            await run.WaitAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the controllers wind down and the Lease is released, but only for so long.
            Stopping(log, WindDown.TotalSeconds);
            try { await run.WaitAsync(WindDown); }
            catch (TimeoutException) { GaveUpWaiting(log, WindDown.TotalSeconds); }
            catch (OperationCanceledException) { }
        }
        using (var stopDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(1))) await app.StopAsync(stopDeadline.Token);
        try { await watching.WaitAsync(TimeSpan.FromSeconds(1)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        sourceQueue.Dispose();
    }

    /// <summary>How long a stopping hub waits for its controllers and the Lease release: well inside a 10 s SIGTERM grace.</summary>
    private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(7);

    private static async Task RunControllersAsync(Kubernetes hub, HubOptions options, HubMetrics metrics, ILoggerFactory loggers,
        WorkQueue<string> sourceQueue, FleetView fleet, ClusterDiffs diffs, SecretVersions credentialVersions, HubSecrets secrets, CancellationToken ct)
    {
        var clock = TimeProvider.System;
        var hubApi = new DynamicClient(hub);
        using var clients = new MemberClients(hub, options.Health.ProbeTimeout * 2,
            new StoredCredentialPolicy(options.CredentialAllowances, "flotilla hub run"), options.ExecPluginTimeout, requests: metrics.MemberRequests,
            watched: credentialVersions);
        // What each member serves, for charts' .Capabilities (asked once per cluster and version, kept 10 minutes).
        var capabilities = new CapabilityCache(
            async (cluster, token) => await ClusterCapabilities.DiscoverAsync(await clients.GetAsync(cluster, token), token),
            async (cluster, token) => await ClusterCapabilities.FingerprintAsync(await clients.GetAsync(cluster, token), token), clock);
        using var healthQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        using var bundleQueue = new WorkQueue<string>(clock, new ExponentialBackoff { BaseDelay = TimeSpan.FromSeconds(2) });
        using var pairQueue = new WorkQueue<string>(clock, new ExponentialBackoff { BaseDelay = options.Sync.FirstRetry });
        using var statusQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        using var cleanupQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        using var helmQueue = new WorkQueue<string>(clock, new ExponentialBackoff { BaseDelay = TimeSpan.FromSeconds(2) });
        var clusterKind = new ApiResource(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterKind, FlotillaApi.ClusterPlural, false);
        var directory = new ClusterDirectory(new DynamicWatchSource(hubApi, clusterKind, null), clock);
        ObjectDiscovery Watch(string plural, string kind, bool namespaced, WorkQueue<string> queue, bool keepObjects = false) => new(
            new DynamicWatchSource(hubApi, new ApiResource(FlotillaApi.Group, FlotillaApi.Version, kind, plural, namespaced), null),
            o => (namespaced ? ObjectDiscovery.NamespacedKey(o) : o["metadata"]!["name"]!.GetValue<string>(), ObjectDiscovery.Version(o)), queue, keepObjects);
        // The watches of the hot path's kinds are also where their reconcilers read them, and how a new revision finds its bundles.
        var gitRepositories = Watch(GitRepositoryResource.Plural, "GitRepository", true, sourceQueue, keepObjects: true);
        var clusterObjects = Watch(FlotillaApi.ClusterPlural, FlotillaApi.ClusterKind, false, healthQueue, keepObjects: true);
        var bundleObjects = Watch(BundleResource.Plural, "Bundle", true, bundleQueue, keepObjects: true);
        var bundleSources = new BundleSources();
        bundleObjects.Observed += bundleSources.Observe;
        var targets = new BundleTargets();
        var results = new SyncResults();
        using var members = new MemberSyncs(clients, (pair, delay) =>
        {
            if (delay == TimeSpan.Zero) pairQueue.Add(pair);
            else pairQueue.AddAfter(pair, delay);
        }, options.Sync.ObjectParallelism);
        using var servingDiffs = diffs.Attach(targets, directory, members);
        metrics.MemberWrites = () => members.Writes;
        metrics.WatchedKinds = () => members.WatchedKinds;
        metrics.MemberConcurrencyLimits = () => members.ConcurrencyLimits;
        var pacer = new StatusPacer(clock);
        // A target that queued pairs (a commit, a spec change) waits for their first result; any other change is one now.
        void StatusChanged(string bundle, bool pairsQueued = false) => statusQueue.AddAfter(bundle, pairsQueued ? pacer.Published(bundle) : pacer.Changed(bundle));
        // A pair's result counts for the status once its lease is back: asked for earlier, the write would find the
        // pair still busy and poll until it is not.
        pairQueue.Released += pair => StatusChanged(ClusterSyncKey.Split(pair).BundleKey);
        // A relabel re-plans every bundle in memory; only the pairs whose intent changes touch a member.
        directory.PlacementChanged += () => AddAll(bundleQueue, bundleObjects.Keys);
        directory.BecameAvailable += cluster => Restart(pairQueue, targets.KeysFor(cluster));
        // Its pairs turn Unreachable in the status now (without a request: the sync checks availability first), not at
        // their next interval, which for a synced pair may be minutes away.
        directory.BecameUnavailable += cluster => Restart(pairQueue, targets.KeysFor(cluster));
        directory.Leaving += cleanupQueue.Add;
        directory.Removed += cluster =>
        {
            members.Forget(cluster);
            clients.Forget(cluster);
            capabilities.Forget(cluster);
            Restart(pairQueue, targets.KeysFor(cluster));
        };

        // Multi-cluster services: ClusterSets on the hub, their services' imports and endpoint copies in the members.
        using var setQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        using var serviceQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        using var clusterSets = new ClusterSetRegistry();
        clusterSets.ServiceChanged += serviceQueue.Add;
        using var globalQueue = new WorkQueue<string>(clock, new ExponentialBackoff());
        var globalEndpoints = new GlobalEndpointIndex();
        clusterSets.ServiceChanged += service => { foreach (var endpoint in globalEndpoints.Following(service)) globalQueue.Add(endpoint); };
        directory.PlacementChanged += () =>
        {
            foreach (var set in clusterSets.SetNames) setQueue.Add(set);
            foreach (var endpoint in globalEndpoints.All) globalQueue.Add(endpoint);
        };

        var artifacts = new SourceArtifacts();
        artifacts.RevisionChanged += source => AddAll(bundleQueue, bundleSources.ReadingGitRepository(source));
        var fetcher = new GitFetcher(new GitFetcherOptions { WorkDirectory = options.DataDirectory, AllowLocal = options.AllowLocalSources }, clock);
        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(new KustomizeRunnerOptions { ExecutablePath = PinnedTool.Kubectl.Locate(options.KubectlPath) }));
        var renders = new RenderCache(renderer);
        var helmClient = new HelmRepositoryClient(new HelmRepositoryOptions { CacheDirectory = Path.Combine(options.DataDirectory, "charts") });
        var helmIndexes = new HelmIndexes();
        helmIndexes.IndexChanged += source => AddAll(bundleQueue, bundleSources.ReadingHelmRepository(source));
        var chartRenderer = new ChartRenderer(RenderLimits.Default, new HelmRunnerOptions { ExecutablePath = PinnedTool.Helm.Locate(options.HelmPath) });
        // One set of Bundle Events for drift and notifications: one ten-minute memory of what was said, one log of refusals.
        var bundleEvents = new BundleEvents(hub, clock, loggers.CreateLogger<BundleEvents>());
        var dependencies = new BundleDependencies(targets, results, bundleQueue.Add, pairQueue.Add);
        var bundles = new BundleReconciler(hub, bundleObjects, artifacts, renders, directory, targets, results, pairQueue, StatusChanged, options.Sync, clock,
            new BundleRollouts(artifacts, renders, directory, results), new PlacementMemo(), dependencies,
            new BundleCharts(chartRenderer, new ChartRenders(chartRenderer), capabilities), new HelmChartSources(helmIndexes, helmClient));
        var pairs = new ClusterSyncReconciler(targets, directory, members, results, new DriftReporter(bundleEvents, clock), bundleQueue.Add, cleanupQueue.Add, metrics, clock,
            dependencies, pairQueue.Add);
        var controllers = new[]
        {
            Controller("cluster-health", healthQueue, new ClusterHealthReconciler(hub, clients, options.Health, clock, metrics, clusterObjects.GetAsync<ClusterResource>), options.Health.MaxConcurrency, options.Health.ProbeTimeout * 3, loggers, metrics),
            Controller("gitrepository", sourceQueue, new GitRepositoryReconciler(hub, secrets, gitRepositories, fetcher, artifacts, clock, metrics), 4, TimeSpan.FromMinutes(3), loggers, metrics),
            Controller("helmrepository", helmQueue, new HelmRepositoryReconciler(hub, helmClient, helmIndexes, clock, metrics), 2, TimeSpan.FromMinutes(3), loggers, metrics),
            Controller("bundle", bundleQueue, bundles, 4, TimeSpan.FromMinutes(2), loggers, metrics),
            Controller("cluster-sync", pairQueue, pairs, options.Sync.Workers, options.Sync.DefaultTimeout * 10, loggers, metrics),
            Controller("bundle-status", statusQueue, new BundleStatusReconciler(hub, bundleObjects, targets, results, pairQueue, pacer, clock, metrics), 4, TimeSpan.FromSeconds(30), loggers, metrics),
            Controller("cluster-cleanup", cleanupQueue, new ClusterCleanupReconciler(hub, directory, targets, results, clock), 2, TimeSpan.FromSeconds(30), loggers, metrics),
            Controller("clusterset", setQueue, new ClusterSetReconciler(hub, directory, clients, clusterSets, clock), 2, TimeSpan.FromMinutes(1), loggers, metrics),
            Controller("service-import", serviceQueue, new ServiceReconciler(clusterSets, clock), 4, TimeSpan.FromSeconds(30), loggers, metrics),
            Controller("global-endpoint", globalQueue, new GlobalEndpointReconciler(hub, hubApi, directory, clusterSets, globalEndpoints, clock), 2, TimeSpan.FromSeconds(30), loggers, metrics),
        };
        var discoveries = new[]
        {
            clusterObjects,
            gitRepositories,
            Watch(HelmRepositoryResource.Plural, HelmRepositoryResource.KindName, true, helmQueue),
            bundleObjects,
            Watch(ClusterSetResource.Plural, ClusterSetResource.KindName, false, setQueue),
            Watch(GlobalEndpointResource.Plural, GlobalEndpointResource.KindName, true, globalQueue),
        };
        var loops = controllers.Select(c => c.RunAsync(ct)).Concat(discoveries.Select(d => d.RunAsync(ct))).Append(directory.RunAsync(ct));
        loops = loops.Append(new SnapshotCollector(hub, artifacts, new SnapshotStore(options.DataDirectory), fetcher, TimeSpan.FromMinutes(10), loggers.CreateLogger<SnapshotCollector>()).RunAsync(ct));
        using var webhooks = new HttpClient();
        loops = loops.Append(new FleetNotifier(hub, fleet, bundleEvents, new WebhookSender(webhooks, clock), clock,
            loggers.CreateLogger<FleetNotifier>()).RunAsync(ct));
        if (options.SimulateWorkloads) loops = loops.Append(new SimulatorHost(hub, clients, loggers.CreateLogger<SimulatorHost>()).RunAsync(ct));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Pairs start over at once, their backoff forgotten (their cluster is back).</summary>
    private static void Restart(WorkQueue<string> pairs, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            pairs.Forget(key);
            pairs.Add(key);
        }
    }

    private static Controller<string> Controller(string name, WorkQueue<string> queue, IReconciler<string> reconciler, int concurrency, TimeSpan timeout,
        ILoggerFactory loggers, HubMetrics metrics)
    {
        metrics.WatchQueue(name, () => queue.Count, () => queue.Adds);
        return new(name, queue, reconciler, new ControllerOptions { MaxConcurrency = concurrency, ReconcileTimeout = timeout }, TimeProvider.System,
            loggers.CreateLogger<Controller<string>>(), metrics.Reconciles);
    }

    private static void AddAll(WorkQueue<string> queue, IEnumerable<string> keys)
    {
        foreach (var key in keys) queue.Add(key);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "hub listening on {Urls} as {Identity}; waiting for the leader Lease")]
    private static partial void Started(ILogger logger, string urls, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: waiting up to {Seconds}s for the controllers and the Lease release")]
    private static partial void Stopping(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the controllers did not stop within {Seconds}s; exiting without them (the Lease expires on its own)")]
    private static partial void GaveUpWaiting(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is the leader: controllers running")]
    private static partial void Leading(ILogger logger, string identity);
}
