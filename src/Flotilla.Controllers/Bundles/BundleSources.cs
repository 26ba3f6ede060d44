using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Which source each bundle reads (kept from the Bundle watch): a new revision or chart index queues only the bundles
/// of that source, without listing Bundles on the hub.
/// </summary>
public sealed class BundleSources
{
    private readonly ConcurrentDictionary<string, string> _sourceOf = new(StringComparer.Ordinal);

    /// <summary>Records a bundle as seen (null: gone).</summary>
    public void Observe(string bundleKey, JsonObject? bundle)
    {
        if (bundle?["spec"]?["sourceRef"] is not JsonObject reference)
        {
            _sourceOf.TryRemove(bundleKey, out _);
            return;
        }
        // As the bundle's reconcile reads it: any kind but HelmRepository names a GitRepository.
        var kind = reference["kind"]?.GetValue<string>() == HelmRepositoryResource.KindName ? HelmRepositoryResource.KindName : GitRepositoryKind;
        _sourceOf[bundleKey] = Key(kind, ObjectKey.Of(ObjectKey.Split(bundleKey).Namespace, reference["name"]?.GetValue<string>() ?? ""));
    }

    /// <summary>The bundles that read the GitRepository <paramref name="source"/> (<c>namespace/name</c>).</summary>
    public IReadOnlyList<string> ReadingGitRepository(string source) => Reading(Key(GitRepositoryKind, source));

    /// <summary>The bundles that read the HelmRepository <paramref name="source"/> (<c>namespace/name</c>).</summary>
    public IReadOnlyList<string> ReadingHelmRepository(string source) => Reading(Key(HelmRepositoryResource.KindName, source));

    private const string GitRepositoryKind = "GitRepository";

    private IReadOnlyList<string> Reading(string source) => [.. _sourceOf.Where(p => p.Value == source).Select(p => p.Key)];

    private static string Key(string kind, string source) => $"{kind}/{source}";
}
