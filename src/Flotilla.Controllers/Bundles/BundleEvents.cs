using System.Collections.Concurrent;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Kubernetes Events on a Bundle for what a person should see (drift, fights, who acted on a rollout). The same event is not repeated
/// within ten minutes; failing to write one never fails a reconcile.
/// </summary>
public sealed class BundleEvents(IKubernetes hub, TimeProvider clock)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);

    /// <summary>Number of events written (for tests and metrics).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _written;

    public Task WarnAsync(BundleResource bundle, string reason, string message, CancellationToken ct) =>
        WriteAsync(bundle, "Warning", reason, message, ct);

    /// <summary>An event of type Normal (an action taken, a stage passed).</summary>
    public Task NormalAsync(BundleResource bundle, string reason, string message, CancellationToken ct) =>
        WriteAsync(bundle, "Normal", reason, message, ct);

    private async Task WriteAsync(BundleResource bundle, string type, string reason, string message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = $"{bundle.Metadata.NamespaceProperty}/{bundle.Metadata.Name}/{reason}/{message}";
        if (_recent.TryGetValue(key, out var last) && now - last < Quiet) return;
        _recent[key] = now;
        var evt = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = $"{bundle.Metadata.Name}.", NamespaceProperty = bundle.Metadata.NamespaceProperty },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = FlotillaApi.ApiVersion, Kind = "Bundle", Name = bundle.Metadata.Name,
                NamespaceProperty = bundle.Metadata.NamespaceProperty, Uid = bundle.Metadata.Uid,
            },
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Type = type,
            Source = new V1EventSource { Component = "flotilla" },
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        try
        {
            await hub.CoreV1.CreateNamespacedEventAsync(evt, bundle.Metadata.NamespaceProperty, cancellationToken: ct);
            Interlocked.Increment(ref _written);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            _recent.TryRemove(key, out _); // try again next time
        }
    }
}
