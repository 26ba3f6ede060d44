using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Flotilla's API clients against a real member API server: every request and every watch goes as HTTP/2, and they
/// share one connection (with HTTP/1.1 each watch holds a connection of its own, and each request in flight another);
/// a client configured with <c>DisableHttp2</c> keeps to HTTP/1.1.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class Http2TransportTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_members_watches_and_forty_requests_at_once_go_as_HTTP2_over_one_connection()
    {
        var member = fleet.State.Members.First();
        var before = ConnectionsTo(member.Port);
        var versions = new VersionRecorder();
        // Built as the hub builds its member clients: from the Cluster's credentials Secret, with a handler in front.
        var registry = new ClusterRegistry(fleet.Hub);
        var kubeconfig = await registry.ReadKubeconfigAsync((await registry.GetAsync(member.Name, CancellationToken.None))!, CancellationToken.None);
        using var kube = (await MemberClientFactory.CreateAsync(kubeconfig, TimeSpan.FromSeconds(10),
            MemberClientFactory.DefaultExecTimeout, TimeProvider.System, CancellationToken.None, versions)).Client;
        var client = new DynamicClient(kube);
        using var stop = new CancellationTokenSource();
        var streaming = new ConcurrentDictionary<string, int>();
        var watches = new List<Task>();
        // Kinds the API server itself creates objects of (ConfigMap: kube-system/extension-apiserver-authentication), so
        // each watch from "0" starts with events.
        foreach (var (apiVersion, kind) in new[] { ("v1", "Namespace"), ("v1", "Service"), ("v1", "ConfigMap"),
            ("rbac.authorization.k8s.io/v1", "ClusterRole"), ("scheduling.k8s.io/v1", "PriorityClass") })
        {
            var resource = (await client.ResourceForAsync(apiVersion, kind, CancellationToken.None))!;
            watches.Add(Task.Run(async () =>
            {
                // Read to the end (the test's cancellation): the stream stays open through the requests below.
                await foreach (var _ in client.WatchAsync(resource, null, "0", TimeSpan.FromMinutes(1), stop.Token)) streaming[kind] = 1;
            }));
        }
        await Eventually.WaitAsync(() => Task.FromResult(streaming.Count == 5), TimeSpan.FromSeconds(30), "all five watches streaming",
            () => Task.FromResult($"streaming: {string.Join(", ", streaming.Keys)}; ended: {string.Join("; ", watches.Where(w => w.IsCompleted).Select(w => w.Exception?.InnerException?.Message ?? "no error"))}"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.AnswersAsync(CancellationToken.None)));
        var opened = ConnectionsTo(member.Port).Except(before).ToList();

        Assert.All(answers, Assert.True);
        Assert.All(watches, w => Assert.False(w.IsCompleted));
        Assert.True(versions.Seen.Count >= 45, $"{versions.Seen.Count} answers seen: the five watches and forty requests went past the handler");
        Assert.All(versions.Seen, v => Assert.Equal(HttpVersion.Version20, v));
        // With HTTP/1.1 each open watch holds a connection of its own, and each request in flight another.
        Assert.Single(opened);
        stop.Cancel();
        await Task.WhenAll(watches.Select(w => w.ContinueWith(_ => { })));
    }

    [Fact]
    public async Task A_client_told_to_disable_HTTP2_stays_on_HTTP11()
    {
        var member = fleet.State.Members.First();
        var versions = new VersionRecorder();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(fleet.State.KubeconfigPath, member.Name);
        config.DisableHttp2 = true;
        using var kube = Http2Transport.Client(config, versions);

        Assert.True(await new DynamicClient(kube).AnswersAsync(CancellationToken.None));

        Assert.Equal([HttpVersion.Version11], versions.Seen);
    }

    private sealed class VersionRecorder : DelegatingHandler
    {
        public ConcurrentBag<Version> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            Seen.Add(response.Version);
            return response;
        }
    }

    /// <summary>The socket inodes of this process's established TCP connections to <paramref name="port"/> on this machine.</summary>
    private static HashSet<string> ConnectionsTo(int port)
    {
        var mine = Directory.GetFiles("/proc/self/fd").Select(fd => new FileInfo(fd).LinkTarget).OfType<string>()
            .Where(t => t.StartsWith("socket:[", StringComparison.Ordinal)).Select(t => t[8..^1]).ToHashSet();
        var found = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var remotePort = int.Parse(f[2][(f[2].IndexOf(':') + 1)..], NumberStyles.HexNumber);
                if (remotePort == port && f[3] == "01" && mine.Contains(f[9])) found.Add(f[9]);
            }
        return found;
    }
}
