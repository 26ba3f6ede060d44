using Flotilla.Controllers.Bundles;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Sync;
using k8s;

namespace Flotilla.Controllers.ClusterSync;

/// <summary>
/// Warn-mode drift and fights become Events on the Bundle naming the manager; corrections feed the
/// <see cref="FightDetector"/>, which holds an object someone keeps reverting instead of a hot loop of writes.
/// </summary>
public sealed class DriftReporter(BundleEvents events, TimeProvider clock)
{
    private readonly FightDetector _fights = new();

    public bool IsHeld(string pairKey, ObjectRef reference) => _fights.IsHeld($"{pairKey}|{reference}", clock.GetUtcNow(), out _);

    public async Task ReportAsync(string bundleKey, string? uid, string cluster, IReadOnlyList<DriftRecord> drift, CancellationToken ct)
    {
        if (drift.Count == 0) return;
        var (ns, name) = ObjectKey.Split(bundleKey);
        var bundle = new BundleResource { Metadata = new() { NamespaceProperty = ns, Name = name, Uid = uid } };
        var now = clock.GetUtcNow();
        foreach (var d in drift)
        {
            var what = $"{cluster}: {d.Object} {d.Field} changed by {d.Manager ?? "an unknown manager"}";
            if (d.Corrected && _fights.RecordCorrection($"{ClusterSyncKey.Of(bundleKey, cluster)}|{d.Object}", d.Manager, now))
                await events.WarnAsync(bundle, "DriftFight", $"{what} again and again; no longer corrected for 5 minutes", ct);
            else if (!d.Corrected && !d.Fight)
                await events.WarnAsync(bundle, "DriftDetected", what, ct);
        }
    }
}
