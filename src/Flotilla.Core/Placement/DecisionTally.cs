namespace Flotilla.Core.Placement;

/// <summary>
/// What a full decision counted besides its outcomes, so that <see cref="PlacementSnapshot"/> can tell whether a change
/// to a few clusters reaches the others: how many feasible clusters are not avoided (when that drops to zero, or rises
/// from zero, every avoided cluster's selection flips), each prioritizer's range (when it moves, every score moves),
/// and how many clusters hold a toleration grace and how many of those end at <see cref="PlacementDecision.RecheckAt"/>.
/// </summary>
internal sealed record DecisionTally(int Preferred, ScoreRange?[] Ranges, int Graced, int AtRecheck);
