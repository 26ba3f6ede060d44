using System.Net;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Kubernetes Events on a Bundle for what a person should see (drift, fights, who acted on a rollout). The same event is
/// not repeated within ten minutes; failing to write one never fails a sync or an action, and is logged. An event the
/// hub API server refuses (403: the hub may not create Events there; 404: no such namespace; 422) waits the same ten
/// minutes before it is tried again, instead of costing a request at every reconcile; any other failure (an error
/// answer, no answer) may be tried again at the next one.
/// </summary>
public sealed class BundleEvents(IKubernetes hub, TimeProvider clock, ILogger? log = null)
{
    private readonly RecentEvents _recent = new(quiet: TimeSpan.FromMinutes(10), maxRemembered: 4096, forgetEvery: TimeSpan.FromMinutes(1));
    private readonly ILogger _log = log ?? NullLogger.Instance;

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
        var bundleKey = $"{bundle.Metadata.NamespaceProperty}/{bundle.Metadata.Name}";
        var key = $"{bundleKey}/{reason}/{message}";
        if (!_recent.TryClaim(key, now)) return;
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
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // An error answer, or none (the hub API server unreachable, a timeout): never the sync's or the action's failure.
            var code = (e as k8s.Autorest.HttpOperationException)?.Response.StatusCode;
            var refused = code is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity;
            if (!refused) _recent.Release(key, now);
            ControllersLog.EventNotWritten(_log, reason, bundleKey, code is { } answered ? $"the hub API server answered {(int)answered}" : $"no answer ({e.GetType().Name})",
                refused ? $"not tried again for {_recent.Quiet.TotalMinutes:0} minutes" : "it may be tried again at once");
        }
    }
}
