using System.Collections.Immutable;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Overrides;

/// <summary>
/// One entry of <c>Bundle.spec.overrides</c>: on the clusters <see cref="ClusterSelector"/> matches, apply
/// <see cref="Actions"/> in order to every object any of <see cref="Targets"/> matches. Rules apply in ascending
/// <see cref="Priority"/>, ties by <see cref="Name"/> (ordinal), so the highest priority is applied last and wins
/// where two rules set the same field.
/// </summary>
/// <param name="Name">Unique within the bundle; reported in <c>appliedOverrides</c> and in every error.</param>
/// <param name="Priority">Required and explicit, so the order never depends on the order rules are written in.</param>
/// <param name="ClusterSelector">Required: null is a validation error (an override that silently applies everywhere is a
/// known trap); <see cref="LabelSelector.Everything"/> (<c>{}</c>) matches every cluster on purpose.</param>
/// <param name="Targets">At least one; an object matching any of them is changed.</param>
/// <param name="Actions">At least one; applied in this order.</param>
/// <remarks>Equality is by reference for the JSON and collections inside; the hub tracks spec changes by generation.</remarks>
public sealed record OverrideRule(
    string Name,
    int Priority,
    LabelSelector? ClusterSelector,
    ImmutableArray<ObjectTarget> Targets,
    ImmutableArray<OverrideAction> Actions);
