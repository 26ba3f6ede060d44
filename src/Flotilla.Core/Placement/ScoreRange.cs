namespace Flotilla.Core.Placement;

/// <summary>
/// The range a normalised prioritizer scored over: the lowest and highest known value among the feasible clusters, and
/// how many clusters hold each. The counts let a one-cluster change tell whether the range moved (then every score
/// moves) without looking at the other clusters.
/// </summary>
internal readonly record struct ScoreRange(decimal Min, decimal Max, int AtMin, int AtMax)
{
    /// <summary>This range without one cluster's value, or null when the range would move (or empty).</summary>
    public ScoreRange? Without(decimal value)
    {
        var (atMin, atMax) = (value == Min ? AtMin - 1 : AtMin, value == Max ? AtMax - 1 : AtMax);
        return atMin == 0 || atMax == 0 ? null : this with { AtMin = atMin, AtMax = atMax };
    }

    /// <summary>This range with one more cluster's value, or null when the value lies outside it (the range would move).</summary>
    public ScoreRange? With(decimal value) =>
        value < Min || value > Max ? null : this with { AtMin = value == Min ? AtMin + 1 : AtMin, AtMax = value == Max ? AtMax + 1 : AtMax };
}
