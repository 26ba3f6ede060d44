namespace Flotilla.Core.Placement;

/// <summary>One line of <c>flotilla placement explain</c>: already text, in the order of <see cref="PlacementExplainer.Headers"/>.</summary>
public sealed record ExplainRow(string Cluster, string Selected, string Score, string Reason)
{
    public IReadOnlyList<string> Cells => [Cluster, Selected, Score, Reason];
}
