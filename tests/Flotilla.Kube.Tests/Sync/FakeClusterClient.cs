using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Sync;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>
/// An in-memory member behind <see cref="IClusterClient"/> for executor unit tests. It keeps live objects (each with a
/// uid), inventories and a fixed discovery catalogue, records every call in order (failed attempts included), and can
/// be told to misbehave the way real API servers do: refuse an object (422 with the server's message), report a field
/// conflict (409), break the transport for one object, fail every server-side apply of one kind (Kubernetes 1.20 and
/// APIService), fail discovery of one API group (503, an unavailable APIService), or stop answering altogether.
/// Errors carry the subject the real <see cref="DynamicClient"/> gives them (<c>Kind/ns/name dry-run</c>).
/// </summary>
internal sealed class FakeClusterClient : IClusterClient
{
    public static readonly ApiResource ConfigMaps = new("", "v1", "ConfigMap", "configmaps", true);
    public static readonly ApiResource Namespaces = new("", "v1", "Namespace", "namespaces", false);
    public static readonly ApiResource Crds = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false);
    public static readonly ApiResource ApiServices = new("apiregistration.k8s.io", "v1", "APIService", "apiservices", false);
    public static readonly ApiResource Webhooks = new("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false);
    public static readonly ApiResource Widgets = new("example.io", "v1", "Widget", "widgets", true);
    public static readonly ApiResource Jobs = new("batch", "v1", "Job", "jobs", true);

    private static readonly ApiResource[] Catalogue = [ConfigMaps, Namespaces, Crds, ApiServices, Webhooks, Widgets, Jobs];

    private readonly Lock _lock = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly Dictionary<ObjectRef, JsonObject> _live = [];
    private readonly Dictionary<string, StoredInventory> _inventories = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectRef, Func<bool, WriteMethod, Exception?>> _failures = [];
    private readonly HashSet<ObjectRef> _brokenDeletes = [];
    private readonly HashSet<string> _noServerSideApply = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unavailableGroups = new(StringComparer.Ordinal);
    private ObjectRef? _goesDownAt;
    private ObjectRef? _replacedBeforeDelete;
    private bool _down;
    private Func<StoredInventory, bool>? _lostInventoryWrites;
    private const string Established = """{"conditions":[{"type":"NamesAccepted","status":"True"},{"type":"Established","status":"True"}]}""";
    private const string Installing = """{"conditions":[{"type":"NamesAccepted","status":"True"},{"type":"Established","status":"False","reason":"Installing"}]}""";
    private bool _stuckInstalling;
    private int _uids;
    private long _versions;

    public IReadOnlyList<RecordedCall> Calls { get { lock (_lock) return [.. _calls]; } }

    public void ClearCalls() { lock (_lock) _calls.Clear(); }

    public JsonObject? Live(ObjectRef reference) { lock (_lock) return _live.GetValueOrDefault(reference); }

    public StoredInventory Inventory(string owner) { lock (_lock) return _inventories.GetValueOrDefault(owner) ?? StoredInventory.Empty; }

    /// <summary>Puts an object on the member as someone else (or an earlier sync) left it; returns its uid.</summary>
    public string Put(JsonObject obj)
    {
        var kind = Catalogue.Single(k => k.GroupVersion == obj["apiVersion"]!.GetValue<string>() && k.Kind == obj["kind"]!.GetValue<string>());
        lock (_lock) return Store(kind, obj.DeepClone().AsObject());
    }

    /// <summary>Changes a live object as another writer would: with a new resourceVersion, or (to prove it is not looked at) without one.</summary>
    public void Edit(ObjectRef reference, Action<JsonObject> edit, bool newVersion = true)
    {
        lock (_lock)
        {
            edit(_live[reference]);
            if (newVersion) _live[reference]["metadata"]!["resourceVersion"] = (++_versions).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public void PutInventory(string owner, StoredInventory inventory) { lock (_lock) _inventories[owner] = inventory; }

    /// <summary>The server refuses <paramref name="reference"/> (422 Invalid) on dry-run and apply, or only on the apply.</summary>
    public void Refuse(ObjectRef reference, string message, bool onlyWhenApplied = false) =>
        Fail(reference, (dryRun, _) => dryRun && onlyWhenApplied ? null : Status(reference, dryRun, HttpStatusCode.UnprocessableEntity, "Invalid", message));

    /// <summary>Server-side apply of <paramref name="reference"/> conflicts with <paramref name="manager"/>'s field.</summary>
    public void Conflict(ObjectRef reference, string manager) =>
        Fail(reference, (dryRun, method) => method == WriteMethod.ServerSideApply
            ? Status(reference, dryRun, HttpStatusCode.Conflict, "Conflict", $"Apply failed with 1 conflict: conflict with \"{manager}\" using v1: .data.color")
            : null);

    /// <summary>Every request writing <paramref name="reference"/> dies on the wire (the member itself still answers).</summary>
    public void BreakTransport(ObjectRef reference) =>
        Fail(reference, (_, _) => new HttpRequestException("An error occurred while sending the request.", new IOException("The response ended prematurely.")));

    /// <summary>The next <paramref name="times"/> requests writing <paramref name="reference"/> die on the wire, then it heals.</summary>
    public void BreakTransportOnce(ObjectRef reference, int times = 1)
    {
        var left = times;
        Fail(reference, (_, _) => left-- > 0 ? new IOException("Connection reset by peer") : null);
    }

    /// <summary>Every delete of <paramref name="reference"/> dies on the wire (the member itself still answers).</summary>
    public void BreakDelete(ObjectRef reference) { lock (_lock) _brokenDeletes.Add(reference); }

    /// <summary>Server-side apply of <paramref name="kind"/> resets the stream, as Kubernetes 1.20 does for APIService; create / merge patch work.</summary>
    public void CannotServerSideApply(string kind) { lock (_lock) _noServerSideApply.Add(kind); }

    /// <summary>Discovery of <paramref name="group"/> answers 503, as for an APIService whose Service has no endpoints.</summary>
    public void FailDiscovery(string group) { lock (_lock) _unavailableGroups.Add(group); }

    /// <summary>The member stops answering when the executor first writes or deletes <paramref name="reference"/>.</summary>
    public void GoDownAt(ObjectRef reference) { lock (_lock) _goesDownAt = reference; }

    /// <summary>Inventory records matching <paramref name="refused"/> die on the wire (null: none do).</summary>
    public void LoseInventoryWrites(Func<StoredInventory, bool>? refused) { lock (_lock) _lostInventoryWrites = refused; }

    /// <summary>Someone deletes <paramref name="reference"/> and creates it anew (a new uid) just before the executor deletes it.</summary>
    public void ReplaceBeforeDelete(ObjectRef reference) { lock (_lock) _replacedBeforeDelete = reference; }

    public Task<ApiResource?> ResourceForAsync(string apiVersion, string kind, CancellationToken ct)
    {
        lock (_lock)
        {
            ThrowIfDown();
            var resource = Catalogue.SingleOrDefault(k => k.GroupVersion == apiVersion && k.Kind == kind);
            if (resource is not null && _unavailableGroups.Contains(resource.Group))
                throw new KubeApiException($"discovery {apiVersion}", HttpStatusCode.ServiceUnavailable,
                    """{"kind":"Status","status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}""");
            return Task.FromResult(resource);
        }
    }

    public void InvalidateDiscovery() { }

    /// <summary>Like the real cache: the objects of those kinds that carry Flotilla's managed-by label, parsed on lookup.</summary>
    public Task<IReadOnlyDictionary<ObjectRef, JsonObject>> ManagedAsync(IReadOnlyCollection<ApiResource> kinds, CancellationToken ct)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<ObjectRef, JsonObject> managed = new LiveObjects(_live
                .Where(e => kinds.Any(k => k.Group == e.Key.Group && k.Kind == e.Key.Kind))
                .Where(e => e.Value["metadata"]?["labels"]?[OwnershipLabels.ManagedBy] is not null)
                .ToDictionary(e => e.Key, e => new CachedObject(e.Value)));
            return Task.FromResult(managed);
        }
    }

    public Task<JsonObject> WriteAsync(ApiResource kind, JsonObject body, WriteMethod method, bool dryRun, bool force, CancellationToken ct)
    {
        var reference = RefOf(kind, body);
        lock (_lock)
        {
            Record(new RecordedCall(dryRun ? CallKind.DryRun : CallKind.Apply, reference, method));
            if (reference.Equals(_goesDownAt)) _down = true;
            ThrowIfDown();
            if (_failures.TryGetValue(reference, out var failure) && failure(dryRun, method) is { } error) throw error;
            // As a real server: a Job's spec (its pod template) cannot be changed in place.
            if (kind == Jobs && _live.GetValueOrDefault(reference) is { } job && !JsonNode.DeepEquals(job["spec"], body["spec"]))
                throw Status(reference, dryRun, HttpStatusCode.UnprocessableEntity, "Invalid", "Job.batch is invalid: spec.template: Invalid value: field is immutable");
            if (method == WriteMethod.ServerSideApply && _noServerSideApply.Contains(kind.Kind))
                throw new HttpRequestException("An error occurred while sending the request.", new IOException("The HTTP/2 server reset the stream. HTTP/2 error code 'INTERNAL_ERROR' (0x2)."));
            var result = body.DeepClone().AsObject();
            var uid = _live.GetValueOrDefault(reference)?["metadata"]?["uid"]?.GetValue<string>() ?? $"dry-run-{reference.Name}";
            result["metadata"]!["uid"] = uid;
            if (kind == Crds) result["status"] = JsonNode.Parse("""{"conditions":[{"type":"Established","status":"True"}]}""");
            if (!dryRun) Store(kind, body.DeepClone().AsObject());
            return Task.FromResult(dryRun ? result : _live[reference].DeepClone().AsObject());
        }
    }

    public Task<bool> DeleteAsync(ApiResource kind, ObjectRef reference, string? uid, CancellationToken ct)
    {
        lock (_lock)
        {
            Record(new RecordedCall(CallKind.Delete, reference, Uid: uid));
            if (reference.Equals(_goesDownAt)) _down = true;
            ThrowIfDown();
            if (_brokenDeletes.Contains(reference)) throw new HttpRequestException("An error occurred while sending the request.", new IOException("Connection reset by peer"));
            if (reference.Equals(_replacedBeforeDelete) && _live.Remove(reference, out var replaced)) Store(kind, replaced);
            if (!_live.TryGetValue(reference, out var live)) return Task.FromResult(false);
            if (uid is not null && live["metadata"]?["uid"]?.GetValue<string>() != uid) return Task.FromResult(false);
            return Task.FromResult(_live.Remove(reference));
        }
    }

    public Task<JsonObject?> GetAsync(ApiResource kind, ObjectRef reference, CancellationToken ct)
    {
        lock (_lock)
        {
            Record(new RecordedCall(CallKind.Get, reference));
            ThrowIfDown();
            return Task.FromResult(_live.GetValueOrDefault(reference)?.DeepClone().AsObject());
        }
    }

    /// <summary>
    /// CRDs written from now on stay "names accepted, installing" (as after a server stopped between the two steps) until
    /// their conditions are cleared.
    /// </summary>
    public void StickCrdsInInstalling() { lock (_lock) _stuckInstalling = true; }

    public Task RestartEstablishingAsync(ApiResource kind, JsonObject crd, CancellationToken ct)
    {
        lock (_lock)
        {
            var reference = RefOf(kind, crd);
            Record(new RecordedCall(CallKind.RestartEstablishing, reference));
            _stuckInstalling = false;
            _live[reference]["status"] = JsonNode.Parse(Established);
            return Task.CompletedTask;
        }
    }

    public Task<bool> AnswersAsync(CancellationToken ct) { lock (_lock) return Task.FromResult(!_down); }

    public Task<StoredInventory> ReadInventoryAsync(string owner, CancellationToken ct)
    {
        lock (_lock)
        {
            Record(new RecordedCall(CallKind.ReadInventory));
            ThrowIfDown();
            return Task.FromResult(_inventories.GetValueOrDefault(owner) ?? StoredInventory.Empty);
        }
    }

    public Task WriteInventoryAsync(string owner, string bundleKey, StoredInventory inventory, CancellationToken ct)
    {
        lock (_lock)
        {
            Record(new RecordedCall(CallKind.WriteInventory, Inventory: inventory));
            ThrowIfDown();
            if (_lostInventoryWrites?.Invoke(inventory) == true) throw new HttpRequestException("the connection was reset", new IOException("reset"));
            _inventories[owner] = inventory;
            return Task.CompletedTask;
        }
    }

    public Task DeleteInventoryAsync(string owner, CancellationToken ct)
    {
        lock (_lock)
        {
            Record(new RecordedCall(CallKind.DeleteInventory));
            ThrowIfDown();
            _inventories.Remove(owner);
            return Task.CompletedTask;
        }
    }

    private void Fail(ObjectRef reference, Func<bool, WriteMethod, Exception?> failure) { lock (_lock) _failures[reference] = failure; }

    private static KubeApiException Status(ObjectRef reference, bool dryRun, HttpStatusCode code, string reason, string message)
    {
        var status = new JsonObject { ["kind"] = "Status", ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = (int)code };
        var subject = $"{reference.Kind}/{(reference.Namespace.Length == 0 ? "" : reference.Namespace + "/")}{reference.Name} {(dryRun ? "dry-run" : "apply")}";
        return new KubeApiException(subject, code, status.ToJsonString());
    }

    private string Store(ApiResource kind, JsonObject obj)
    {
        var reference = RefOf(kind, obj);
        var uid = _live.GetValueOrDefault(reference)?["metadata"]?["uid"]?.GetValue<string>() ?? $"uid-{++_uids}";
        obj["metadata"]!["uid"] = uid;
        // Every write is a new resourceVersion, as on a real server.
        obj["metadata"]!["resourceVersion"] = (++_versions).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (kind == Crds) obj["status"] = JsonNode.Parse(_stuckInstalling ? Installing : Established);
        // An apply leaves the status subresource alone.
        if (kind == Jobs && obj["status"] is null && _live.GetValueOrDefault(reference)?["status"] is { } status) obj["status"] = status.DeepClone();
        _live[reference] = obj;
        return uid;
    }

    private static ObjectRef RefOf(ApiResource kind, JsonObject obj) =>
        new(kind.Group, kind.Version, kind.Kind, kind.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "" : "", obj["metadata"]!["name"]!.GetValue<string>());

    private void Record(RecordedCall call) => _calls.Add(call);

    private void ThrowIfDown()
    {
        if (_down) throw new HttpRequestException("Connection refused (127.0.0.1:6443)", new IOException("Connection refused"));
    }
}
