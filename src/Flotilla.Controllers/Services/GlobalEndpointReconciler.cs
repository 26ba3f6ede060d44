using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Runtime;
using Flotilla.Core.Services;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Services;
using k8s;

namespace Flotilla.Controllers.Services;

/// <summary>
/// Reconciles one GlobalEndpoint: reads each member of its set from the watch caches (the Service's type, load-balancer
/// addresses and ready endpoints) and the Cluster's Available condition, decides the healthy members with
/// <see cref="GlobalRouting"/>, writes the external-dns DNSEndpoint of the same namespace/name on the hub (owned by the
/// GlobalEndpoint, so deleting it deletes the record) and the status. Without the DNSEndpoint CRD on the hub it says so.
/// </summary>
public sealed class GlobalEndpointReconciler(IKubernetes hub, DynamicClient hubApi, ClusterDirectory directory, ClusterSetRegistry registry,
    GlobalEndpointIndex index, TimeProvider clock) : IReconciler<string>
{
    private const string DnsEndpointVersion = "externaldns.k8s.io/v1alpha1";

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKey.Split(key);
        var found = await hubApi.GetAsync(new(FlotillaApi.Group, FlotillaApi.Version, GlobalEndpointResource.KindName, GlobalEndpointResource.Plural, true), ns, name, ct);
        if (found is null)
        {
            index.Forget(key);
            return ReconcileResult.Success;
        }
        var endpoint = KubernetesJson.Deserialize<GlobalEndpointResource>(found.ToJsonString());
        var service = new ServiceKey(endpoint.Spec.Service.Namespace, endpoint.Spec.Service.Name);
        index.Follow(key, ServiceQueueKey.Of(endpoint.Spec.ClusterSet, service));

        var members = registry.Get(endpoint.Spec.ClusterSet)?.Members ?? [];
        var targets = GlobalRouting.Targets(members.Select(m => Candidate(m, service)), endpoint.Spec.RegionWeights ?? []);
        var (ready, reason, message) = members.IsEmpty
            ? ("False", "NoClusterSet", $"ClusterSet {endpoint.Spec.ClusterSet} does not exist or has no members")
            : await WriteDnsEndpointAsync(endpoint, targets, ct);
        await WriteStatusAsync(endpoint, targets, ready, reason, message, ct);
        return ReconcileResult.Success;
    }

    private RoutingCandidate Candidate(string cluster, ServiceKey service)
    {
        var resource = directory.Get(cluster);
        IDictionary<string, string> labels = resource?.Metadata.Labels ?? new Dictionary<string, string>();
        var region = labels.TryGetValue("region", out var r) ? r : labels.TryGetValue("topology.kubernetes.io/region", out var t) ? t : null;
        var cache = registry.Cache(cluster);
        var svc = cache?.Service(service);
        var exported = cache?.Export(service) is not null;
        var addresses = svc?["status"]?["loadBalancer"]?["ingress"]?.AsArray().OfType<JsonObject>()
            .Select(i => i["ip"]?.GetValue<string>() ?? i["hostname"]?.GetValue<string>()).OfType<string>().ToImmutableArray() ?? [];
        var ready = cache is { Listed: true }
            ? cache.View(service).Slices.SelectMany(s => s["endpoints"]?.AsArray().OfType<JsonObject>() ?? [])
                .Count(e => e["conditions"]?["ready"]?.GetValue<bool>() != false)
            : 0;
        return new RoutingCandidate(cluster, region, resource is not null && ClusterDirectory.IsAvailable(resource),
            exported && svc?["spec"]?["type"]?.GetValue<string>() == "LoadBalancer", addresses, ready);
    }

    private async Task<(string, string, string)> WriteDnsEndpointAsync(GlobalEndpointResource endpoint, ImmutableArray<RoutingTarget> targets, CancellationToken ct)
    {
        var resource = await hubApi.ResourceForAsync(DnsEndpointVersion, "DNSEndpoint", ct);
        if (resource is null)
            return ("False", "DNSEndpointCRDMissing", "the hub serves no externaldns.k8s.io/v1alpha1 DNSEndpoint: install external-dns's CRD on the hub");
        var meta = endpoint.Metadata;
        var desired = new JsonObject
        {
            ["apiVersion"] = DnsEndpointVersion, ["kind"] = "DNSEndpoint",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta.Name, ["namespace"] = meta.NamespaceProperty,
                ["labels"] = new JsonObject { [OwnershipLabels.ManagedBy] = OwnershipLabels.ManagedByValue },
                ["annotations"] = new JsonObject(),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = GlobalEndpointResource.KindName, ["name"] = meta.Name, ["uid"] = meta.Uid, ["controller"] = true,
                }),
            },
            ["spec"] = new JsonObject { ["endpoints"] = GlobalRouting.DnsRecords(endpoint.Spec.DnsName, endpoint.Spec.Ttl ?? 30, targets) },
        };
        var hash = ContentHash.Of(desired);
        desired["metadata"]!["annotations"]![OwnershipLabels.DesiredHash] = hash;
        var current = await hubApi.GetAsync(resource, meta.NamespaceProperty, meta.Name, ct);
        if (current is not null && current["metadata"]?["labels"]?[OwnershipLabels.ManagedBy] is null)
            return ("False", "DNSEndpointNotOwned", $"DNSEndpoint {meta.NamespaceProperty}/{meta.Name} exists and was not written by Flotilla; left alone");
        if (ImportedObjects.HashOf(current ?? []) != hash)
            await hubApi.ApplyAsync(resource, desired, dryRun: false, force: true, ct, metadataOnly: true);
        var healthy = targets.Where(t => t.Healthy).Select(t => t.Cluster).ToList();
        return healthy.Count == 0
            ? ("False", "NoHealthyCluster", "no member serves the name: " + string.Join("; ", targets.Select(t => $"{t.Cluster}: {t.Reason}")))
            : ("True", "Published", $"{endpoint.Spec.DnsName} → {string.Join(", ", healthy)}");
    }

    private async Task WriteStatusAsync(GlobalEndpointResource endpoint, ImmutableArray<RoutingTarget> targets, string ready, string reason, string message, CancellationToken ct)
    {
        var status = new GlobalEndpointStatus
        {
            ObservedGeneration = endpoint.Metadata.Generation,
            HealthyClusters = targets.Count(t => t.Healthy),
            Targets = [.. targets.Select(t => new GlobalEndpointTarget
            {
                Cluster = t.Cluster, Region = t.Region, Addresses = [.. t.Addresses], Weight = t.Weight, Healthy = t.Healthy, Reason = t.Reason,
            })],
            Conditions = [StatusConditions.Next(endpoint.Status?.Conditions, "Ready", ready, reason, message, clock.GetUtcNow(), endpoint.Metadata.Generation)],
        };
        if (endpoint.Status is not null && KubernetesJson.Serialize(status) == KubernetesJson.Serialize(endpoint.Status)) return;
        await hub.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch.Replace(status), FlotillaApi.Group, FlotillaApi.Version,
            endpoint.Metadata.NamespaceProperty, GlobalEndpointResource.Plural, endpoint.Metadata.Name, cancellationToken: ct);
    }
}
