namespace Flotilla.Core.Sync;

/// <summary>What to do about a change to a managed field made by someone else.</summary>
public enum DriftMode { Correct, Warn, Ignore }

/// <summary>How a bundle syncs (from its spec.sync): prune on, drift corrected, no force, no empty prune by default.</summary>
public sealed record SyncPolicy(bool Prune = true, DriftMode Drift = DriftMode.Correct, bool Force = false, bool AllowEmpty = false,
    string? TargetNamespace = null, bool CreateNamespace = false);
