using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub's member clients against the real hub API server: a client checked against its credentials Secret is
/// used without reading the Secret again for <see cref="MemberClients.RecheckAfter"/>; after that it is still handed
/// out while the Secret is read again in the background (a rotated one gives the next call a new client, a deleted one
/// refuses the cluster from then on), and a
/// Cluster that names other credentials is read at once.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class MemberClientsTests(FleetFixture fleet)
{
    [Fact]
    public async Task A_checked_client_is_reused_until_the_recheck_interval_and_then_the_secret_is_read_again()
    {
        var name = fleet.State.Members.First().Name;
        var cluster = KubeJson.As<ClusterResource>(await fleet.Hub.CustomObjects.GetClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, name));
        var reference = cluster.Spec.CredentialsSecretRef!;
        var original = await fleet.Hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, reference.Namespace);
        var copy = $"recheck-{Guid.NewGuid():N}"[..20];
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = copy }, Data = original.Data }, reference.Namespace);
        cluster.Spec.CredentialsSecretRef = new SecretReference { Name = copy, Namespace = reference.Namespace, Key = reference.Key };
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
            try { await fleet.Hub.CoreV1.DeleteNamespacedSecretAsync(copy, reference.Namespace); }
            catch (k8s.Autorest.HttpOperationException) { }
        }
    }
}
