using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// What the <see cref="SyncPlanner"/> needs: the desired objects (prepared for this cluster), the live objects
/// Flotilla manages there (by identity; absent means not there), the stored inventory, the bundle's ownership
/// label value and its policy. <see cref="Held"/>: objects whose drift is not corrected now (a fight is held).
/// </summary>
public sealed record SyncPlanInput(
    IReadOnlyList<DesiredObject> Desired,
    IReadOnlyDictionary<ObjectRef, JsonObject> Live,
    Inventory Inventory,
    string Owner,
    SyncPolicy Policy)
{
    public Func<ObjectRef, bool> Held { get; init; } = _ => false;
}
