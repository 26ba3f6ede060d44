using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// Prepared desired objects shared by every member's sync: a manifest prepared for one cluster (normalised, labelled,
/// hashed by <see cref="DesiredObjectFactory"/>) is the same for every cluster that serves its kind with the same
/// scope, so a fleet prepares each object once per revision, not once per cluster and resync. Entries live as long
/// as the rendered manifests they come from. A prepared object is never changed afterwards, so members share it.
/// </summary>
public sealed class DesiredObjects
{
    private readonly ConditionalWeakTable<Manifest, ConcurrentDictionary<Key, DesiredObject>> _prepared = new();

    public DesiredObject For(Manifest manifest, bool namespaced, SyncPolicy policy, string owner, string bundleName) =>
        _prepared.GetOrCreateValue(manifest).GetOrAdd(new Key(namespaced, policy, owner, bundleName),
            key => DesiredObjectFactory.Create(manifest, key.Namespaced, key.Policy, key.Owner, key.BundleName));

    private readonly record struct Key(bool Namespaced, SyncPolicy Policy, string Owner, string BundleName);
}
