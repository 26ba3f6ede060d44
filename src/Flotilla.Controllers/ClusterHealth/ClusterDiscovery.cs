using Flotilla.Controllers.Runtime;
using Flotilla.Kube.Registry;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.ClusterHealth;

/// <summary>
/// Feeds the health queue: re-reads the Cluster list on an interval and adds each newly seen name once.
/// After that every key schedules itself (RequeueAfter the probe interval); removed clusters are reconciled
/// once more so their client is dropped.
/// </summary>
public sealed partial class ClusterDiscovery(IKubernetes hub, WorkQueue<string> queue, TimeSpan interval, TimeProvider clock, ILogger<ClusterDiscovery> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var registry = new ClusterRegistry(hub);
        var known = new HashSet<string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var names = (await registry.ListAsync(ct)).Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var added in names.Except(known)) queue.Add(added);
                foreach (var removed in known.Except(names)) queue.Add(removed);
                known = names;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ListFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "listing clusters on the hub failed: {Reason}")]
    private static partial void ListFailed(ILogger logger, string reason);
}
