using System.Globalization;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Placement;

/// <summary>
/// Applies a cluster's taints (and the automatic <see cref="UnavailableTaint"/>) to one bundle's tolerations.
/// A toleration without seconds tolerates for good. One with seconds is a grace period for the clusters the bundle
/// is on now: until the taint's timeAdded plus the seconds, NoSelect does not evict and PreferNoSelect does not push
/// away; it never admits a new placement, so new bundles avoid a cluster whose trouble may not pass.
/// </summary>
internal static class TaintEvaluator
{
    public static TaintVerdict Evaluate(IReadOnlyList<Toleration> tolerations, ClusterFacts cluster, bool current, DateTimeOffset now)
    {
        ClusterTaint? avoid = null;
        DateTimeOffset? grace = null;
        var count = cluster.Taints.Count;
        var total = cluster.UnavailableSince is null ? count : count + 1;
        for (var i = 0; i < total; i++)
        {
            var taint = i < count ? cluster.Taints[i] : UnavailableTaint.Since(cluster.UnavailableSince!.Value);
            var (forever, until) = Tolerance(tolerations, taint);
            if (forever) continue;
            var inGrace = current && until > now;
            switch (taint.Effect)
            {
                case TaintEffect.NoSelect when inGrace:
                case TaintEffect.PreferNoSelect when inGrace:
                    grace = grace is null || until < grace ? until : grace;
                    break;
                case TaintEffect.NoSelect:
                    return new TaintVerdict(NotTolerated(taint, current, until), null, null);
                case TaintEffect.PreferNoSelect:
                    avoid ??= taint;
                    break;
                case TaintEffect.NoSelectIfNew when current:
                    break;
                case TaintEffect.NoSelectIfNew:
                    return new TaintVerdict($"taint {taint} not tolerated and the bundle is not there yet", null, null);
            }
        }
        return new TaintVerdict(null, avoid, grace);
    }

    /// <summary>Whether some toleration matches for good, else the latest time a timed one runs out (null: none matches).</summary>
    private static (bool Forever, DateTimeOffset? Until) Tolerance(IReadOnlyList<Toleration> tolerations, ClusterTaint taint)
    {
        DateTimeOffset? until = null;
        for (var i = 0; i < tolerations.Count; i++)
        {
            var toleration = tolerations[i];
            if (!toleration.Matches(taint)) continue;
            if (toleration.Seconds is not { } seconds) return (true, null);
            var expires = taint.TimeAdded.AddSeconds(seconds);
            if (until is null || expires > until) until = expires;
        }
        return (false, until);
    }

    private static string NotTolerated(ClusterTaint taint, bool current, DateTimeOffset? until) =>
        (until, current) switch
        {
            (null, _) => $"taint {taint} not tolerated",
            (_, true) => $"taint {taint} was tolerated until {until.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}",
            (_, false) => $"taint {taint} tolerated only where the bundle already is (tolerationSeconds)",
        };
}
