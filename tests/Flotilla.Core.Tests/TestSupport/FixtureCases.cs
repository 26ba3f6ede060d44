namespace Flotilla.Core.Tests.TestSupport;

/// <summary>Fixture directories (<c>testdata/&lt;engine&gt;/&lt;case&gt;/</c>) and their <c># key: value</c> header lines.</summary>
internal static class FixtureCases
{
    public static string[] In(string directory) =>
        Directory.GetDirectories(directory)
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The <c># key: value</c> lines at the top of a fixture, in order (a key may repeat).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Header(string text) =>
        text.Split('\n')
            .TakeWhile(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim())
            .Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => KeyValuePair.Create(l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
}
