using System.Security.Cryptography;
using System.Text;

namespace Flotilla.Core.Charts;

/// <summary>
/// Everything one <c>helm template</c> depends on. Two clusters with equal keys get the same objects, so the chart
/// is rendered once for them: a fleet of 500 clusters sharing a revision, values and Kubernetes version costs one
/// render. <see cref="ApiVersions"/> is kept sorted, so the order discovery answered in does not matter.
/// </summary>
public sealed record ChartRenderKey(
    string Source,
    string ChartPath,
    string ReleaseName,
    string Namespace,
    string ValuesJson,
    string KubeVersion,
    IReadOnlyList<string> ApiVersions,
    bool IncludeTests,
    bool SkipCrds)
{
    /// <summary>A digest of every field: the cache key, and short enough to log.</summary>
    public string Id { get; } = Digest(Source, ChartPath, ReleaseName, Namespace, ValuesJson, KubeVersion, ApiVersions, IncludeTests, SkipCrds);

    public bool Equals(ChartRenderKey? other) => other is not null && Id == other.Id;

    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    /// <summary>The API versions as helm takes them: sorted ordinally, duplicates removed.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> apiVersions) =>
        apiVersions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static string Digest(string source, string chartPath, string release, string ns, string values, string kubeVersion,
        IReadOnlyList<string> apiVersions, bool includeTests, bool skipCrds)
    {
        // Each field is length-prefixed so no two different keys can write the same text.
        var text = new StringBuilder();
        foreach (var field in new[] { source, chartPath, release, ns, values, kubeVersion, includeTests ? "tests" : "", skipCrds ? "skip-crds" : "" }.Concat(Normalize(apiVersions)))
        {
            text.Append(field.Length).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
