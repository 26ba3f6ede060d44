using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Kube.Discovery;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>
/// Untyped access to any kind on one cluster — the narrow seam the sync engine writes through. Resources are
/// found by discovery (cached per group/version, refreshed when a kind is missing, e.g. right after its CRD
/// was applied). 429 answers are retried after the server's Retry-After. Counts the writes it sends.
/// </summary>
public sealed class DynamicClient(Kubernetes client, int maxThrottleRetries = 5)
{
    // Metadata-only answers (PartialObjectMetadata): the server skips encoding spec, data and status, and the
    // reader skips parsing them — for callers that look only at names, labels, versions and managedFields.
    // Plain JSON is the fallback (as client-go asks) for a server that cannot answer in that form.
    private const string MetadataOnly = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json";
    private const string MetadataListOnly = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ApiResource>> _discovery = new(StringComparer.Ordinal);

    // Kinds already resolved, as completed tasks: a sync resolves every object's kind, and an async method answering
    // from the cache still allocates a task per call (two with the group-version lookup).
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind), Task<ApiResource?>> _resolved = new();
    private long _writes;
    private long _reads;

    /// <summary>Writes sent (apply, delete — not dry-runs) since the client was made.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Read requests sent (get, list, discovery, dry-runs) since the client was made.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The underlying typed client.</summary>
    public Kubernetes Client => client;

    /// <summary>Requests in flight to this member, adapted to how it answers (AIMD); watches are not counted.</summary>
    public AdaptiveConcurrency Concurrency { get; } = new();

    /// <summary>True when the server answers <c>/version</c> (used to tell one object's transport error from a lost cluster).</summary>
    public async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "/version", null, null, write: false, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException) { return false; }
    }

    /// <summary>The resource serving <paramref name="kind"/> in <paramref name="apiVersion"/>, or null if the server has none.</summary>
    public Task<ApiResource?> ResourceForAsync(string apiVersion, string kind, CancellationToken ct) =>
        _resolved.TryGetValue((apiVersion, kind), out var known) ? known : ResolveAsync(apiVersion, kind, ct);

    private async Task<ApiResource?> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var resources = await GroupVersionAsync(apiVersion, refresh: attempt > 0, ct);
            // A group-version read again may have lost kinds resolved from the old answer.
            if (attempt > 0)
                foreach (var key in _resolved.Keys)
                    if (key.ApiVersion == apiVersion) _resolved.TryRemove(key, out _);
            if (resources.TryGetValue(kind, out var resource))
            {
                _resolved.TryAdd((apiVersion, kind), Task.FromResult<ApiResource?>(resource));
                return resource;
            }
        }
        return null;
    }

    /// <summary>Forgets cached discovery (after CRDs changed).</summary>
    public void InvalidateDiscovery()
    {
        _discovery.Clear();
        _resolved.Clear();
    }

    /// <summary>The live object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, resource.ObjectPath(ns, name), null, null, write: false, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadObjectAsync(response, $"{resource.Kind}/{Qualified(ns, name)}", ct);
    }

    /// <summary>Lists objects (all namespaces for namespaced kinds), optionally by label selector.</summary>
    public Task<JsonObject> ListAsync(ApiResource resource, string? labelSelector, CancellationToken ct) => ListAsync(resource, null, labelSelector, ct);

    /// <summary>Lists objects of one namespace (null: all), optionally by label selector; <paramref name="metadataOnly"/>: items carry only metadata.</summary>
    public async Task<JsonObject> ListAsync(ApiResource resource, string? ns, string? labelSelector, CancellationToken ct, bool metadataOnly = false)
    {
        var query = labelSelector is null ? "" : $"?labelSelector={Uri.EscapeDataString(labelSelector)}";
        using var response = await SendAsync(HttpMethod.Get, resource.CollectionPath(ns) + query, null, metadataOnly ? MetadataListOnly : null, write: false, ct);
        return await ReadObjectAsync(response, $"list {resource.Plural}", ct);
    }

    /// <summary>
    /// Server-side apply with field manager <c>flotilla</c>; <paramref name="dryRun"/> validates and defaults
    /// without persisting. Throws <see cref="KubeApiException"/> (422 invalid, 409 conflict, …) naming the object.
    /// <paramref name="metadataOnly"/>: the answer carries only the object's metadata (when only success matters).
    /// </summary>
    public async Task<JsonObject> ApplyAsync(ApiResource resource, JsonObject obj, bool dryRun, bool force, CancellationToken ct, bool metadataOnly = false)
    {
        var metadata = obj["metadata"]!.AsObject();
        var ns = resource.Namespaced ? metadata["namespace"]?.GetValue<string>() : null;
        var name = metadata["name"]!.GetValue<string>();
        var query = $"?fieldManager={Api.FlotillaApi.FieldManager}{(force ? "&force=true" : "")}{(dryRun ? "&dryRun=All" : "")}";
        using var response = await SendAsync(HttpMethod.Patch, resource.ObjectPath(ns, name) + query, new Body(obj, "application/apply-patch+yaml"), metadataOnly ? MetadataOnly : null, write: !dryRun, ct);
        return await ReadObjectAsync(response, $"{resource.Kind}/{Qualified(ns, name)} {(dryRun ? "dry-run" : "apply")}", ct);
    }

    /// <summary>
    /// Creates the object (POST) with field manager <c>flotilla</c>: the fallback for kinds a server cannot
    /// server-side apply. Throws <see cref="KubeApiException"/> (409 when it exists).
    /// </summary>
    public async Task<JsonObject> CreateAsync(ApiResource resource, JsonObject obj, bool dryRun, CancellationToken ct)
    {
        var ns = resource.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() : null;
        var query = $"?fieldManager={Api.FlotillaApi.FieldManager}{(dryRun ? "&dryRun=All" : "")}";
        using var response = await SendAsync(HttpMethod.Post, resource.CollectionPath(ns) + query, new Body(obj, Body.Json), null, write: !dryRun, ct);
        return await ReadObjectAsync(response, $"{resource.Kind}/{Qualified(ns, obj["metadata"]!["name"]!.GetValue<string>())} {(dryRun ? "dry-run create" : "create")}", ct);
    }

    /// <summary>JSON merge patch with field manager <c>flotilla</c>: the other half of the apply fallback.</summary>
    public async Task<JsonObject> MergePatchAsync(ApiResource resource, JsonObject obj, bool dryRun, CancellationToken ct)
    {
        var ns = resource.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() : null;
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        var query = $"?fieldManager={Api.FlotillaApi.FieldManager}{(dryRun ? "&dryRun=All" : "")}";
        using var response = await SendAsync(HttpMethod.Patch, resource.ObjectPath(ns, name) + query, new Body(obj, Body.MergePatch), null, write: !dryRun, ct);
        return await ReadObjectAsync(response, $"{resource.Kind}/{Qualified(ns, name)} {(dryRun ? "dry-run merge patch" : "merge patch")}", ct);
    }

    /// <summary>JSON merge patch of a cluster-scoped object's <c>status</c> subresource.</summary>
    public Task<JsonObject> MergePatchStatusAsync(ApiResource resource, string name, JsonObject patch, CancellationToken ct) =>
        MergePatchStatusAsync(resource, null, name, patch, ct);

    /// <summary>JSON merge patch of an object's <c>status</c> subresource (<paramref name="ns"/> null: cluster-scoped).</summary>
    public async Task<JsonObject> MergePatchStatusAsync(ApiResource resource, string? ns, string name, JsonObject patch, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Patch, resource.ObjectPath(ns, name) + $"/status?fieldManager={Api.FlotillaApi.FieldManager}", new Body(patch, Body.MergePatch), null, write: true, ct);
        return await ReadObjectAsync(response, $"{resource.Kind}/{Qualified(ns, name)} status merge patch", ct);
    }

    /// <summary>
    /// Deletes (background propagation); false when it was already gone. With <paramref name="uid"/>, only that
    /// exact object (a same-named object created since is left alone: 409, reported as false).
    /// </summary>
    public async Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken ct, string? uid = null)
    {
        var options = new JsonObject { ["propagationPolicy"] = "Background" };
        if (uid is not null) options["preconditions"] = new JsonObject { ["uid"] = uid };
        using var response = await SendAsync(HttpMethod.Delete, resource.ObjectPath(ns, name), new Body(options, Body.Json), null, write: true, ct);
        if (response.StatusCode is HttpStatusCode.NotFound || (uid is not null && response.StatusCode == HttpStatusCode.Conflict)) return false;
        if (!response.IsSuccessStatusCode)
            throw new KubeApiException($"{resource.Kind}/{Qualified(ns, name)} delete", response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        return true;
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks, in namespace <paramref name="ns"/> (null: all). Ends when
    /// the server closes the stream; a 410 Gone (as an ERROR event or a status) throws <see cref="KubeApiException"/> with
    /// <see cref="HttpStatusCode.Gone"/>.
    /// </summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(ApiResource resource, string? labelSelector,
        string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct, bool metadataOnly = false, string? ns = null)
    {
        var query = $"?watch=1&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)timeout.TotalSeconds}"
            + (labelSelector is null ? "" : $"&labelSelector={Uri.EscapeDataString(labelSelector)}");
        using var response = await SendAsync(HttpMethod.Get, resource.CollectionPath(ns) + query, null, metadataOnly ? MetadataOnly : null, write: false, ct, streaming: true);
        if (!response.IsSuccessStatusCode)
            throw new KubeApiException($"watch {resource.Plural}", response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            var evt = JsonNode.Parse(line)!.AsObject();
            var type = evt["type"]!.GetValue<string>();
            var obj = evt["object"]!.AsObject();
            if (type == "ERROR")
            {
                var code = obj["code"]?.GetValue<int>() ?? 500;
                throw new KubeApiException($"watch {resource.Plural}", (HttpStatusCode)code, obj.ToJsonString());
            }
            yield return (type, obj);
        }
    }

    private async Task<IReadOnlyDictionary<string, ApiResource>> GroupVersionAsync(string apiVersion, bool refresh, CancellationToken ct)
    {
        if (!refresh && _discovery.TryGetValue(apiVersion, out var cached)) return cached;
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        using var response = await SendAsync(HttpMethod.Get, path, null, null, write: false, ct);
        var map = new Dictionary<string, ApiResource>(StringComparer.Ordinal);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            var list = await ReadObjectAsync(response, $"discovery {apiVersion}", ct);
            foreach (var r in list["resources"]?.AsArray() ?? [])
            {
                var plural = r!["name"]!.GetValue<string>();
                if (plural.Contains('/')) continue;
                map[r["kind"]!.GetValue<string>()] = new ApiResource(group, version, r["kind"]!.GetValue<string>(), plural, r["namespaced"]!.GetValue<bool>());
            }
        }
        _discovery[apiVersion] = map;
        return map;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Body? body, string? accept,
        bool write, CancellationToken ct, bool streaming = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path.TrimStart('/')));
            if (body is not null) request.Content = body.Content();
            foreach (var type in (accept ?? "application/json").Split(", ")) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(type));
            if (client.Credentials is not null) await client.Credentials.ProcessHttpRequestAsync(request, ct);
            Interlocked.Increment(ref write ? ref _writes : ref _reads);
            HttpResponseMessage response;
            if (streaming) response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            else
            {
                using var slot = await Concurrency.AcquireAsync(ct);
                var started = Stopwatch.GetTimestamp();
                response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                Concurrency.Record(Stopwatch.GetElapsedTime(started), response.StatusCode == HttpStatusCode.TooManyRequests);
            }
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxThrottleRetries) return response;
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Min(1 << attempt, 8));
            response.Dispose();
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>
    /// A request body, serialised once as UTF-8 (a request is sent again after a 429, and each send needs its own
    /// content object, which here only wraps the same bytes).
    /// </summary>
    private sealed class Body
    {
        public const string Json = "application/json; charset=utf-8";
        public const string MergePatch = "application/merge-patch+json";

        private readonly MemoryStream _bytes = new();
        private readonly string _type;

        public Body(JsonNode node, string contentType)
        {
            using (var writer = new Utf8JsonWriter(_bytes)) node.WriteTo(writer);
            _type = contentType;
        }

        public HttpContent Content() => new ByteArrayContent(_bytes.GetBuffer(), 0, (int)_bytes.Length) { Headers = { ContentType = MediaTypeHeaderValue.Parse(_type) } };
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, string subject, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw new KubeApiException(subject, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        // Parsed from the buffered UTF-8 bytes: as a string first, each answer was decoded to UTF-16 and encoded back.
        try { return JsonNode.Parse(await response.Content.ReadAsStreamAsync(ct))!.AsObject(); }
        catch (JsonException) { throw new KubeApiException(subject, HttpStatusCode.InternalServerError, "{\"message\":\"the server answered with invalid JSON\"}"); }
    }

    private static string Qualified(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
