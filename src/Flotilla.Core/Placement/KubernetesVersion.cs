using System.Globalization;

namespace Flotilla.Core.Placement;

/// <summary>
/// The numeric core of a Kubernetes version (<c>v1.20.2</c> → 1.20.2), compared part by part so v1.9 &lt; v1.20.
/// Whatever follows the numbers (<c>-eks-a5565ad</c>, <c>+k3s1</c>, <c>-rc.1</c>) is ignored: providers append build
/// markers that semver would sort as pre-releases, and <c>Ge v1.27.3</c> must hold on <c>v1.27.3-eks-…</c>.
/// </summary>
internal readonly record struct KubernetesVersion(int Major, int Minor, int Patch) : IComparable<KubernetesVersion>
{
    /// <summary>An optional <c>v</c>, one to three dot-separated numbers, then nothing or a suffix starting with '-' or '+'.</summary>
    public static bool TryParse(string? text, out KubernetesVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) return false;
        var span = text.AsSpan();
        if (span[0] is 'v' or 'V') span = span[1..];
        var end = span.IndexOfAny('-', '+');
        if (end >= 0) span = span[..end];
        Span<int> parts = stackalloc int[3];
        var count = 0;
        foreach (var range in span.Split('.'))
        {
            if (count == 3 || !int.TryParse(span[range], NumberStyles.None, CultureInfo.InvariantCulture, out parts[count])) return false;
            count++;
        }
        version = new KubernetesVersion(parts[0], parts[1], parts[2]);
        return true;
    }

    public int CompareTo(KubernetesVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);
}
