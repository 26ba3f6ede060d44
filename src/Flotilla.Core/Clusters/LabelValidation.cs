using System.Text.RegularExpressions;

namespace Flotilla.Core.Clusters;

/// <summary>Kubernetes rules for label keys and values, and for object names.</summary>
public static partial class LabelValidation
{
    /// <summary>An optional DNS-subdomain prefix (≤253) and a name (≤63) of alphanumerics, '-', '_', '.'.</summary>
    public static bool IsValidKey(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && !IsDnsSubdomain(key[..slash])) return false;
        return name.Length is > 0 and <= 63 && QualifiedName().IsMatch(name);
    }

    /// <summary>Empty, or ≤63 alphanumerics, '-', '_', '.' beginning and ending alphanumeric.</summary>
    public static bool IsValidValue(string value) => value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value));

    /// <summary>A DNS-1123 subdomain (lowercase, ≤253), the rule for most object names.</summary>
    public static bool IsDnsSubdomain(string name) => name.Length is > 0 and <= 253 && Subdomain().IsMatch(name);

    /// <summary>A DNS-1123 label (lowercase, ≤63), the rule for namespaces and cluster names here.</summary>
    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= 63 && DnsLabel().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
