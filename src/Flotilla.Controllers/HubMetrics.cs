using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Flotilla.Controllers.Runtime;
using Flotilla.Core.Clusters;

namespace Flotilla.Controllers;

/// <summary>The hub's counters, rendered in the Prometheus text format at <c>/metrics</c>.</summary>
public sealed class HubMetrics
{
    private long _statusWrites;
    private int _leader;
    private readonly ConcurrentDictionary<ProbeOutcome, long> _probes = new();

    // Upper bounds (seconds) of the sync-duration histogram; one series, no labels, so its size never grows with the fleet.
    private static readonly double[] SyncBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private readonly long[] _syncBuckets = new long[SyncBuckets.Length];
    private long _syncCount;
    private long _syncMicroseconds;

    private readonly ConcurrentDictionary<string, (Func<int> Depth, Func<long> Adds)> _queues = new(StringComparer.Ordinal);

    /// <summary>Reconcile results and durations per controller (controller-runtime's names).</summary>
    public ReconcileMetrics Reconciles { get; } = new();

    /// <summary>Reports a controller's queue as <c>workqueue_depth{name}</c> and <c>workqueue_adds_total{name}</c> (a fresh queue of the same name replaces it).</summary>
    public void WatchQueue(string name, Func<int> depth, Func<long> adds) => _queues[name] = (depth, adds);

    /// <summary>The hub's requests to members by cluster, verb and code (the host hands it to its member clients).</summary>
    public Flotilla.Kube.Clients.MemberRequestCounter MemberRequests { get; } = new();

    /// <summary>More series appended by the host (the fleet's gauges), each block with its HELP and TYPE lines.</summary>
    public Action<StringBuilder>? RenderMore { get; set; }

    public void StatusWritten() => Interlocked.Increment(ref _statusWrites);

    /// <summary>One (bundle, cluster) sync ran the executor for <paramref name="duration"/> (plan, dry-runs, writes, prune).</summary>
    public void Synced(TimeSpan duration)
    {
        for (var i = 0; i < SyncBuckets.Length; i++)
            if (duration.TotalSeconds <= SyncBuckets[i]) Interlocked.Increment(ref _syncBuckets[i]);
        Interlocked.Add(ref _syncMicroseconds, (long)(duration.TotalMilliseconds * 1000));
        Interlocked.Increment(ref _syncCount);
    }

    public void ProbeCompleted(ProbeOutcome outcome) => _probes.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    public bool IsLeader
    {
        get => Volatile.Read(ref _leader) == 1;
        set => Volatile.Write(ref _leader, value ? 1 : 0);
    }

    public long StatusWrites => Interlocked.Read(ref _statusWrites);

    /// <summary>Reads the number of write requests sent to members (set by the host).</summary>
    public Func<long> MemberWrites { get; set; } = () => 0;

    /// <summary>Reads how many kinds the watch cache covers per member (set by the host).</summary>
    public Func<IReadOnlyDictionary<string, int>> WatchedKinds { get; set; } = () => new Dictionary<string, int>();

    /// <summary>Reads each member's adaptive request limit (set by the host).</summary>
    public Func<IReadOnlyDictionary<string, int>> MemberConcurrencyLimits { get; set; } = () => new Dictionary<string, int>();

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP flotilla_leader 1 when this hub process holds the leader Lease.\n# TYPE flotilla_leader gauge\n");
        text.Append($"flotilla_leader {(IsLeader ? 1 : 0)}\n");
        text.Append("# HELP flotilla_status_writes_total Status patches written to the hub.\n# TYPE flotilla_status_writes_total counter\n");
        text.Append($"flotilla_status_writes_total {StatusWrites}\n");
        text.Append("# HELP flotilla_member_writes_total Write requests (apply, delete) sent to member clusters.\n# TYPE flotilla_member_writes_total counter\n");
        text.Append($"flotilla_member_writes_total {MemberWrites()}\n");
        text.Append("# HELP flotilla_sync_duration_seconds Time one (bundle, cluster) sync spent in the executor: plan, dry-runs, writes, prune.\n# TYPE flotilla_sync_duration_seconds histogram\n");
        for (var i = 0; i < SyncBuckets.Length; i++)
            text.Append($"flotilla_sync_duration_seconds_bucket{{le=\"{SyncBuckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {Interlocked.Read(ref _syncBuckets[i])}\n");
        var syncs = Interlocked.Read(ref _syncCount);
        text.Append($"flotilla_sync_duration_seconds_bucket{{le=\"+Inf\"}} {syncs}\n");
        text.Append($"flotilla_sync_duration_seconds_sum {(Interlocked.Read(ref _syncMicroseconds) / 1e6).ToString(CultureInfo.InvariantCulture)}\n");
        text.Append($"flotilla_sync_duration_seconds_count {syncs}\n");
        text.Append("# HELP flotilla_watched_kinds Kinds the hub's watch cache covers on a member (its drift and health watches).\n# TYPE flotilla_watched_kinds gauge\n");
        foreach (var (cluster, kinds) in WatchedKinds().OrderBy(k => k.Key, StringComparer.Ordinal))
            text.Append($"flotilla_watched_kinds{{cluster=\"{cluster}\"}} {kinds}\n");
        text.Append("# HELP flotilla_member_concurrency_limit Requests the hub sends a member at once: halved on a 429, one less on rising latency, grown back slowly.\n# TYPE flotilla_member_concurrency_limit gauge\n");
        foreach (var (cluster, limit) in MemberConcurrencyLimits().OrderBy(k => k.Key, StringComparer.Ordinal))
            text.Append($"flotilla_member_concurrency_limit{{cluster=\"{cluster}\"}} {limit}\n");
        text.Append("# HELP flotilla_cluster_probes_total Member health probes by outcome.\n# TYPE flotilla_cluster_probes_total counter\n");
        foreach (var (outcome, count) in _probes.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
            text.Append($"flotilla_cluster_probes_total{{outcome=\"{outcome}\"}} {count}\n");
        var queues = _queues.OrderBy(q => q.Key, StringComparer.Ordinal).ToList();
        text.Append("# HELP workqueue_depth Current depth of workqueue.\n# TYPE workqueue_depth gauge\n");
        foreach (var (name, q) in queues) text.Append($"workqueue_depth{{name=\"{name}\"}} {q.Depth()}\n");
        text.Append("# HELP workqueue_adds_total Total number of adds handled by workqueue.\n# TYPE workqueue_adds_total counter\n");
        foreach (var (name, q) in queues) text.Append($"workqueue_adds_total{{name=\"{name}\"}} {q.Adds()}\n");
        Reconciles.Render(text);
        MemberRequests.Render(text);
        RenderMore?.Invoke(text);
        return text.ToString();
    }
}
