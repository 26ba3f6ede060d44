using Flotilla.Core.Manifests;

namespace Flotilla.Kube.Sync;

/// <summary>What a sync would do to one object.</summary>
public enum DiffAction { Create, Update, Unchanged, Prune, Invalid }

/// <summary>One object's planned change; <see cref="Before"/>/<see cref="After"/> are redacted YAML-able JSON.</summary>
public sealed record ObjectDiff(ObjectRef Object, DiffAction Action, System.Text.Json.Nodes.JsonObject? Before, System.Text.Json.Nodes.JsonObject? After, string? Error);
