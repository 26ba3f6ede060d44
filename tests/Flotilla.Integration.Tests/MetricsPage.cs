using System.Globalization;

namespace Flotilla.Integration.Tests;

/// <summary>Reads samples from a Prometheus text page (a hub's or an API server's /metrics).</summary>
public static class MetricsPage
{
    /// <summary>The sum of <paramref name="name"/>'s labelled samples whose label text holds every one of <paramref name="labels"/>.</summary>
    public static double Sum(string page, string name, params string[] labels) =>
        page.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
