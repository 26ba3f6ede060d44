using System.Security.Cryptography;
using System.Text;

namespace Flotilla.Core.Sync;

/// <summary>Labels and annotations Flotilla puts on what it applies; prune touches only objects carrying them.</summary>
public static class OwnershipLabels
{
    /// <summary>Always <c>flotilla</c> on managed objects (also the watch cache's selector).</summary>
    public const string ManagedBy = "flotilla.io/managed-by";

    /// <summary>The owning bundle, <see cref="ValueFor"/>: <c>namespace.name</c>, or a hashed form when that is no valid label value.</summary>
    public const string Bundle = "flotilla.io/bundle";

    /// <summary>Annotation with the owning bundle's full <c>namespace/name</c> (the label may be hashed).</summary>
    public const string BundleName = "flotilla.io/bundle-name";

    /// <summary>Hash of the desired object last applied, so an unchanged object costs no write.</summary>
    public const string DesiredHash = "flotilla.io/desired-hash";

    public const string ManagedByValue = "flotilla";

    private const int MaxLabelValue = 63;

    /// <summary>
    /// The ownership label value of a bundle: <c>namespace.name</c> when that fits a label value (63 characters);
    /// otherwise a readable prefix and a hash of the full name, so every bundle name gives a valid, distinct value.
    /// </summary>
    public static string ValueFor(string bundleNamespace, string bundleName)
    {
        var full = $"{bundleNamespace}.{bundleName}";
        if (full.Length <= MaxLabelValue) return full;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{bundleNamespace}/{bundleName}")))[..16].ToLowerInvariant();
        // Label values start and end alphanumeric; names may hold '.' and '-', which must not end the prefix.
        var prefix = full[..(MaxLabelValue - hash.Length - 1)].TrimEnd('.', '-');
        return $"{prefix}-{hash}";
    }
}
