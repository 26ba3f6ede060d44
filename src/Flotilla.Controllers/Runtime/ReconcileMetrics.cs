using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Reconcile counts and durations per controller, rendered with controller-runtime's names:
/// <c>controller_runtime_reconcile_total{controller,result}</c> (result: success, error, requeue_after) and the
/// histogram <c>controller_runtime_reconcile_time_seconds{controller}</c>. Labels are the controller names, a fixed
/// set of six in the hub, and the results: the series count never grows with the fleet.
/// </summary>
public sealed class ReconcileMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private readonly ConcurrentDictionary<(string Controller, string Result), long> _totals = new();
    private readonly ConcurrentDictionary<string, Histogram> _times = new(StringComparer.Ordinal);

    /// <summary>One reconcile of <paramref name="controller"/> ended with <paramref name="result"/> after <paramref name="elapsed"/>.</summary>
    public void Observe(string controller, string result, TimeSpan elapsed)
    {
        _totals.AddOrUpdate((controller, result), 1, (_, n) => n + 1);
        _times.GetOrAdd(controller, _ => new Histogram()).Observe(elapsed.TotalSeconds);
    }

    public long Total(string controller, string result) => _totals.GetValueOrDefault((controller, result));

    public void Render(StringBuilder text)
    {
        text.Append("# HELP controller_runtime_reconcile_total Total number of reconciliations per controller.\n# TYPE controller_runtime_reconcile_total counter\n");
        foreach (var ((controller, result), count) in _totals.OrderBy(t => t.Key.Controller, StringComparer.Ordinal).ThenBy(t => t.Key.Result, StringComparer.Ordinal))
            text.Append($"controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"{result}\"}} {count}\n");
        text.Append("# HELP controller_runtime_reconcile_time_seconds Length of time per reconciliation per controller.\n# TYPE controller_runtime_reconcile_time_seconds histogram\n");
        foreach (var (controller, histogram) in _times.OrderBy(t => t.Key, StringComparer.Ordinal))
            histogram.Render(text, "controller_runtime_reconcile_time_seconds", $"controller=\"{controller}\"");
    }

    private sealed class Histogram
    {
        private readonly long[] _buckets = new long[Buckets.Length];
        private long _count;
        private long _microseconds;

        public void Observe(double seconds)
        {
            for (var i = 0; i < Buckets.Length; i++)
                if (seconds <= Buckets[i]) Interlocked.Increment(ref _buckets[i]);
            Interlocked.Add(ref _microseconds, (long)(seconds * 1e6));
            Interlocked.Increment(ref _count);
        }

        public void Render(StringBuilder text, string name, string labels)
        {
            for (var i = 0; i < Buckets.Length; i++)
                text.Append($"{name}_bucket{{{labels},le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {Interlocked.Read(ref _buckets[i])}\n");
            var count = Interlocked.Read(ref _count);
            text.Append($"{name}_bucket{{{labels},le=\"+Inf\"}} {count}\n");
            text.Append($"{name}_sum{{{labels}}} {(Interlocked.Read(ref _microseconds) / 1e6).ToString(CultureInfo.InvariantCulture)}\n");
            text.Append($"{name}_count{{{labels}}} {count}\n");
        }
    }
}
