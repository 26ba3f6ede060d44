using System.Collections.Immutable;

namespace Flotilla.Cli.Plan;

/// <summary>Clusters whose dry-runs found the very same object lines and diffs, shown once under <see cref="Label"/> (A, B, …).</summary>
public sealed record DiffGroup(string Label, ImmutableArray<string> Clusters, ImmutableArray<ObjectChange> Changes);
