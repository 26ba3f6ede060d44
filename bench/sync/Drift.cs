using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Sync;

/// <summary>How long Flotilla takes to put back a hand edit of an object it manages.</summary>
public static class Drift
{
    /// <summary>Edits one managed ConfigMap as another manager and times until Flotilla restored it (call once the hub watches the kind).</summary>
    public static async Task<TimeSpan> MeasureAsync(Kubernetes member, string ns, string name)
    {
        var desired = (await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data["version"];
        var clock = Stopwatch.StartNew();
        await member.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"version":"hand-edited"}}""", V1Patch.PatchType.MergePatch), name, ns, fieldManager: "kubectl-edit");
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if ((await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data["version"] == desired) return clock.Elapsed;
            await Task.Delay(20);
        }
        throw new TimeoutException("drift was not corrected within 30 s");
    }
}
