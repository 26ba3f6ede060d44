using Flotilla.Controllers.Bundles;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Tests.Simulation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Integration.Tests;

/// <summary>Events on Bundles against the real hub API server: written once in ten minutes; a refusal said and not retried at every reconcile; no answer said, and never the caller's failure.</summary>
[Collection(FleetCollection.Name)]
public sealed class BundleEventsTests(FleetFixture fleet)
{
    private const string Reason = "DriftDetected";
    private const string Message = "ConfigMap default/app-settings was changed by kubectl-edit; put back";

    [Fact]
    public async Task An_event_the_hub_may_not_write_is_logged_with_the_answer_and_held_back_for_ten_minutes()
    {
        // The fleet's read-only identity: the hub API server's RBAC refuses it any Event (403). The requests are counted as
        // they come back to the client: a v1.20 API server leaves a request its authorizer refuses out of apiserver_request_total.
        var requests = new MemberRequestCounter();
        using var viewer = await CountedClientAsync(fleet.State.Hub.Server, fleet.State.Hub.ViewerToken, requests);
        long Refused() => requests.Count("hub", "post", "403");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLogger();
        var events = new BundleEvents(viewer, clock, log);
        var bundle = Bundle("events-refused");

        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);
        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(9));
        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);

        Assert.Equal(1, Refused());
        Assert.Equal(0, events.Written);
        var (level, text) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains($"Event {Reason} on Bundle default/events-refused was not written", text);
        Assert.Contains("answered 403", text);
        Assert.Contains("not tried again for 10 minutes", text);

        clock.Advance(TimeSpan.FromMinutes(1));
        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);
        Assert.Equal(2, Refused());
        Assert.Equal(2, log.Entries.Count);
    }

    [Fact]
    public async Task An_event_that_gets_no_answer_is_logged_and_may_be_tried_again_at_once_and_never_fails_the_caller()
    {
        // A hub API server address where nothing listens: the connection is refused, a real transport failure.
        var requests = new MemberRequestCounter();
        using var unreachable = await CountedClientAsync($"https://127.0.0.1:{FreePorts.Take(1)[0]}", fleet.State.Hub.AdminToken, requests);
        var log = new RecordingLogger();
        var events = new BundleEvents(unreachable, new FakeTimeProvider(DateTimeOffset.UtcNow), log);
        var bundle = Bundle("events-unanswered");

        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);
        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);

        Assert.Equal(2, requests.Count("hub", "post", "error"));
        Assert.Equal(0, events.Written);
        Assert.Equal(2, log.Entries.Count);
        Assert.All(log.Entries, e => Assert.Contains("was not written: no answer (HttpRequestException); it may be tried again at once", e.Message));
    }

    [Fact]
    public async Task An_event_is_written_on_the_bundle_once_in_ten_minutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLogger();
        var events = new BundleEvents(fleet.Hub, clock, log);
        var name = $"events-written-{Guid.NewGuid():N}"[..24];
        var bundle = Bundle(name);

        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);
        await events.WarnAsync(bundle, Reason, Message, CancellationToken.None);

        Assert.Equal(1, events.Written);
        Assert.Empty(log.Entries);
        var written = await fleet.Hub.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name}");
        var evt = Assert.Single(written.Items);
        Assert.Equal((Reason, Message, "Warning", "Bundle"), (evt.Reason, evt.Message, evt.Type, evt.InvolvedObject.Kind));
    }

    /// <summary>A hub client at <paramref name="server"/> with <paramref name="token"/>, its requests counted as cluster <c>hub</c>.</summary>
    private async Task<Kubernetes> CountedClientAsync(string server, string token, MemberRequestCounter requests)
    {
        var kubeconfig = LocalKubeconfig.Single(fleet.State.Hub.Name, server, await File.ReadAllTextAsync(fleet.State.CaPath), token);
        var (client, _) = await MemberClientFactory.CreateAsync(kubeconfig, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10),
            TimeProvider.System, CancellationToken.None, requests.Handler("hub"));
        return client;
    }

    // Events name their object without the API server checking it exists: a Bundle is not needed on the hub for these.
    private static BundleResource Bundle(string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() } };
}
