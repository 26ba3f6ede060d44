namespace Flotilla.Core.Placement;

/// <summary>
/// A toleration as written: <see cref="Operator"/> <c>Equal</c> (default) or <c>Exists</c>; an empty
/// <see cref="Key"/> with <c>Exists</c> tolerates every taint; an empty <see cref="Effect"/> matches every effect.
/// <see cref="TolerationSeconds"/> (NoSelect and PreferNoSelect only) keeps <em>current</em> placements on the
/// tainted cluster until the taint's timeAdded plus that many seconds, and admits no new ones; null tolerates for good.
/// </summary>
public sealed record TolerationSpec(string? Key = null, string? Operator = null, string? Value = null, string? Effect = null, long? TolerationSeconds = null);
