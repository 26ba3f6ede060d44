using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Kube.LocalFleet;

/// <summary>
/// Starts, inspects and stops the local fleet: one shared etcd (a prefix per cluster), a hub
/// kube-apiserver and N member kube-apiservers, each with a kube-controller-manager (namespace
/// deletion, garbage collection), all plain background processes on 127.0.0.1.
/// </summary>
public sealed class LocalFleetLauncher(string directory, TextWriter log)
{
    private static readonly string[] Regions = ["eu-west", "us-east", "ap-south"];
    private static readonly string[] Environments = ["dev", "staging", "prod"];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The fleet directory (state, certificates, data, logs, kubeconfig).</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// Whether the API servers serve Go's <c>/debug/pprof</c> (to their admin only; off by default): bench/sync has them
    /// collect their garbage before each timed run.
    /// </summary>
    public bool Profiling { get; init; }

    /// <summary>
    /// The hub API server's audit log: every request a ServiceAccount makes (Metadata level), so a test can check that
    /// the hub run under its ServiceAccount was never refused. Nothing else is logged (other users: level None).
    /// </summary>
    public string HubAuditLogPath => Path.Combine(Directory, "logs", "flotilla-hub-audit.log");

    private const string AuditPolicy = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
        - level: Metadata
          userGroups: ["system:serviceaccounts"]
        - level: None
        """;

    /// <summary>The saved state, or null when no fleet was started here.</summary>
    public LocalFleetState? State => LocalFleetState.Load(Directory);

    /// <summary>
    /// Starts a fleet with <paramref name="members"/> members, or restarts whichever processes of an
    /// existing one have stopped. Returns the state and whether anything had to be started.
    /// </summary>
    public async Task<(LocalFleetState State, bool Started)> UpAsync(int members, string binDirectory, CancellationToken ct)
    {
        var state = State;
        if (state is null)
        {
            state = Create(members, binDirectory);
        }
        else
        {
            if (state.Processes.All(p => p.IsRunning)) return (state, false);
            if (state.Members.Count() != members)
                log.WriteLine($"the fleet in {Directory} has {state.Members.Count()} members; restarting it as it is (run 'local down --purge' to change its size)");
        }
        state = await StartStoppedAsync(state, ct);
        return (state, true);
    }

    /// <summary>Starts every stopped process of the fleet (same ports, same data) and waits until all are ready.</summary>
    public async Task<LocalFleetState> StartStoppedAsync(LocalFleetState state, CancellationToken ct)
    {
        state = StartIfStopped(state, state.Etcd);
        state.Save();
        await WaitForEtcdAsync(state, ct);
        foreach (var cluster in state.Clusters) state = StartIfStopped(state, cluster.ApiServer);
        state.Save();
        await Task.WhenAll(state.Clusters.Select(c => WaitForApiServerAsync(state, c, ct)));
        foreach (var cluster in state.Clusters) state = StartIfStopped(state, cluster.ControllerManager);
        if (state.HubController is { } hub) state = StartIfStopped(state, hub);
        state.Save();
        return state;
    }

    /// <summary>Records and starts the hub controller process (<c>flotilla hub run</c>) as part of the fleet.</summary>
    public LocalFleetState StartHubController(LocalFleetState state, LocalProcess hub)
    {
        state = state with { HubController = hub };
        state = StartIfStopped(state, hub);
        state.Save();
        return state;
    }

    /// <summary>Stops one process by name (e.g. <c>member-2-apiserver</c>), leaving the others running.</summary>
    public async Task StopProcessAsync(string name, CancellationToken ct)
    {
        var state = State ?? throw new InvalidOperationException($"no local fleet in {Directory}");
        var process = state.Processes.FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"no process named {name} in the local fleet", nameof(name));
        await DetachedProcess.StopAsync(process.Pid, process.Executable, TimeSpan.FromSeconds(10), ct);
    }

    /// <summary>Stops every process this fleet started (by pid); with <paramref name="purge"/> removes its directory.</summary>
    public async Task<int> DownAsync(bool purge, CancellationToken ct)
    {
        var state = State;
        var stopped = 0;
        if (state is not null)
        {
            // Controller managers and API servers first, etcd last, so nothing logs a storm of lost-etcd errors.
            foreach (var process in state.Processes.Reverse())
            {
                if (!process.IsRunning) continue;
                await DetachedProcess.StopAsync(process.Pid, process.Executable, TimeSpan.FromSeconds(10), ct);
                stopped++;
            }
        }
        if (purge && System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        return stopped;
    }

    /// <summary>Each process with whether it runs and, for API servers and etcd, whether it answers ready.</summary>
    public async Task<IReadOnlyList<LocalProcessStatus>> StatusAsync(CancellationToken ct)
    {
        var state = State ?? throw new InvalidOperationException($"no local fleet in {Directory} (run 'flotilla local up')");
        using var http = CreateHttpClient(state.CaPath);
        var rows = new List<LocalProcessStatus>();
        rows.Add(new(state.Etcd, "etcd", state.Etcd.IsRunning, await ProbeAsync(http, EtcdHealthUrl(state), null, ct)));
        foreach (var cluster in state.Clusters)
        {
            var role = cluster.IsHub ? "hub" : "member";
            var ready = await ProbeAsync(http, $"{cluster.Server}/readyz", cluster.AdminToken, ct);
            rows.Add(new(cluster.ApiServer, $"{role} apiserver", cluster.ApiServer.IsRunning, ready));
            rows.Add(new(cluster.ControllerManager, $"{role} controller-manager", cluster.ControllerManager.IsRunning, null));
        }
        if (state.HubController is { } hub) rows.Add(new(hub, "flotilla hub", hub.IsRunning, null));
        return rows;
    }

    private LocalFleetState Create(int members, string bin)
    {
        if (members < 0) throw new ArgumentOutOfRangeException(nameof(members), "members must be 0 or more");
        var dir = Directory;
        System.IO.Directory.CreateDirectory(dir);
        var pki = Sub(dir, "pki");
        var logs = Sub(dir, "logs");
        using var ca = LocalCertificateAuthority.Create("flotilla-local-ca");
        var caPath = Path.Combine(pki, "ca.crt");
        ca.WriteTo(caPath, Path.Combine(pki, "ca.key"));
        var saKey = Path.Combine(pki, "sa.key");
        var saPub = Path.Combine(pki, "sa.pub");
        LocalCertificateAuthority.WriteServiceAccountKeys(saKey, saPub);

        var ports = FreePorts.Take(2 + members + 1);
        var etcdUrl = $"http://127.0.0.1:{ports[0]}";
        var etcd = new LocalProcess("etcd", DetachedProcess.ResolveExecutable(Path.Combine(bin, "etcd")),
        [
            "--name", "flotilla", "--data-dir", Path.Combine(dir, "etcd"),
            "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
            "--listen-peer-urls", $"http://127.0.0.1:{ports[1]}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{ports[1]}",
            "--initial-cluster", $"flotilla=http://127.0.0.1:{ports[1]}",
            "--quota-backend-bytes", (4L << 30).ToString(),
        ], Path.Combine(logs, "etcd.log"), 0);

        var clusters = new List<LocalCluster>();
        for (var i = 0; i <= members; i++)
        {
            var name = i == 0 ? "flotilla-hub" : $"member-{i}";
            var labels = i == 0
                ? new Dictionary<string, string>()
                : new Dictionary<string, string>
                {
                    ["region"] = Regions[(i - 1) % Regions.Length],
                    ["env"] = Environments[(i - 1) % Environments.Length],
                };
            clusters.Add(CreateCluster(name, i == 0, ports[2 + i], labels, etcdUrl, bin, ca, caPath, saKey, saPub, logs));
        }
        var state = new LocalFleetState(dir, caPath, etcd, clusters);
        LocalKubeconfig.Write(state);
        state.Save();
        return state;
    }

    private LocalCluster CreateCluster(string name, bool hub, int port, Dictionary<string, string> labels, string etcdUrl,
        string bin, LocalCertificateAuthority ca, string caPath, string saKey, string saPub, string logs)
    {
        var dir = Sub(Directory, name);
        var cert = Path.Combine(dir, "apiserver.crt");
        var key = Path.Combine(dir, "apiserver.key");
        ca.IssueServingCertificate(name, cert, key);
        var admin = NewToken();
        var viewer = NewToken();
        var controllerManager = NewToken();
        var tokens = Path.Combine(dir, "tokens.csv");
        LocalCertificateAuthority.WritePrivate(tokens,
            $"{admin},flotilla-admin,uid-admin,\"system:masters\"\n" +
            $"{viewer},flotilla-viewer,uid-viewer,\"flotilla:viewers\"\n" +
            $"{controllerManager},system:kube-controller-manager,uid-kcm,\"system:masters\"\n");
        var audit = hub ? HubAuditArguments(dir) : [];
        var apiserver = new LocalProcess($"{name}-apiserver", DetachedProcess.ResolveExecutable(Path.Combine(bin, "kube-apiserver")),
        [
            .. audit,
            "--etcd-servers", etcdUrl, "--etcd-prefix", $"/flotilla/{name}",
            "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", port.ToString(),
            "--tls-cert-file", cert, "--tls-private-key-file", key,
            "--token-auth-file", tokens, "--authorization-mode", "RBAC",
            "--service-account-key-file", saPub, "--service-account-signing-key-file", saKey,
            "--service-account-issuer", $"https://{name}.flotilla.local",
            "--service-cluster-ip-range", "10.96.0.0/16", "--allow-privileged=true",
            "--cert-dir", dir, $"--profiling={(Profiling ? "true" : "false")}", "--event-ttl", "1h",
        ], Path.Combine(logs, $"{name}-apiserver.log"), 0);
        var cmKubeconfig = Path.Combine(dir, "controller-manager.kubeconfig");
        LocalCertificateAuthority.WritePrivate(cmKubeconfig,
            LocalKubeconfig.Single(name, $"https://127.0.0.1:{port}", File.ReadAllText(caPath), controllerManager));
        var manager = new LocalProcess($"{name}-controller-manager", DetachedProcess.ResolveExecutable(Path.Combine(bin, "kube-controller-manager")),
        [
            "--kubeconfig", cmKubeconfig, "--leader-elect=false", "--port", "0", "--secure-port", "0",
            "--controllers", "namespace,garbagecollector,serviceaccount,serviceaccount-token,clusterrole-aggregation",
            "--service-account-private-key-file", saKey, "--root-ca-file", caPath,
        ], Path.Combine(logs, $"{name}-controller-manager.log"), 0);
        return new LocalCluster(name, hub, port, admin, viewer, labels, apiserver, manager);
    }

    private string[] HubAuditArguments(string clusterDirectory)
    {
        var policy = Path.Combine(clusterDirectory, "audit-policy.yaml");
        File.WriteAllText(policy, AuditPolicy + "\n");
        return ["--audit-policy-file", policy, "--audit-log-path", HubAuditLogPath, "--audit-log-maxsize", "100"];
    }

    private LocalFleetState StartIfStopped(LocalFleetState state, LocalProcess process)
    {
        if (process.IsRunning) return state;
        if (!File.Exists(process.Executable))
            throw new FileNotFoundException($"{process.Executable} is missing: run scripts/install-kube-binaries.sh");
        var pid = DetachedProcess.Start(process.Executable, process.Arguments, process.LogPath);
        log.WriteLine($"started {process.Name} (pid {pid})");
        return state.With(process with { Pid = pid });
    }

    private async Task WaitForEtcdAsync(LocalFleetState state, CancellationToken ct)
    {
        using var http = CreateHttpClient(state.CaPath);
        await WaitAsync(state.Etcd, () => ProbeAsync(http, EtcdHealthUrl(state), null, ct), ct);
    }

    private async Task WaitForApiServerAsync(LocalFleetState state, LocalCluster cluster, CancellationToken ct)
    {
        using var http = CreateHttpClient(state.CaPath);
        await WaitAsync(cluster.ApiServer, () => ProbeAsync(http, $"{cluster.Server}/readyz", cluster.AdminToken, ct), ct);
        log.WriteLine($"{cluster.Name} ready at {cluster.Server}");
    }

    private static async Task WaitAsync(LocalProcess process, Func<Task<bool?>> probe, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (await probe() != true)
        {
            // Not IsRunning: right after the start the pid may still be the shell that execs the program.
            if (DetachedProcess.HasExited(process.Pid))
                throw new InvalidOperationException($"{process.Name} exited while starting; the end of {process.LogPath}:\n{Tail(process.LogPath)}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{process.Name} not ready after {ReadyTimeout.TotalSeconds:0} s; the end of {process.LogPath}:\n{Tail(process.LogPath)}");
            await Task.Delay(250, ct);
        }
    }

    private static async Task<bool?> ProbeAsync(HttpClient http, string url, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await http.SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }

    private static HttpClient CreateHttpClient(string caPath)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        return new HttpClient(handler);
    }

    private static string EtcdHealthUrl(LocalFleetState state) =>
        state.Etcd.Arguments[state.Etcd.Arguments.ToList().IndexOf("--listen-client-urls") + 1] + "/health";

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(15)) : "(no log)";

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    private static string Sub(string parent, string name) => System.IO.Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
}

/// <summary>A row of <c>flotilla local status</c>: <paramref name="Ready"/> is null where no probe applies.</summary>
public sealed record LocalProcessStatus(LocalProcess Process, string Role, bool Running, bool? Ready);
