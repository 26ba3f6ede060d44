using Flotilla.Controllers.Runtime;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers;

/// <summary>
/// Feeds a work queue from a periodic list: a key is added when it first appears, when its version changes
/// (generation, or a reconcile request annotation), and once more when it disappears. Everything else is left
/// to the reconcilers, which schedule themselves — level-triggered, no missed edges to worry about.
/// </summary>
public sealed partial class ObjectDiscovery(string what, Func<CancellationToken, Task<IReadOnlyDictionary<string, string>>> list,
    WorkQueue<string> queue, TimeSpan interval, TimeProvider clock, ILogger<ObjectDiscovery> logger)
{
    /// <summary>Annotation the CLI sets to ask for a reconcile now (value: a timestamp).</summary>
    public const string ReconcileRequestAnnotation = "flotilla.io/reconcile-requested-at";

    public async Task RunAsync(CancellationToken ct)
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var current = await list(ct);
                foreach (var (key, version) in current)
                    if (!known.TryGetValue(key, out var seen) || seen != version) queue.Add(key);
                foreach (var removed in known.Keys.Except(current.Keys)) queue.Add(removed);
                known = new Dictionary<string, string>(current, StringComparer.Ordinal);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ListFailed(logger, what, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "listing {What} on the hub failed: {Reason}")]
    private static partial void ListFailed(ILogger logger, string what, string reason);
}
