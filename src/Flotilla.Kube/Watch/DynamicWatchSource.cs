using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Discovery;

namespace Flotilla.Kube.Watch;

/// <summary>A watch source for one kind on one member, limited by a label selector.</summary>
public sealed class DynamicWatchSource(DynamicClient client, ApiResource resource, string? labelSelector) : IWatchSource
{
    public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(CancellationToken ct)
    {
        var list = await client.ListAsync(resource, labelSelector, ct);
        var items = (list["items"]?.AsArray() ?? []).Select(i => i!.AsObject()).ToList();
        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0");
    }

    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in client.WatchAsync(resource, labelSelector, resourceVersion, TimeSpan.FromMinutes(5), ct)) yield return e;
    }
}
