using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Bench.Sync;

/// <summary>Reads each member API server's own <c>apiserver_request_total</c> from its /metrics, as the fleet's admin.</summary>
public sealed class MemberMetrics : IDisposable
{
    private readonly List<(string Name, HttpClient Http)> _members;

    /// <param name="withHub">Also the hub's own API server, by its name (what the hub costs itself).</param>
    public MemberMetrics(LocalFleetState state, bool withHub = false)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(state.CaPath));
        _members = (withHub ? state.Members.Append(state.Hub) : state.Members).Select(m => (m.Name, Client(m, ca))).ToList();
    }

    /// <summary>Each member's counters now, by member name.</summary>
    public async Task<IReadOnlyDictionary<string, RequestCounts>> ReadAsync() =>
        (await Task.WhenAll(_members.Select(async m => (m.Name, Counts: Parse(await m.Http.GetStringAsync("/metrics"))))))
            .ToDictionary(m => m.Name, m => m.Counts);

    /// <summary>One member's whole /metrics page, for the series other than <c>apiserver_request_total</c>.</summary>
    public Task<string> PageAsync(string member) => _members.Single(m => m.Name == member).Http.GetStringAsync("/metrics");

    /// <summary>One member's counters now (one page to read and parse: for polling one member closely).</summary>
    public async Task<RequestCounts> ReadAsync(string member) => Parse(await PageAsync(member));

    /// <summary>What every member received since <paramref name="before"/>, summed.</summary>
    public async Task<RequestCounts> SinceAsync(IReadOnlyDictionary<string, RequestCounts> before) =>
        (await ReadAsync()).Aggregate(RequestCounts.Empty, (sum, m) => sum.Plus(m.Value.Since(before[m.Key])));

    /// <summary>
    /// What every member received since <paramref name="before"/>, read once the clients' counts stop moving (two reads
    /// 100 ms apart agree; at most 2 s): what a tool leaves in flight after it reports is its cost too (Flotilla writes its
    /// final inventory records after its status).
    /// </summary>
    public async Task<RequestCounts> SinceSettledAsync(IReadOnlyDictionary<string, RequestCounts> before)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var counted = await SinceAsync(before);
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(100);
            var again = await SinceAsync(before);
            if (again.Clients() == counted.Clients()) return again;
            counted = again;
        }
        return counted;
    }

    /// <summary>Sums the <c>apiserver_request_total</c> samples of a Prometheus text page over response codes.</summary>
    public static RequestCounts Parse(string page)
    {
        var counts = new Dictionary<RequestKey, long>();
        foreach (var line in page.Split('\n'))
        {
            if (!line.StartsWith("apiserver_request_total{", StringComparison.Ordinal)) continue;
            var close = line.LastIndexOf('}');
            var labels = Labels(line[(line.IndexOf('{') + 1)..close]);
            var key = new RequestKey(labels.GetValueOrDefault("verb", ""), labels.GetValueOrDefault("group", ""), labels.GetValueOrDefault("resource", ""),
                labels.GetValueOrDefault("subresource", ""), labels.GetValueOrDefault("dry_run", ""));
            counts[key] = counts.GetValueOrDefault(key) + (long)double.Parse(line[(close + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return new RequestCounts(counts.ToImmutableDictionary());
    }

    public void Dispose()
    {
        foreach (var (_, http) in _members) http.Dispose();
    }

    /// <summary>
    /// Has each API server collect its garbage now (Go's profiling endpoint runs a GC before a heap profile; the
    /// profile itself is dropped), so the garbage of one run is not collected inside the next run's window.
    /// </summary>
    public Task CollectGarbageAsync() =>
        Task.WhenAll(_members.Select(async m => (await m.Http.GetAsync("/debug/pprof/heap?gc=1")).EnsureSuccessStatusCode().Dispose()));

    // Label values of apiserver_request_total hold no quotes or commas, so a plain split is exact.
    private static Dictionary<string, string> Labels(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.Ordinal);

    private static HttpClient Client(LocalCluster member, X509Certificate2 ca)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null || chain is null) return false;
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(member.Server), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", member.AdminToken);
        return http;
    }
}
