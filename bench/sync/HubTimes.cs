namespace Flotilla.Bench.Sync;

/// <summary>Sums and counts of the hub's time histograms at one moment (see <see cref="HubApi.TimesAsync"/>).</summary>
public sealed record HubTimes(HubTimes.Series Sync, HubTimes.Series Fetch, HubTimes.Series Render)
{
    public sealed record Series(double Sum, long Count)
    {
        /// <summary>The mean of what was observed since <paramref name="before"/>, or null when nothing was.</summary>
        public double? MeanSince(Series before) => Count > before.Count ? (Sum - before.Sum) / (Count - before.Count) : null;
    }

    /// <summary>Where one timed run's time went, each the mean per reconcile (seconds).</summary>
    public Phases Since(HubTimes before) => new(Fetch.MeanSince(before.Fetch), Render.MeanSince(before.Render), Sync.MeanSince(before.Sync));

    /// <summary>
    /// <paramref name="Fetch"/>: a GitRepository reconcile (git fetch, snapshot, its status write); <paramref name="Render"/>:
    /// a Bundle reconcile (render, placement, rollout, queueing its clusters); <paramref name="Engine"/>: one cluster's sync
    /// in the executor (plan, dry-runs, applies, inventory).
    /// </summary>
    public sealed record Phases(double? Fetch, double? Render, double? Engine);
}
