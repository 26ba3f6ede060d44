using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Watch;

/// <summary>
/// A watch source for one kind on one member, limited by a label selector and to namespace <paramref name="ns"/> (null: all);
/// <paramref name="metadataOnly"/>: objects carry only their metadata (cheaper for the server to send and for us to read,
/// when that is all the watcher uses).
/// </summary>
public sealed class DynamicWatchSource(DynamicClient client, ApiResource resource, string? labelSelector, bool metadataOnly = false, string? ns = null) : IWatchSource
{
    public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
    {
        var list = await client.ListAsync(resource, ns, labelSelector, ct, metadataOnly);
        var items = (list["items"]?.AsArray() ?? []).Select(i => i!.AsObject()).ToList();
        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0");
    }

    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in client.WatchAsync(resource, labelSelector, resourceVersion, TimeSpan.FromMinutes(5), ct, metadataOnly, ns)) yield return e;
    }
}
