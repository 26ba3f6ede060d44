using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Flotilla's API clients against a real member API server: every request and every watch goes as HTTP/2, and they
/// share one connection (with HTTP/1.1 each watch holds a connection of its own, and each request in flight another).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class Http2TransportTests(FleetFixture fleet)
{
    [Fact]
    public async Task Watches_and_forty_requests_at_once_to_a_member_go_as_HTTP2_over_one_connection()
    {
        var member = fleet.State.Members.First();
        var before = ConnectionsTo(member.Port);
        var versions = new VersionRecorder();
        using var kube = Http2Transport.Client(KubernetesClientConfiguration.BuildConfigFromConfigFile(fleet.State.KubeconfigPath, member.Name), versions);
        var client = new DynamicClient(kube);
        using var stop = new CancellationTokenSource();
        var opened = new ConcurrentBag<string>();
        var watches = new List<Task>();
        foreach (var kind in new[] { "Namespace", "ConfigMap", "Secret", "Service", "ServiceAccount" })
        {
            var resource = (await client.ResourceForAsync("v1", kind, CancellationToken.None))!;
            watches.Add(Task.Run(async () =>
            {
                // Each watch at "0" starts with the objects there are (every member has namespaces, service accounts,
                // the default Service and ConfigMaps, Secrets of its service accounts): a first event shows it open.
                await foreach (var _ in client.WatchAsync(resource, null, "0", TimeSpan.FromMinutes(1), stop.Token))
                {
                    opened.Add(kind);
                    break;
                }
                await Task.Delay(Timeout.Infinite, stop.Token);
            }));
        }
        await Eventually.WaitAsync(() => Task.FromResult(opened.Distinct().Count() == 5), TimeSpan.FromSeconds(30), "all five watches opened");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.AnswersAsync(CancellationToken.None)));

        Assert.All(answers, Assert.True);
        Assert.NotEmpty(versions.Seen);
        Assert.All(versions.Seen, v => Assert.Equal(HttpVersion.Version20, v));
        // Open while the five watches still stream: one connection carries them and the forty requests.
        var opens = ConnectionsTo(member.Port).Except(before).ToList();
        Assert.Single(opens);
        stop.Cancel();
        await Task.WhenAll(watches.Select(w => w.ContinueWith(_ => { })));
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
