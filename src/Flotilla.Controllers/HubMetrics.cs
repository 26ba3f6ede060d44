using System.Collections.Concurrent;
using System.Text;
using Flotilla.Core.Clusters;

namespace Flotilla.Controllers;

/// <summary>The hub's counters, rendered in the Prometheus text format at <c>/metrics</c>.</summary>
public sealed class HubMetrics
{
    private long _statusWrites;
    private int _leader;
    private readonly ConcurrentDictionary<ProbeOutcome, long> _probes = new();

    public void StatusWritten() => Interlocked.Increment(ref _statusWrites);

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

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP flotilla_leader 1 when this hub process holds the leader Lease.\n# TYPE flotilla_leader gauge\n");
        text.Append($"flotilla_leader {(IsLeader ? 1 : 0)}\n");
        text.Append("# HELP flotilla_status_writes_total Status patches written to the hub.\n# TYPE flotilla_status_writes_total counter\n");
        text.Append($"flotilla_status_writes_total {StatusWrites}\n");
        text.Append("# HELP flotilla_member_writes_total Write requests (apply, delete) sent to member clusters.\n# TYPE flotilla_member_writes_total counter\n");
        text.Append($"flotilla_member_writes_total {MemberWrites()}\n");
        text.Append("# HELP flotilla_watched_kinds Kinds the hub's watch cache covers on a member (its drift and health watches).\n# TYPE flotilla_watched_kinds gauge\n");
        foreach (var (cluster, kinds) in WatchedKinds().OrderBy(k => k.Key, StringComparer.Ordinal))
            text.Append($"flotilla_watched_kinds{{cluster=\"{cluster}\"}} {kinds}\n");
        text.Append("# HELP flotilla_cluster_probes_total Member health probes by outcome.\n# TYPE flotilla_cluster_probes_total counter\n");
        foreach (var (outcome, count) in _probes.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
            text.Append($"flotilla_cluster_probes_total{{outcome=\"{outcome}\"}} {count}\n");
        return text.ToString();
    }
}
