using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub's member clients against the real hub API server: a client checked against its credentials Secret is
/// used without reading the Secret again for <see cref="MemberClients.RecheckAfter"/>; after that it is still handed
/// out while the Secret is read again in the background (a rotated one gives the next call a new client, a deleted one
/// refuses the cluster from then on), and a
/// Cluster that names other credentials is read at once. With the Secrets' versions watched (as the hub runs it), an
/// unchanged Secret is never read again, and a rotation or deletion reaches the first call after the watch saw it.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class MemberClientsTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_checked_client_is_reused_until_the_recheck_interval_and_then_the_secret_is_read_again()
    {
        var (cluster, reference, original, copy) = await WithCopiedCredentialsAsync("recheck");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var clients = new MemberClients(fleet.Hub, TimeSpan.FromSeconds(10), clock: clock);
        try
        {
            var first = await clients.GetAsync(cluster, CancellationToken.None);
            Assert.Contains((await first.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");

            // Rotated: past the interval the caller does not wait for the Secret — it gets the client it had while the
            // Secret is read in the background — and the call after that read gets a client built from the new one.
            await fleet.Hub.CoreV1.ReplaceNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = copy, Labels = new Dictionary<string, string> { ["rotated"] = "yes" } }, Data = original.Data,
            }, copy, reference.Namespace);
            clock.Advance(MemberClients.RecheckAfter);
            Assert.Same(first, await clients.GetAsync(cluster, CancellationToken.None));
            await clients.RecheckOf(cluster.Metadata.Name).WaitAsync(TimeSpan.FromSeconds(30));
            var client = await clients.GetAsync(cluster, CancellationToken.None);
            Assert.NotSame(first, client);
            Assert.Contains((await client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");

            // Gone from the hub, but checked 9 s ago: the client is used as it is.
            await fleet.Hub.CoreV1.DeleteNamespacedSecretAsync(copy, reference.Namespace);
            clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Same(client, await clients.GetAsync(cluster, CancellationToken.None));

            // Past the interval: still handed out while the Secret is read again; its absence refuses the cluster from then on.
            clock.Advance(MemberClients.RecheckAfter);
            Assert.Same(client, await clients.GetAsync(cluster, CancellationToken.None));
            await clients.RecheckOf(cluster.Metadata.Name).WaitAsync(TimeSpan.FromSeconds(30));
            var refused = await Assert.ThrowsAsync<InvalidCredentialsException>(() => clients.GetAsync(cluster, CancellationToken.None));
            Assert.Contains($"Secret/{reference.Namespace}/{copy} not found", refused.Message);

            // Other credentials named by the Cluster are read at once, however recent the last check.
            cluster.Spec.CredentialsSecretRef = reference;
            var again = await clients.GetAsync(cluster, CancellationToken.None);
            cluster.Spec.CredentialsSecretRef = new SecretReference { Name = "no-such-secret", Namespace = reference.Namespace, Key = reference.Key };
            await Assert.ThrowsAsync<InvalidCredentialsException>(() => clients.GetAsync(cluster, CancellationToken.None));
            cluster.Spec.CredentialsSecretRef = reference;
            Assert.Same(again, await clients.GetAsync(cluster, CancellationToken.None));
        }
        finally
        {
            await DeleteAsync(copy, reference.Namespace);
        }
    }

    [Fact]
    public async Task With_the_secrets_watched_an_unchanged_secret_is_not_read_again_and_a_rotation_or_deletion_reaches_the_next_call()
    {
        var (cluster, reference, original, copy) = await WithCopiedCredentialsAsync("watched");
        var reads = new SecretReads();
        using var hub = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fleet.State.KubeconfigPath, currentContext: fleet.State.Hub.Name), reads);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var versions = new SecretVersions(new DynamicClient(fleet.Hub));
        using var clients = new MemberClients(hub, TimeSpan.FromSeconds(10), clock: clock, watched: versions);
        async Task SeenAsync(string? version) => await Eventually.WaitAsync(() =>
            Task.FromResult(versions.TryGet(reference.Namespace, copy, out var seen) && seen == version), TimeSpan.FromSeconds(30), $"the watch sees version {version ?? "(gone)"}");
        try
        {
            var first = await clients.GetAsync(cluster, CancellationToken.None);
            Assert.Equal(1, reads.Of(copy));
            await SeenAsync((await fleet.Hub.CoreV1.ReadNamespacedSecretAsync(copy, reference.Namespace)).Metadata.ResourceVersion);

            // Unchanged: used as it is long past the recheck interval, with no read in the background either.
            for (var i = 0; i < 3; i++)
            {
                clock.Advance(MemberClients.RecheckAfter * 2);
                Assert.Same(first, await clients.GetAsync(cluster, CancellationToken.None));
                await clients.RecheckOf(cluster.Metadata.Name);
            }
            Assert.Equal(1, reads.Of(copy));

            // Rotated: the first call after the watch saw it reads the Secret and builds a new client, without any time passing.
            var rotated = await fleet.Hub.CoreV1.ReplaceNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = copy, Labels = new Dictionary<string, string> { ["rotated"] = "yes" } }, Data = original.Data,
            }, copy, reference.Namespace);
            await SeenAsync(rotated.Metadata.ResourceVersion);
            var client = await clients.GetAsync(cluster, CancellationToken.None);
            Assert.NotSame(first, client);
            Assert.Contains((await client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");
            Assert.Same(client, await clients.GetAsync(cluster, CancellationToken.None));
            Assert.Equal(2, reads.Of(copy));

            // Deleted: refused at the first call after the watch saw it, with the reason.
            await fleet.Hub.CoreV1.DeleteNamespacedSecretAsync(copy, reference.Namespace);
            await SeenAsync(null);
            var refused = await Assert.ThrowsAsync<InvalidCredentialsException>(() => clients.GetAsync(cluster, CancellationToken.None));
            Assert.Contains($"Secret/{reference.Namespace}/{copy} not found", refused.Message);
        }
        finally
        {
            await DeleteAsync(copy, reference.Namespace);
        }
    }

    [Fact]
    public async Task Where_the_secrets_cannot_be_watched_a_client_is_rechecked_after_the_interval_as_without_a_watch()
    {
        var cluster = await FirstMemberAsync();
        var reference = cluster.Spec.CredentialsSecretRef!;
        var reads = new SecretReads();
        using var hub = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fleet.State.KubeconfigPath, currentContext: fleet.State.Hub.Name), reads);
        // A watch that can never list (nothing answers there), as where the hub may only get Secrets: nothing is known.
        using var nowhere = new Kubernetes(new KubernetesClientConfiguration { Host = $"https://127.0.0.1:{Kube.LocalFleet.FreePorts.Take(1)[0]}", SkipTlsVerify = true });
        using var versions = new SecretVersions(new DynamicClient(nowhere));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var clients = new MemberClients(hub, TimeSpan.FromSeconds(10), clock: clock, watched: versions);

        var first = await clients.GetAsync(cluster, CancellationToken.None);
        Assert.False(versions.TryGet(reference.Namespace, reference.Name, out _));
        clock.Advance(MemberClients.RecheckAfter);
        Assert.Same(first, await clients.GetAsync(cluster, CancellationToken.None));
        await clients.RecheckOf(cluster.Metadata.Name).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, reads.Of(reference.Name));
    }

    private async Task<ClusterResource> FirstMemberAsync() => KubeJson.As<ClusterResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(
        FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, fleet.State.Members.First().Name));

    // The first member's Cluster (in memory only) naming a copy of its credentials Secret, which the test may rotate or delete.
    private async Task<(ClusterResource Cluster, SecretReference Reference, V1Secret Original, string Copy)> WithCopiedCredentialsAsync(string prefix)
    {
        var cluster = await FirstMemberAsync();
        var reference = cluster.Spec.CredentialsSecretRef!;
        var original = await fleet.Hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, reference.Namespace);
        var copy = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = copy }, Data = original.Data }, reference.Namespace);
        cluster.Spec.CredentialsSecretRef = new SecretReference { Name = copy, Namespace = reference.Namespace, Key = reference.Key };
        return (cluster, reference, original, copy);
    }

    private async Task DeleteAsync(string secret, string ns)
    {
        try { await fleet.Hub.CoreV1.DeleteNamespacedSecretAsync(secret, ns); }
        catch (k8s.Autorest.HttpOperationException) { }
    }

    /// <summary>Counts the GETs of each Secret sent through the client it is put in front of.</summary>
    private sealed class SecretReads : DelegatingHandler
    {
        private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);

        public int Of(string secret) => _reads.GetValueOrDefault(secret);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var segments = request.RequestUri!.AbsolutePath.Split('/');
            if (request.Method == HttpMethod.Get && segments.Length >= 2 && segments[^2] == "secrets") _reads.AddOrUpdate(segments[^1], 1, (_, n) => n + 1);
            return base.SendAsync(request, ct);
        }
    }
}
