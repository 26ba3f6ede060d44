using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>
/// A real local fleet (etcd, a hub and one member kube-apiserver, v1.20.2) for the simulator tests, stopped and
/// removed at the end. Binaries: <c>FLOTILLA_KUBE_BIN</c> or <c>~/.cache/flotilla/kubernetes/v1.20.2/bin</c>.
/// </summary>
public sealed class LocalFleetFixture : IAsyncLifetime
{
    public const string MemberName = "member-1";

    private LocalFleetLauncher? _launcher;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"flotilla-sim-{Environment.ProcessId}");
    public LocalFleetState State { get; private set; } = null!;

    /// <summary>The member's client, shared by the tests (one client per cluster).</summary>
    public Kubernetes Member { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var bin = Environment.GetEnvironmentVariable("FLOTILLA_KUBE_BIN") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "flotilla", "kubernetes", "v1.20.2", "bin");
        if (!File.Exists(Path.Combine(bin, "kube-apiserver")))
            throw new InvalidOperationException($"no kube-apiserver in {bin}: run scripts/install-kube-binaries.sh or set FLOTILLA_KUBE_BIN");
        _launcher = new LocalFleetLauncher(Directory, TextWriter.Null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            (State, _) = await _launcher.UpAsync(members: 1, bin, timeout.Token);
        }
        catch (Exception)
        {
            await _launcher.DownAsync(purge: true, CancellationToken.None);
            throw;
        }
        Member = KubeClientFactory.FromUserKubeconfig(State.KubeconfigPath, MemberName);
    }

    /// <summary>A fresh client configuration for the member, for tests that put a handler in front of the API.</summary>
    public KubernetesClientConfiguration MemberConfiguration() =>
        KubernetesClientConfiguration.BuildConfigFromConfigFile(State.KubeconfigPath, MemberName);

    /// <summary>Creates a namespace of its own for one test.</summary>
    public async Task<string> CreateNamespaceAsync()
    {
        var name = $"sim-{Guid.NewGuid():N}"[..16];
        await Member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public async Task DisposeAsync()
    {
        Member?.Dispose();
        if (_launcher is not null) await _launcher.DownAsync(purge: true, CancellationToken.None);
    }
}

[CollectionDefinition(Name)]
public sealed class LocalFleetCollection : ICollectionFixture<LocalFleetFixture>
{
    public const string Name = "local fleet (simulator)";
}
