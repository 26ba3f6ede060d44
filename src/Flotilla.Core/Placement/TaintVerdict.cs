namespace Flotilla.Core.Placement;

/// <summary>
/// What a cluster's taints say about one bundle: <see cref="Rejection"/> keeps it out; otherwise <see cref="Avoid"/>
/// (an untolerated PreferNoSelect taint) ranks it behind every untainted cluster, and <see cref="GraceUntil"/> is the
/// earliest time a timed toleration that is keeping a current placement runs out.
/// </summary>
internal readonly record struct TaintVerdict(string? Rejection, ClusterTaint? Avoid, DateTimeOffset? GraceUntil);
