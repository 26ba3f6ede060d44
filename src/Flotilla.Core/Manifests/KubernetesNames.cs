namespace Flotilla.Core.Manifests;

/// <summary>Name syntax rules of the Kubernetes API machinery, written as loops (no regex on untrusted input).</summary>
internal static class KubernetesNames
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    /// <summary>RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63.</summary>
    public static bool IsDnsLabel(string value) =>
        value.Length is > 0 and <= MaxLabelLength && IsLabelBody(value.AsSpan());

    /// <summary>RFC 1123 subdomain: dot-separated labels, at most 253 characters.</summary>
    public static bool IsDnsSubdomain(string value)
    {
        if (value.Length is 0 or > MaxSubdomainLength)
        {
            return false;
        }

        foreach (var range in value.AsSpan().Split('.'))
        {
            if (!IsLabelBody(value.AsSpan()[range]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A path-segment name (what RBAC objects allow, e.g. <c>system:controller:foo</c>): not <c>.</c> or
    /// <c>..</c>, no <c>/</c> or <c>%</c>; additionally no whitespace or control characters, at most 253.
    /// </summary>
    public static bool IsPathSegmentName(string value)
    {
        if (value.Length is 0 or > MaxSubdomainLength || value is "." or "..")
        {
            return false;
        }

        foreach (var ch in value)
        {
            if (ch is '/' or '%' || char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A kind: an ASCII letter followed by ASCII letters and digits, at most 63.</summary>
    public static bool IsKind(string value)
    {
        if (value.Length is 0 or > MaxLabelLength || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        foreach (var ch in value)
        {
            if (!char.IsAsciiLetterOrDigit(ch))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLabelBody(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var ch in label)
        {
            if (!(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
