using System.Threading.Channels;
using Flotilla.Controllers;
using Flotilla.Controllers.Bundles;
using Flotilla.Hub.Api;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// Runs on the leader: follows the <see cref="FleetView"/>, turns each change of a Bundle or Cluster into notices
/// (<see cref="NoticeDetector"/>), writes them as Kubernetes Events on the object (drift excepted: the sync writes
/// those itself) and sends the notifiable ones to every matching <c>Notification</c> of the bundle's namespace.
/// Notices are detected and recorded one at a time in order; each delivery goes to its Notification's own queue
/// (<see cref="ReceiverQueues{T}"/>), so a receiver that is down, whose deliveries each take a minute of retries and
/// timeouts (<see cref="WebhookSender"/>), delays only its own deliveries, not the Events or the other receivers. A
/// delivery is sent to the Notification as it is when its turn comes (a corrected URL is used at once; a Notification
/// deleted or no longer subscribed gets nothing) and carries the time of its notice. A failed delivery is logged and
/// dropped, never retried forever; so is the oldest waiting one when a queue is full, and whatever waits when the
/// notifier stops.
/// </summary>
public sealed partial class FleetNotifier(IKubernetes hub, FleetView view, BundleEvents bundleEvents, WebhookSender sender, TimeProvider clock, ILogger<FleetNotifier> log)
{
    /// <summary>Deliveries a receiver may have waiting; a dead receiver's queue holds the newest ones.</summary>
    public const int QueueCapacity = 100;

