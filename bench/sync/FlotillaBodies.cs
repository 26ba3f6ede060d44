using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Bench.Sync;

/// <summary>
/// The bodies the dry-run+apply baseline sends: each changed object as Flotilla's rule sends it, made by the same
/// code (<see cref="DesiredObjectFactory"/>: normalised, with the ownership labels, the bundle-name annotation and
/// the desired hash that safe pruning and the no-op resync rest on), so both tools send the same requests but for
/// the namespace's name (each tool has its own) and one label value: <c>baseline</c> instead of <c>flotilla</c> (same
/// length), because the hub watches only objects labelled as its own and must not see the baseline's.
/// </summary>
public static class FlotillaBodies
{
    private const string BundleNamespace = "default";

    public static List<JsonObject> For(IEnumerable<JsonObject> objects, string bundle) =>
        [.. objects.Select(o => For(o, bundle))];

    private static JsonObject For(JsonObject o, string bundle)
    {
        if (!ManifestValidator.TryCreate(o, new SourceLocation("bench"), out var manifest, out var errors))
            throw new InvalidOperationException($"bench object refused: {string.Join("; ", errors.Select(e => e.Message))}");
        var namespaced = manifest.Ref.Kind != "Namespace";
        var body = DesiredObjectFactory.Create(manifest, namespaced, new SyncPolicy(), OwnershipLabels.ValueFor(BundleNamespace, bundle), $"{BundleNamespace}/{bundle}").Body;
        body["metadata"]!["labels"]![OwnershipLabels.ManagedBy] = "baseline";
        return body;
    }
}
