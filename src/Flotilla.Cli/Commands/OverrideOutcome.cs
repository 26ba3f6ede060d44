using Flotilla.Core.Manifests;

namespace Flotilla.Cli.Commands;

/// <summary>One cluster's objects after overrides (null when a rule fails there), the rules applied, and the errors.</summary>
public sealed record OverrideOutcome(ManifestSet? Manifests, IReadOnlyList<string> Applied, IReadOnlyList<string> Errors);
