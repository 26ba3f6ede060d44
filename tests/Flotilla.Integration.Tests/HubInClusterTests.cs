using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.Cli.Commands;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub as it runs in its pod: on a fleet of its own (hub + 1 member, so nothing but this hub's ServiceAccount
/// acts there), <c>hub install --controller</c> puts the manifests on the hub cluster; the hub process then starts
/// with only the in-cluster environment — <c>KUBERNETES_SERVICE_HOST/PORT</c> and a directory laid out like the
/// ServiceAccount mount holding that ServiceAccount's token and the CA, no kubeconfig, a HOME without one. It must
/// lead, sync a bundle to the member, keep working across a token rotation (the old token revoked), leave on SIGTERM
/// within the pod's grace to its standby (ready all along, "not leader"), and never be refused by the RBAC it
/// installed: no 403 in its log or in the hub API server's audit log.
/// </summary>
[Collection(Name)]
public sealed partial class HubInClusterTests : IAsyncLifetime
{
    /// <summary>Its own collection, run after the parallel ones (the shared fleet's tests), never beside them.</summary>
    public const string Name = "hub-in-cluster";

    private const string Image = "registry.example.com/flotilla:test";
    private const string Account = "system:serviceaccount:flotilla-system:flotilla-hub";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"flotilla-it-incluster-{Environment.ProcessId}");
    private readonly List<Process> _hubs = [];
    private LocalFleetLauncher _launcher = null!;
    private LocalFleetState _state = null!;
    private Kubernetes _admin = null!;

    public async Task InitializeAsync()
    {
        var bin = await KubeBinaries.EnsureAsync(CancellationToken.None);
        _launcher = new LocalFleetLauncher(_dir, TextWriter.Null);
        (_state, _) = await _launcher.UpAsync(1, bin, CancellationToken.None);
        await LocalCommands.BootstrapAsync(_state, CancellationToken.None);
        _admin = KubeClientFactory.FromUserKubeconfig(_state.KubeconfigPath, _state.Hub.Name);
    }

    public async Task DisposeAsync()
    {
        foreach (var hub in _hubs.Where(h => !h.HasExited))
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }
        _admin?.Dispose();
        foreach (var log in Directory.EnumerateFiles(_dir, "hub-*.log").Append(_launcher.HubAuditLogPath).Where(File.Exists))
            File.Copy(log, Path.Combine(Path.GetTempPath(), $"flotilla-it-incluster-{Path.GetFileName(log)}"), overwrite: true);
        await _launcher.DownAsync(purge: Environment.GetEnvironmentVariable("FLOTILLA_KEEP_FLEET") is null, CancellationToken.None);
    }

    private Dictionary<string, string?> AdminEnv => new()
    {
        ["KUBECONFIG"] = _state.KubeconfigPath,
        ["FLOTILLA_LOCAL_DIR"] = _dir,
        ["FLOTILLA_HUB_KUBECONFIG"] = null,
        ["FLOTILLA_HUB_CONTEXT"] = null,
    };

    [Fact]
    public async Task The_hub_under_its_installed_service_account_leads_syncs_survives_a_token_rotation_and_is_never_forbidden()
    {
        // 1. The manifests, applied as a user does (the PodDisruptionBudget in the version Kubernetes 1.20 serves), with
        // the namespace of the GitRepository's Secret (step 4) as one whose Secrets the hub may read.
        const string ns = "incluster";
        var hub = new HubObjects(_admin, ns);
        await hub.EnsureNamespaceAsync();
        var install = await CliRunner.RunAsync(AdminEnv, "hub", "install", "--controller", "--image", Image, "--secret-namespace", ns);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("poddisruptionbudget/flotilla-hub serverside-applied", install.Stdout);
        await AssertManifestsAreOnTheHubAsync();

        // 2. The ServiceAccount's token (1.20: the token controller's Secret) and a directory like its mount.
        var account = await _admin.CoreV1.ReadNamespacedServiceAccountAsync("flotilla-hub", FlotillaApi.SystemNamespace);
        var firstSecret = await WaitTokenSecretAsync(() => _admin.CoreV1.ReadNamespacedServiceAccountAsync("flotilla-hub", FlotillaApi.SystemNamespace)
            .ContinueWith(t => t.Result.Secrets?.FirstOrDefault()?.Name));
        var mount = Directory.CreateDirectory(Path.Combine(_dir, "serviceaccount")).FullName;
        var first = (await _admin.CoreV1.ReadNamespacedSecretAsync(firstSecret, FlotillaApi.SystemNamespace)).Data;
        ReplaceFile(Path.Combine(mount, "token"), first["token"]);
        await File.WriteAllBytesAsync(Path.Combine(mount, "ca.crt"), first["ca.crt"]);
        await File.WriteAllTextAsync(Path.Combine(mount, "namespace"), FlotillaApi.SystemNamespace);
        Assert.NotNull(account);

        // 3. Two hubs with only the in-cluster environment: the first leads, the second stands by, both ready.
        var (a, portA) = StartHub("in-cluster-a", mount);
        await Eventually.WaitAsync(async () => await HolderAsync() == "in-cluster-a", TimeSpan.FromSeconds(60), "in-cluster-a leads", Log("in-cluster-a"));
        var (b, portB) = StartHub("in-cluster-b", mount);
        await WaitReadyAsync(portA, "ok: leader");
        await WaitReadyAsync(portB, "ok: not leader (leader is in-cluster-a)");
        Assert.False(a.HasExited || b.HasExited);

        // 4. It syncs: a GitRepository and a Bundle reach the member. The GitRepository has a Secret (a webhook key) in a
        // namespace where the hub may only get Secrets: it reads it on each fetch and asks for no watch there.
        await _admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "repo-hook" },
            Data = new Dictionary<string, byte[]> { ["webhookSecret"] = "in-cluster"u8.ToArray() },
        }, ns);
        var repo = new GitFixtureRepo(_dir, "repo");
        var v1 = repo.Commit(Files(ns, "v1"));
        await hub.SourceAsync("repo", repo.Url, "repo-hook");
        await hub.BundleAsync("app", "repo", "app");
        // Warn-mode drift makes the hub write an Event, so the Events grant is exercised too.
        await hub.BundleAsync("watched", "repo", "watched", sync: new JsonObject { ["drift"] = "Warn" });
        await Eventually.WaitAsync(async () => await hub.SyncedAsync("app", v1, ["member-1"]) && await hub.SyncedAsync("watched", v1, ["member-1"]),
            Converge, "v1 synced to member-1", Log("in-cluster-a"));
        Assert.Equal("v1", await ValueOnMemberAsync(ns));
        await WaitWatchingAsync(portA, "member-1");
        using (var member = KubeClientFactory.FromUserKubeconfig(_state.KubeconfigPath, "member-1"))
            await member.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"value":"edited by hand"}}""", V1Patch.PatchType.MergePatch), "watched", ns, fieldManager: "kubectl-edit");
        await Eventually.WaitAsync(async () => (await _admin.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.InvolvedObject.Name == "watched" && e.Reason == "DriftDetected"),
            Converge, "the hub records the drift as an Event", Log("in-cluster-a"));

        // 5. Rotation: a second token goes into the file, then the first is revoked; the hub keeps working.
        var oldToken = System.Text.Encoding.UTF8.GetString(first["token"]);
        await _admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "flotilla-hub-rotated", Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "flotilla-hub" } },
            Type = "kubernetes.io/service-account-token",
        }, FlotillaApi.SystemNamespace);
        await WaitTokenSecretAsync(() => Task.FromResult<string?>("flotilla-hub-rotated"));
        var second = (await _admin.CoreV1.ReadNamespacedSecretAsync("flotilla-hub-rotated", FlotillaApi.SystemNamespace)).Data;
        ReplaceFile(Path.Combine(mount, "token"), second["token"]);
        await _admin.CoreV1.DeleteNamespacedSecretAsync(firstSecret, FlotillaApi.SystemNamespace);
        using var raw = ApiServerClient();
        await Eventually.WaitAsync(async () => await StatusWithTokenAsync(raw, oldToken) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30),
            "the first token is refused once its Secret is gone");

        var v2 = repo.Commit(Files(ns, "v2"));
        await hub.RequestFetchAsync("repo");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", v2, ["member-1"]), Converge, "v2 synced to member-1 with the rotated token", Log("in-cluster-a"));
        Assert.Equal("v2", await ValueOnMemberAsync(ns));
        Assert.Equal("in-cluster-a", await HolderAsync());
        await WaitReadyAsync(portA, "ok: leader");
        await WaitReadyAsync(portB, "ok: not leader (leader is in-cluster-a)");

        // A hub whose token no longer works is alive but not ready.
        var revoked = Directory.CreateDirectory(Path.Combine(_dir, "serviceaccount-revoked")).FullName;
        ReplaceFile(Path.Combine(revoked, "token"), first["token"]);
        await File.WriteAllBytesAsync(Path.Combine(revoked, "ca.crt"), first["ca.crt"]);
        var (_, portRevoked) = StartHub("revoked", revoked);
        await WaitAnswerAsync(portRevoked, HttpStatusCode.ServiceUnavailable, "HTTP 401");

        // SIGTERM, as the kubelet sends it: the leader exits well inside the pod's 10 s grace and the standby takes over.
        var clock = Stopwatch.StartNew();
        using (var term = Process.Start("kill", ["-TERM", a.Id.ToString()])) await term.WaitForExitAsync();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await a.WaitForExitAsync(grace.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the leader took {clock.Elapsed} to exit after SIGTERM");
        Assert.Equal(0, a.ExitCode);
        await WaitReadyAsync(portB, "ok: leader");

                // 6. Nothing the hubs asked for was refused: not in their logs, not in the API server's audit log.
        foreach (var identity in new[] { "in-cluster-a", "in-cluster-b" }) // not "revoked": its 401s are the point
        {
            var log = await File.ReadAllTextAsync(LogPath(identity));
            Assert.False(Forbidden().IsMatch(log), $"{identity} was refused something:\n{string.Join('\n', log.Split('\n').Where(l => Forbidden().IsMatch(l)).Take(10))}");
        }
        var audit = (await File.ReadAllLinesAsync(_launcher.HubAuditLogPath))
            .Select(l => JsonNode.Parse(l)!)
            .Where(e => e["user"]?["username"]?.GetValue<string>() == Account)
            .ToList();
        // The audit log really holds the hubs' work (so the next check cannot pass on an empty log).
        Assert.Contains(audit, e => e["verb"]?.GetValue<string>() == "patch" && e["objectRef"]?["subresource"]?.GetValue<string>() == "status");
        Assert.Contains(audit, e => e["verb"]?.GetValue<string>() == "update" && e["objectRef"]?["resource"]?.GetValue<string>() == "leases");
        Assert.Contains(audit, e => e["verb"]?.GetValue<string>() == "create" && e["objectRef"]?["resource"]?.GetValue<string>() == "events");
        // The GitRepository's Secret was read where the hub may only get Secrets (and, by the check below, not watched there).
        Assert.Contains(audit, e => e["verb"]?.GetValue<string>() == "get" && e["objectRef"]?["resource"]?.GetValue<string>() == "secrets"
            && e["objectRef"]?["namespace"]?.GetValue<string>() == "incluster");
        var refused = audit.Where(e => e["responseStatus"]?["code"]?.GetValue<int>() == 403).Select(e => e.ToJsonString()).ToList();
        Assert.True(refused.Count == 0, $"{refused.Count} requests of the hub's ServiceAccount were forbidden:\n{string.Join('\n', refused.Take(10))}");
    }

    private static Dictionary<string, string> Files(string ns, string value)
    {
        var files = RolloutParts.AppFiles(ns, value);
        files["watched/cm.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: {ns}\ndata:\n  value: \"desired\"\n";
        return files;
    }

    // A 403 status, not the milliseconds of a log line's timestamp ("13:40:49.403 info: …" once failed this test).
    [GeneratedRegex(@"forbidden|(?<![.\d])403(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();

    /// <summary>Every object <c>hub manifests</c> prints exists on the hub, and the Deployment runs the asked image.</summary>
    private async Task AssertManifestsAreOnTheHubAsync()
    {
        var manifests = await CliRunner.RunAsync(AdminEnv, "hub", "manifests", "--image", Image, "--pdb-api-version", "policy/v1beta1");
        Assert.True(manifests.ExitCode == 0, manifests.ToString());
        var api = new DynamicClient(_admin);
        Assert.Null(await api.ResourceForAsync("policy/v1", "PodDisruptionBudget", CancellationToken.None));
        var documents = manifests.Stdout.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        // Every shipped CRD, plus Namespace, ServiceAccount, ClusterRole(Binding), Role(Binding), Deployment, Service and PDB (9).
        Assert.Equal(CrdInstaller.Manifests().Count + 9, documents.Length);
        Assert.Equal(CrdInstaller.Manifests().Count, documents.Count(d => d.Contains("kind: CustomResourceDefinition\n")));
        foreach (var document in documents)
        {
            var meta = KubernetesYaml.Deserialize<ObjectHead>(document);
            var resource = await api.ResourceForAsync(meta.ApiVersion, meta.Kind, CancellationToken.None);
            Assert.True(resource is not null, $"{meta.ApiVersion} {meta.Kind} is not served");
            var live = await api.GetAsync(resource, meta.Metadata.NamespaceProperty, meta.Metadata.Name, CancellationToken.None);
            Assert.True(live is not null, $"{meta.Kind}/{meta.Metadata.Name} from hub manifests is not on the hub");
            if (meta.Kind == "Deployment")
                Assert.Equal(Image, live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        }
    }

    /// <summary>What identifies a printed object; the rest of the document is ignored.</summary>
    private sealed class ObjectHead
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
    }

    /// <summary>Waits until the token controller has filled the named token Secret; returns its name.</summary>
    private async Task<string> WaitTokenSecretAsync(Func<Task<string?>> name)
    {
        string? found = null;
        await Eventually.WaitAsync(async () =>
        {
            found = await name();
            if (found is null) return false;
            var secret = await _admin.CoreV1.ReadNamespacedSecretAsync(found, FlotillaApi.SystemNamespace);
            return secret.Data?.ContainsKey("token") == true && secret.Data.ContainsKey("ca.crt");
        }, TimeSpan.FromSeconds(60), "the ServiceAccount's token Secret is filled");
        return found!;
    }

    /// <summary>Writes a new file and renames it over the old one, as the kubelet swaps a projected token.</summary>
    private static void ReplaceFile(string path, byte[] content)
    {
        File.WriteAllBytes(path + ".next", content);
        File.Move(path + ".next", path, overwrite: true);
    }

    private (Process Process, int Port) StartHub(string identity, string mount)
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, $"home-{identity}")).FullName;
        var env = new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = _state.Hub.Port.ToString(),
            [ServiceAccountMount.DirectoryVariable] = mount,
            ["HOME"] = home,
            ["KUBECONFIG"] = null,
            ["FLOTILLA_HUB_KUBECONFIG"] = null,
            ["FLOTILLA_HUB_CONTEXT"] = null,
            ["FLOTILLA_LOCAL_DIR"] = Path.Combine(home, "no-local-fleet"),
        };
        var port = FreePorts.Take(1)[0];
        var process = CliRunner.Start(env, LogPath(identity), "hub", "run", "--listen", $"127.0.0.1:{port}", "--identity", identity,
            "--data-dir", Path.Combine(home, "data"), "--allow-local-sources");
        _hubs.Add(process);
        return (process, port);
    }

    /// <summary>Waits until the hub's watch cache covers a kind on <paramref name="cluster"/> (its drift watch is on).</summary>
    private static async Task WaitWatchingAsync(int port, string cluster)
    {
        using var http = new HttpClient();
        await Eventually.WaitAsync(async () => (await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"))
            .Split('\n').Any(l => l.StartsWith($"flotilla_watched_kinds{{cluster=\"{cluster}\"}} ", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)),
            Converge, $"the hub watching {cluster}");
    }

    private string LogPath(string identity) => Path.Combine(_dir, $"hub-{identity}.log");

    private Func<Task<string>> Log(string identity) => async () =>
        File.Exists(LogPath(identity)) ? string.Join('\n', (await File.ReadAllLinesAsync(LogPath(identity))).TakeLast(20)) : "(no log)";

    private static Task WaitReadyAsync(int port, string body) => WaitAnswerAsync(port, HttpStatusCode.OK, body);

    private static async Task WaitAnswerAsync(int port, HttpStatusCode status, string body)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var last = "";
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
                last = $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).Trim()}";
                return response.StatusCode == status && last.EndsWith(body, StringComparison.Ordinal);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; return false; }
        }, TimeSpan.FromSeconds(30), $"/readyz on {port} answers {(int)status} …{body}", () => Task.FromResult(last));
    }

    private async Task<string?> HolderAsync()
    {
        try { return (await _admin.CoordinationV1.ReadNamespacedLeaseAsync("flotilla-hub", FlotillaApi.SystemNamespace)).Spec?.HolderIdentity; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    private async Task<string?> ValueOnMemberAsync(string ns)
    {
        using var member = KubeClientFactory.FromUserKubeconfig(_state.KubeconfigPath, "member-1");
        return (await member.CoreV1.ReadNamespacedConfigMapAsync("app", ns)).Data?["value"];
    }

    private HttpClient ApiServerClient()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(_state.CaPath));
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            },
        });
    }

    private async Task<HttpStatusCode> StatusWithTokenAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_state.Hub.Server}/apis/coordination.k8s.io/v1/namespaces/flotilla-system/leases/flotilla-hub");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

[CollectionDefinition(HubInClusterTests.Name, DisableParallelization = true)]
public sealed class HubInClusterCollection;
