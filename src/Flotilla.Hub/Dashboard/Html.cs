using System.Text.Encodings.Web;

namespace Flotilla.Hub.Dashboard;

/// <summary>Encoding for the server-rendered pages: every value from the hub goes through <see cref="E"/>.</summary>
public static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>Encodes one query or path segment.</summary>
    public static string U(string? text) => Uri.EscapeDataString(text ?? "");

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null) return "never";
        var age = now - at.Value;
        return age.TotalSeconds < 90 ? $"{Math.Max(0, age.TotalSeconds):0}s ago"
            : age.TotalMinutes < 90 ? $"{age.TotalMinutes:0}m ago"
            : age.TotalHours < 36 ? $"{age.TotalHours:0}h ago" : $"{age.TotalDays:0}d ago";
    }

    /// <summary>A status word as a coloured badge (the CSS class is the word itself, from a closed set of styles).</summary>
    public static string Badge(string? status) => $"<span class=\"b b-{E(status)}\">{E(status ?? "-")}</span>";

    public static string BundleLink(string ns, string name) => $"<a href=\"/bundles/{U(ns)}/{U(name)}\">{E(ns)}/{E(name)}</a>";

    public static string ClusterLink(string name) => $"<a href=\"/clusters/{U(name)}\">{E(name)}</a>";
}
