using System.Globalization;

namespace Flotilla.Core.Charts;

/// <summary>A semantic version as charts use it (<c>1.2.3</c>, <c>v1.2.3</c>, <c>1.2.3-rc.1+build</c>), ordered by SemVer 2.0.</summary>
public sealed record ChartVersion(long Major, long Minor, long Patch, string Prerelease) : IComparable<ChartVersion>
{
    /// <summary>The version, or null when <paramref name="text"/> is not one (a missing minor or patch counts as 0).</summary>
    public static ChartVersion? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var core = text.Trim().TrimStart('v');
        var plus = core.IndexOf('+');
        if (plus >= 0) core = core[..plus];
        var dash = core.IndexOf('-');
        var prerelease = dash >= 0 ? core[(dash + 1)..] : "";
        if (dash >= 0) core = core[..dash];
        var parts = core.Split('.');
        if (parts.Length is < 1 or > 3) return null;
        var numbers = new long[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return null;
        }

        return new ChartVersion(numbers[0], numbers[1], numbers[2], prerelease);
    }

    public int CompareTo(ChartVersion? other)
    {
        if (other is null) return 1;
        var order = Major.CompareTo(other.Major);
        if (order == 0) order = Minor.CompareTo(other.Minor);
        if (order == 0) order = Patch.CompareTo(other.Patch);
        if (order != 0) return order;
        // A release ranks above its prereleases; prereleases compare field by field, numbers below words.
        if (Prerelease.Length == 0 || other.Prerelease.Length == 0) return other.Prerelease.Length.CompareTo(Prerelease.Length) switch { 0 => 0, var c => c };
        var mine = Prerelease.Split('.');
        var theirs = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            var a = long.TryParse(mine[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
            var b = long.TryParse(theirs[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
            var field = a && b ? x.CompareTo(y) : a ? -1 : b ? 1 : string.CompareOrdinal(mine[i], theirs[i]);
            if (field != 0) return field;
        }

        return mine.Length.CompareTo(theirs.Length);
    }

    public override string ToString() => $"{Major}.{Minor}.{Patch}{(Prerelease.Length > 0 ? "-" + Prerelease : "")}";
}
