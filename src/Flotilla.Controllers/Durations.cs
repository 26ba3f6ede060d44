using System.Text.RegularExpressions;

namespace Flotilla.Controllers;

/// <summary>Go-style durations as CRDs write them: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>.</summary>
public static partial class Durations
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var matches = Part().Matches(text);
        if (matches.Sum(m => m.Length) != text.Length || matches.Count == 0) throw new ArgumentException($"invalid duration \"{text}\" (use e.g. 30s, 5m, 1h)");
        return matches.Aggregate(TimeSpan.Zero, (total, m) => total + (m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(double.Parse(m.Groups[1].Value)),
            "s" => TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value)),
            "m" => TimeSpan.FromMinutes(double.Parse(m.Groups[1].Value)),
            _ => TimeSpan.FromHours(double.Parse(m.Groups[1].Value)),
        }));
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
