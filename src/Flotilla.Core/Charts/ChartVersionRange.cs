namespace Flotilla.Core.Charts;

/// <summary>
/// A chart version constraint as Helm writes them: an exact version, <c>*</c>, wildcards (<c>1.x</c>, <c>1.2.*</c>),
/// comparisons (<c>&gt;=1.2.0 &lt;2.0.0</c>, comma or space for "and"), <c>^1.2</c> (same major), <c>~1.2</c> (same minor),
/// hyphen ranges (<c>1.2 - 1.4</c>) and <c>||</c> for "or". Prereleases match only a constraint that names one, as in Helm.
/// </summary>
public sealed class ChartVersionRange
{
    private readonly List<List<(string Op, ChartVersion Version)>> _alternatives;
    private readonly bool _allowsPrerelease;

    private ChartVersionRange(List<List<(string Op, ChartVersion Version)>> alternatives, bool allowsPrerelease)
    {
        _alternatives = alternatives;
        _allowsPrerelease = allowsPrerelease;
    }

    /// <summary>The range, or null with <paramref name="problem"/> saying what does not parse.</summary>
    public static ChartVersionRange? Parse(string text, out string? problem)
    {
        problem = null;
        var alternatives = new List<List<(string, ChartVersion)>>();
        foreach (var alternative in text.Split("||"))
        {
            var terms = new List<(string, ChartVersion)>();
            var words = Normalize(alternative).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length; i++)
            {
                if (i + 2 < words.Length && words[i + 1] == "-")
                {
                    if (Term(">=" + words[i], terms) is { } low) { problem = low; return null; }
                    if (Term("<=" + words[i + 2], terms) is { } high) { problem = high; return null; }
                    i += 2;
                }
                else if (Term(words[i], terms) is { } bad)
                {
                    problem = bad;
                    return null;
                }
            }

            alternatives.Add(terms);
        }

        return new ChartVersionRange(alternatives, text.Contains('-', StringComparison.Ordinal) && !text.Contains(" - ", StringComparison.Ordinal));
    }

    /// <summary>True when <paramref name="version"/> satisfies the range.</summary>
    public bool Allows(ChartVersion version)
    {
        if (version.Prerelease.Length > 0 && !_allowsPrerelease) return false;
        return _alternatives.Any(terms => terms.All(t => Holds(t.Op, version, t.Version)));
    }

    /// <summary>The highest of <paramref name="versions"/> the range allows, or null.</summary>
    public ChartVersion? Highest(IEnumerable<ChartVersion> versions) => versions.Where(Allows).Max();

    // "> = 1.2" and ">= 1.2" are written both ways: glue an operator to its version.
    private static string Normalize(string text)
    {
        var glued = text.Trim();
        foreach (var op in new[] { ">=", "<=", "!=", ">", "<", "=", "^", "~" })
            glued = System.Text.RegularExpressions.Regex.Replace(glued, $"{System.Text.RegularExpressions.Regex.Escape(op)}\\s+", op);
        return glued;
    }

    private static string? Term(string word, List<(string, ChartVersion)> terms)
    {
        var op = new[] { ">=", "<=", "!=", ">", "<", "=", "^", "~" }.FirstOrDefault(word.StartsWith) ?? "";
        var rest = word[op.Length..].TrimStart('v');
        if (rest is "*" or "x" or "X" or "") return op.Length == 0 ? null : $"\"{word}\" is not a version constraint";
        var parts = rest.Split('-')[0].Split('.');
        var wild = Array.FindIndex(parts, p => p is "*" or "x" or "X");
        var given = wild >= 0 ? wild : parts.Length;
        var version = ChartVersion.Parse(string.Join('.', parts.Take(given).DefaultIfEmpty("0")) + (rest.Contains('-') && wild < 0 ? rest[rest.IndexOf('-')..] : ""));
        if (version is null) return $"\"{word}\" is not a version constraint";
        switch (op)
        {
            case "" or "=" when given < 3:
            case "~":
                terms.Add((">=", version));
                terms.Add(("<", given <= 1 && op != "~" || given == 1 ? version with { Major = version.Major + 1, Minor = 0, Patch = 0, Prerelease = "" }
                    : version with { Minor = version.Minor + 1, Patch = 0, Prerelease = "" }));
                break;
            case "^":
                terms.Add((">=", version));
                terms.Add(("<", version.Major > 0 || given == 1 ? version with { Major = version.Major + 1, Minor = 0, Patch = 0, Prerelease = "" }
                    : version.Minor > 0 || given == 2 ? version with { Minor = version.Minor + 1, Patch = 0, Prerelease = "" }
                    : version with { Patch = version.Patch + 1, Prerelease = "" }));
                break;
            case "<=" or ">" when given < 3:
                // A partial bound covers its whole minor (or major): "<=1.2" is "<1.3.0", ">1.2" is ">=1.3.0".
                var next = given <= 1 ? version with { Major = version.Major + 1, Minor = 0, Patch = 0 } : version with { Minor = version.Minor + 1, Patch = 0 };
                terms.Add((op == "<=" ? "<" : ">=", next));
                break;
            default:
                terms.Add((op.Length == 0 ? "=" : op, version));
                break;
        }

        return null;
    }

    private static bool Holds(string op, ChartVersion version, ChartVersion bound)
    {
        var order = version.CompareTo(bound);
        return op switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            ">" => order > 0,
            ">=" => order >= 0,
            "<" => order < 0,
            "<=" => order <= 0,
            _ => false,
        };
    }
}