    public async Task RunAsync(CancellationToken ct)
    {
        // Deliveries end with the notifier, however it ends: a dead receiver's queue could otherwise hold it for minutes.
        using var stopDeliveries = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var deliveries = new ReceiverQueues<Delivery>(DeliverAsync, QueueCapacity,
            (name, d, reason) => NotSent(log, name, d.Notice.Kind, reason switch
            {
                DropReason.QueueFull => $"dropped: {QueueCapacity} newer deliveries were waiting for this receiver",
                DropReason.ReceiverGone => "dropped: the Notification is gone",
                _ => "dropped: the notifier stopped (no longer the leader, or shutting down)",
            }),
            (name, d, e) => NotSent(log, name, d.Notice.Kind, e.Message), stopDeliveries.Token);
        var bundles = view.Bundles.ToDictionary(b => b.Key, b => b.Resource, StringComparer.Ordinal);
        var clusters = view.Clusters.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var changes = Channel.CreateUnbounded<(string Kind, string Key)>(new UnboundedChannelOptions { SingleReader = true });
        void OnChange(string kind, string key)
        {
            if (kind is "bundle" or "cluster") changes.Writer.TryWrite((kind, key));
        }
        view.Changed += OnChange;
        try
        {
            await foreach (var (kind, key) in changes.Reader.ReadAllAsync(ct))
            {
                if (kind == "bundle")
                {
                    var slash = key.IndexOf('/');
                    var current = view.Bundle(key[..slash], key[(slash + 1)..])?.Resource;
                    if (current is null) { bundles.Remove(key); continue; }
                    var notices = NoticeDetector.ForBundle(bundles.GetValueOrDefault(key), current);
                    bundles[key] = current;
                    foreach (var notice in notices) await HandleAsync(notice, current, deliveries, ct);
                }
                else
                {
                    var current = view.Cluster(key);
                    if (current is null) { clusters.Remove(key); continue; }
                    var notices = NoticeDetector.ForCluster(clusters.GetValueOrDefault(key), current);
                    clusters[key] = current;
                    foreach (var notice in notices) await ClusterEventAsync(notice, current, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            view.Changed -= OnChange;
            await stopDeliveries.CancelAsync();
            await deliveries.CompleteAsync();
        }
    }

    private async Task HandleAsync(FleetNotice notice, BundleResource bundle,
        ReceiverQueues<Delivery> deliveries, CancellationToken ct)
    {
        if (notice.Kind != NoticeKind.Drift)
        {
            if (notice.IsWarning) await bundleEvents.WarnAsync(bundle, notice.Kind.ToString(), notice.Message, ct);
            else await bundleEvents.NormalAsync(bundle, notice.Kind.ToString(), notice.Message, ct);
        }
        if (!notice.IsNotifiable) return;
        var notifications = view.Notifications.ToList();
        deliveries.Retain(notifications.Select(Key).ToHashSet(StringComparer.Ordinal));
        var at = clock.GetUtcNow();
        foreach (var n in notifications.Where(n => Subscribed(n, notice))) deliveries.Enqueue(Key(n), new Delivery(notice, at));
    }

    /// <summary>A notice queued for a receiver, with the time it was noticed (the payload's time, however late it goes).</summary>
    private sealed record Delivery(FleetNotice Notice, DateTimeOffset At);

    private static bool Subscribed(NotificationResource n, FleetNotice notice) => n.Metadata.NamespaceProperty == notice.Namespace
        && (n.Spec.Events is not { Count: > 0 } events || events.Contains(notice.Kind.ToString()))
        && (n.Spec.Bundles is not { Count: > 0 } names || names.Contains(notice.Name));

    private static string Key(NotificationResource n) => ObjectKey.Of(n.Metadata.NamespaceProperty, n.Metadata.Name);

    // The Notification as it is now: it may have been corrected, unsubscribed or deleted while the delivery waited.
    private async Task DeliverAsync(string key, Delivery delivery, CancellationToken ct)
    {
        var notification = view.Notification(key);
        if (notification is null || !Subscribed(notification, delivery.Notice))
        {
            NotSent(log, key, delivery.Notice.Kind, notification is null ? "the Notification is gone" : "the Notification no longer asks for it");
            return;
        }
        await SendAsync(notification, delivery.Notice, delivery.At, ct);
    }

    private async Task SendAsync(NotificationResource notification, FleetNotice notice, DateTimeOffset at, CancellationToken ct)
    {
        var name = Key(notification);
        var body = NotificationPayload.Body(notice, notification.Spec.Format ?? "Generic", at);
        string? signature = null;
        if (notification.Spec.SecretRef is { } secretRef)
        {
            try
            {
                var secret = await hub.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, notification.Metadata.NamespaceProperty, cancellationToken: ct);
                if (secret.Data is null || !secret.Data.TryGetValue("hmacKey", out var key) || key.Length == 0)
                {
                    NotSent(log, name, notice.Kind, $"Secret {secretRef.Name} has no key hmacKey");
                    return;
                }
                signature = NotificationPayload.Sign(body, key);
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                NotSent(log, name, notice.Kind, $"Secret {secretRef.Name} could not be read (HTTP {(int)e.Response.StatusCode})");
                return;
            }
        }
        var (delivered, tries, failure) = await sender.SendAsync(notification.Spec.Url, body, signature, ct);
        if (delivered) Delivered(log, name, notice.Kind, notice.Namespace + "/" + notice.Name, tries);
        else NotSent(log, name, notice.Kind, $"{failure} after {tries} tries");
    }

    private async Task ClusterEventAsync(FleetNotice notice, ClusterResource cluster, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await hub.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { GenerateName = $"{cluster.Metadata.Name}.", NamespaceProperty = FlotillaApi.SystemNamespace },
                InvolvedObject = new V1ObjectReference { ApiVersion = FlotillaApi.ApiVersion, Kind = FlotillaApi.ClusterKind, Name = cluster.Metadata.Name, Uid = cluster.Metadata.Uid },
                Reason = notice.Kind.ToString(),
                Message = notice.Message.Length > 1024 ? notice.Message[..1024] : notice.Message,
                Type = notice.IsWarning ? "Warning" : "Normal",
                Source = new V1EventSource { Component = "flotilla" },
                FirstTimestamp = now, LastTimestamp = now, Count = 1,
            }, FlotillaApi.SystemNamespace, cancellationToken: ct);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // An Event is a courtesy: the Cluster's condition already says the same.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "notification {Notification}: {Kind} of {Bundle} delivered (try {Tries})")]
    private static partial void Delivered(ILogger logger, string notification, NoticeKind kind, string bundle, int tries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notification {Notification}: {Kind} not delivered: {Reason}")]
    private static partial void NotSent(ILogger logger, string notification, NoticeKind kind, string reason);
}
