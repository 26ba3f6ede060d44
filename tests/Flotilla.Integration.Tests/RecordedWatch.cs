using System.Diagnostics;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Integration.Tests;

/// <summary>One watch event as it arrived: when (since the watch started), its type and the object.</summary>
public sealed record RecordedEvent(TimeSpan At, string Type, JsonObject Object);

/// <summary>
/// Watches one kind on one API server from now on (list, then watch from that version, resumed when the server
/// ends the stream) and keeps every event with its arrival time, so a test can see the order and spacing of what
/// the hub wrote, and react within milliseconds to the first write of a sync.
/// </summary>
public sealed class RecordedWatch : IAsyncDisposable
{
    private readonly List<RecordedEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task _loop = Task.CompletedTask;

    /// <summary>Events so far, in arrival order.</summary>
    public IReadOnlyList<RecordedEvent> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    /// <summary>Time since the watch started (the clock of <see cref="RecordedEvent.At"/>).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts watching <paramref name="resource"/> (all namespaces) and returns once the watch is open.</summary>
    public static async Task<RecordedWatch> StartAsync(Kubernetes cluster, ApiResource resource, string? labelSelector = null)
    {
        var watch = new RecordedWatch();
        var client = new DynamicClient(cluster);
        var version = (await client.ListAsync(resource, labelSelector, CancellationToken.None))["metadata"]!["resourceVersion"]!.GetValue<string>();
        watch._loop = watch.RunAsync(client, resource, labelSelector, version);
        return watch;
    }

    private async Task RunAsync(DynamicClient client, ApiResource resource, string? labelSelector, string version)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, obj) in client.WatchAsync(resource, labelSelector, version, TimeSpan.FromMinutes(10), _stop.Token))
                {
                    version = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? version;
                    if (type == "BOOKMARK") continue;
                    lock (_events) _events.Add(new RecordedEvent(_clock.Elapsed, type, obj));
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // The watched server went away (a test stops members): look again shortly, from the same version.
                try { await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
