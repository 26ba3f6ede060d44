using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Sync;

/// <summary>
/// Brings one member to one bundle revision: staged server-side apply (each stage dry-run first; one invalid
/// object leaves the whole stage unwritten), only objects that differ are written, CRDs Established before
/// their kinds are used, then prune by inventory — and only objects that carry this bundle's label.
/// Throws on transport failures so the caller can mark the member Unreachable; never prunes after one.
/// </summary>
public sealed class ClusterSyncer(DynamicClient member, int parallelism = 8)
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    public async Task<SyncResult> SyncAsync(SyncRequest request, CancellationToken ct)
    {
        var stored = await InventoryStore.ReadAsync(member, request, ct);
        if (request.Desired.Count == 0 && !request.Policy.AllowEmpty && stored.Inventory.Count > 0)
            return SyncResult.Failure(SyncPhase.Failed, stored.Revision,
                $"the source rendered no objects; refusing to prune the {stored.Inventory.Count} applied ones (set spec.sync.allowEmpty to allow it)");

        var applied = new List<ObjectRef>();
        var live = new ConcurrentDictionary<ObjectRef, JsonObject>();
        var drift = new ConcurrentBag<DriftRecord>();
        var written = 0;
        foreach (var stage in ApplyStagePlanner.Plan(request.Desired).Stages)
        {
            var prepared = await PrepareAsync(stage.Manifests, request, ct);
            if (prepared.Error is { } prepareError) return StageFailed(stored, stage.Kind, prepareError);
            var existing = await ListLiveAsync(prepared.Objects, ct);
            var plans = prepared.Objects.Select(o => Decide(o, existing.GetValueOrDefault(Key(o.Resource, o.Ref.Namespace, o.Ref.Name)), request, drift)).ToList();
            var ordered = plans.OrderBy(p => p.Object.Ref, ApplyOrder.Instance).ToList();
            if (ordered.FirstOrDefault(p => p.Error is not null) is { } claimed) return StageFailed(stored, stage.Kind, claimed.Error!);

            var changes = ordered.Where(p => p.Apply).ToList();
            var dryRunErrors = new ConcurrentBag<(ObjectRef Ref, string Error)>();
            var noOps = new ConcurrentBag<ObjectRef>();
            await Parallel.ForEachAsync(changes, Options(ct), async (p, token) =>
            {
                try
                {
                    // Only a drift correction looks at the answer; every other dry-run needs to know only that it passed.
                    var result = await member.ApplyAsync(p.Object.Resource, p.Object.Body, dryRun: true, ForceFor(p, request), token, metadataOnly: !p.DriftOnly);
                    // Server normalisation (quantities, defaults) can make a desired field look different while
                    // the stored object would not change at all: that is no drift and costs no write.
                    if (p.Live is not null && p.DriftOnly && DriftComparer.Matches(Stripped(result), p.Live)) noOps.Add(p.Object.Ref);
                }
                catch (KubeApiException e) when (IsRejection(e.StatusCode))
                {
                    dryRunErrors.Add((p.Object.Ref, e.Message));
                }
            });
            if (!dryRunErrors.IsEmpty)
            {
                var first = dryRunErrors.OrderBy(e => e.Ref, ApplyOrder.Instance).First();
                var more = dryRunErrors.Count > 1 ? $" (and {dryRunErrors.Count - 1} more)" : "";
                return StageFailed(stored, stage.Kind, first.Error + more);
            }
            var toWrite = changes.Where(p => !noOps.Contains(p.Object.Ref)).ToList();
            await Parallel.ForEachAsync(toWrite, Options(ct), async (p, token) =>
                live[p.Object.Ref] = await member.ApplyAsync(p.Object.Resource, p.Object.Body, dryRun: false, ForceFor(p, request), token));
            written += toWrite.Count;
            foreach (var p in ordered)
            {
                applied.Add(p.Object.Ref);
                if (!live.ContainsKey(p.Object.Ref) && p.Live is not null) live[p.Object.Ref] = p.Live;
            }
            if (stage.WaitsForEstablishedDefinitions)
            {
                await WaitEstablishedAsync(ordered.Where(p => p.Object.Ref.Kind == "CustomResourceDefinition").Select(p => p.Object), ct);
                member.InvalidateDiscovery();
            }
        }

        var desiredInventory = new Inventory(applied);
        var diff = InventoryDiff.Compute(stored.Inventory, applied, request.Policy.AllowEmpty);
        var pruned = 0;
        if (request.Policy.Prune && diff.Prune.Count > 0 && !diff.PruneWithheld)
        {
            // The inventory is written before any delete, so a crash mid-prune leaves every pending object on record.
            await InventoryStore.WriteAsync(member, request, new Inventory(applied.Concat(diff.Prune)), stored.Revision ?? request.Revision, ct);
            foreach (var reference in diff.Prune) pruned += await PruneAsync(reference, request, ct) ? 1 : 0;
        }
        if (pruned > 0 || !desiredInventory.Equals(stored.Inventory) || stored.Revision != request.Revision)
            await InventoryStore.WriteAsync(member, request, desiredInventory, request.Revision, ct);

        var health = HealthOf(applied.Select(r => live.GetValueOrDefault(r)));
        var unresolved = drift.Where(d => !d.Corrected).ToList();
        var phase = unresolved.Count > 0 ? SyncPhase.OutOfSync : SyncPhase.Synced;
        return new SyncResult(phase, request.Revision, applied.Count, written, pruned, health.Status,
            health.Status == HealthStatus.Healthy ? null : health.Message, drift.OrderBy(d => d.Object, ApplyOrder.Instance).ToList());
    }

    /// <summary>
    /// What <see cref="SyncAsync"/> would change, without writing anything: each object is dry-run applied and
    /// compared with the live one; objects the inventory would prune are listed too. Secret values are redacted.
    /// </summary>
    public async Task<IReadOnlyList<ObjectDiff>> DiffAsync(SyncRequest request, CancellationToken ct)
    {
        var stored = await InventoryStore.ReadAsync(member, request, ct);
        var diffs = new List<ObjectDiff>();
        var desired = new List<ObjectRef>();
        foreach (var stage in ApplyStagePlanner.Plan(request.Desired).Stages)
        {
            var prepared = await PrepareAsync(stage.Manifests, request, ct);
            if (prepared.Error is { } error)
            {
                diffs.Add(new ObjectDiff(stage.Manifests[prepared.Objects.Count].Ref, DiffAction.Invalid, null, null, error));
                continue;
            }
            var existing = await ListLiveAsync(prepared.Objects, ct);
            foreach (var o in prepared.Objects)
            {
                desired.Add(o.Ref);
                var live = existing.GetValueOrDefault(Key(o.Resource, o.Ref.Namespace, o.Ref.Name));
                JsonObject after;
                try { after = await member.ApplyAsync(o.Resource, o.Body, dryRun: true, request.Policy.Force, ct); }
                catch (KubeApiException e) when (IsRejection(e.StatusCode))
                {
                    diffs.Add(new ObjectDiff(o.Ref, DiffAction.Invalid, null, null, e.Message));
                    continue;
                }
                var (before, planned) = (Comparable(live), Comparable(after));
                var action = live is null ? DiffAction.Create
                    : before!.ToJsonString() == planned!.ToJsonString() ? DiffAction.Unchanged : DiffAction.Update;
                RedactSecretValues(before, planned);
                diffs.Add(new ObjectDiff(o.Ref, action, before, planned, null));
            }
        }
        if (request.Policy.Prune)
            foreach (var reference in InventoryDiff.Compute(stored.Inventory, desired, request.Policy.AllowEmpty).Prune)
                diffs.Add(new ObjectDiff(reference, DiffAction.Prune, null, null, null));
        return diffs;
    }

    /// <summary>The object without server bookkeeping fields.</summary>
    private static JsonObject? Comparable(JsonObject? obj)
    {
        if (obj is null) return null;
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject m)
            foreach (var field in new[] { "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink" }) m.Remove(field);
        return Sorted(copy)!.AsObject();
    }

    /// <summary>Keys in ordinal order at every level (as kubectl diff shows them), so order never looks like a change.</summary>
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Replaces Secret values in both sides, keeping only whether each key changed — never the value or a hash of it.</summary>
    private static void RedactSecretValues(JsonObject? before, JsonObject? after)
    {
        if ((after ?? before)?["kind"]?.GetValue<string>() != "Secret") return;
        foreach (var field in new[] { "data", "stringData" })
        {
            var (b, a) = (before?[field] as JsonObject, after?[field] as JsonObject);
            foreach (var key in (b?.Select(p => p.Key) ?? []).Union(a?.Select(p => p.Key) ?? []).ToList())
            {
                var same = b?[key]?.ToJsonString() == a?[key]?.ToJsonString();
                if (b?.ContainsKey(key) == true) b[key] = "<redacted>";
                if (a?.ContainsKey(key) == true) a[key] = same ? "<redacted>" : "<redacted: changed>";
            }
        }
    }

    private sealed record PreparedObject(Manifest Source, ObjectRef Ref, ApiResource Resource, JsonObject Body, string Hash);

    private sealed record ObjectPlan(PreparedObject Object, JsonObject? Live, bool Apply, bool DriftOnly, string? Error);

    private async Task<(List<PreparedObject> Objects, string? Error)> PrepareAsync(IReadOnlyList<Manifest> manifests, SyncRequest request, CancellationToken ct)
    {
        var objects = new List<PreparedObject>();
        foreach (var manifest in manifests)
        {
            var reference = manifest.Ref;
            var resource = await member.ResourceForAsync(reference.ApiVersion, reference.Kind, ct);
            if (resource is null)
                return (objects, $"{reference} ({manifest.Source}): this cluster serves no kind {reference.Kind} in {reference.ApiVersion}");
            var body = manifest.Object.DeepClone().AsObject();
            var metadata = body["metadata"]!.AsObject();
            var ns = "";
            if (resource.Namespaced)
            {
                ns = metadata["namespace"]?.GetValue<string>() is { Length: > 0 } given ? given : request.Policy.TargetNamespace ?? "default";
                metadata["namespace"] = ns;
            }
            else metadata.Remove("namespace");
            if (metadata["labels"] is not JsonObject labels) metadata["labels"] = labels = new JsonObject();
            labels[OwnershipLabels.ManagedBy] = OwnershipLabels.ManagedByValue;
            labels[OwnershipLabels.Bundle] = request.Owner;
            var hash = DriftComparer.DesiredHash(body);
            if (metadata["annotations"] is not JsonObject annotations) metadata["annotations"] = annotations = new JsonObject();
            annotations[OwnershipLabels.DesiredHash] = hash;
            objects.Add(new(manifest, reference with { Namespace = ns }, resource, body, hash));
        }
        return (objects, null);
    }

    /// <summary>
    /// One LIST per kind and namespace the stage touches (cluster-wide for cluster-scoped kinds): a sync of N
    /// objects costs a request per kind, not per object, and sees objects other tools created too.
    /// </summary>
    private async Task<Dictionary<string, JsonObject>> ListLiveAsync(IEnumerable<PreparedObject> objects, CancellationToken ct)
    {
        var live = new ConcurrentDictionary<string, JsonObject>(StringComparer.Ordinal);
        var scopes = objects.Select(o => (o.Resource, Namespace: o.Resource.Namespaced ? o.Ref.Namespace : null)).Distinct();
        await Parallel.ForEachAsync(scopes, Options(ct), async (scope, token) =>
        {
            var list = await member.ListAsync(scope.Resource, scope.Namespace, null, token);
            foreach (var item in list["items"]?.AsArray() ?? [])
            {
                var obj = item!.AsObject();
                obj["apiVersion"] ??= scope.Resource.GroupVersion;
                obj["kind"] ??= scope.Resource.Kind;
                live[Key(scope.Resource, obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]!["name"]!.GetValue<string>())] = obj;
            }
        });
        return new Dictionary<string, JsonObject>(live, StringComparer.Ordinal);
    }

    private static string Key(ApiResource resource, string ns, string name) => $"{resource.GroupVersion}/{resource.Plural}/{ns}/{name}";

    private static ObjectPlan Decide(PreparedObject o, JsonObject? live, SyncRequest request, ConcurrentBag<DriftRecord> drift)
    {
        if (live is null) return new(o, null, Apply: true, DriftOnly: false, null);
        var owner = live["metadata"]?["labels"]?[OwnershipLabels.Bundle]?.GetValue<string>();
        if (owner is not null && owner != request.Owner)
            return new(o, live, false, false, $"{o.Ref}: already managed by bundle {owner}; an object can belong to one bundle only");
        var liveHash = live["metadata"]?["annotations"]?[OwnershipLabels.DesiredHash]?.GetValue<string>();
        if (liveHash != o.Hash) return new(o, live, Apply: true, DriftOnly: false, null);
        if (DriftComparer.FirstDifference(o.Body, live) is not { } field) return new(o, live, Apply: false, DriftOnly: false, null);
        var manager = DriftComparer.LastOtherManager(live, FlotillaApi.FieldManager);
        var held = request.Held(o.Ref);
        var correct = request.Policy.Drift == DriftMode.Correct && !held;
        if (request.Policy.Drift != DriftMode.Ignore) drift.Add(new DriftRecord(o.Ref, field, manager, correct, held));
        return new(o, live, Apply: correct, DriftOnly: true, null);
    }

    private async Task<bool> PruneAsync(ObjectRef reference, SyncRequest request, CancellationToken ct)
    {
        var resource = await member.ResourceForAsync(reference.ApiVersion, reference.Kind, ct);
        if (resource is null) return false; // its kind is gone (CRD removed): nothing left to delete
        var ns = resource.Namespaced ? reference.Namespace : null;
        var live = await member.GetAsync(resource, ns, reference.Name, ct);
        if (live?["metadata"]?["labels"]?[OwnershipLabels.Bundle]?.GetValue<string>() != request.Owner) return false;
        return await member.DeleteAsync(resource, ns, reference.Name, ct);
    }

    private async Task WaitEstablishedAsync(IEnumerable<PreparedObject> crds, CancellationToken ct)
    {
        foreach (var crd in crds)
        {
            var deadline = DateTime.UtcNow + EstablishTimeout;
            while (true)
            {
                var live = await member.GetAsync(crd.Resource, null, crd.Ref.Name, ct);
                var established = (live?["status"]?["conditions"] as JsonArray)?.Any(c =>
                    c?["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") == true;
                if (established) break;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{crd.Ref}: not Established after {EstablishTimeout.TotalSeconds:0}s");
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>
    /// Correcting drift takes back fields Flotilla already owned, which the other writer now holds: that needs
    /// force. A first apply over someone else's fields is a conflict, forced only when the bundle says so.
    /// </summary>
    private static bool ForceFor(ObjectPlan plan, SyncRequest request) => request.Policy.Force || plan.DriftOnly;

    private static SyncResult StageFailed(StoredInventory stored, ApplyStageKind stage, string error) =>
        SyncResult.Failure(SyncPhase.Failed, stored.Revision, $"stage {stage} not applied: {error}");

    private static bool IsRejection(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict
            or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.InternalServerError;

    private static JsonObject Stripped(JsonObject result)
    {
        var copy = result.DeepClone().AsObject();
        copy.Remove("status");
        return copy;
    }

    private static HealthAssessment HealthOf(IEnumerable<JsonObject?> objects)
    {
        var worst = new HealthAssessment(HealthStatus.Healthy, "");
        foreach (var obj in objects)
        {
            var h = HealthAssessor.Assess(obj);
            if (Rank(h.Status) > Rank(worst.Status)) worst = h with { Message = $"{Describe(obj)}: {h.Message}" };
        }
        return worst;
    }

    /// <summary>Worse first: Degraded, Missing, Unknown, Progressing, Healthy.</summary>
    public static int Rank(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Progressing => 1,
        HealthStatus.Unknown => 2,
        HealthStatus.Missing => 3,
        HealthStatus.Degraded => 4,
    };

    private static string Describe(JsonObject? obj) =>
        obj is null ? "object" : $"{obj["kind"]?.GetValue<string>()}/{(obj["metadata"]?["namespace"]?.GetValue<string>() is { } ns ? ns + "/" : "")}{obj["metadata"]?["name"]?.GetValue<string>()}";

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
}
