using System.Collections.Concurrent;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Paces each bundle's status writes: at most one per <see cref="Interval"/>, and a write waits while any of the
/// bundle's clusters is still queued or syncing, for at most <see cref="Interval"/> after the first unwritten result.
/// So the results of a commit that reach every cluster within a second of each other are one write, made the moment
/// the last cluster reports (not a fixed second later), and a slow cluster never holds the others' results back for
/// longer. A new target alone (a commit or spec being synced, no result yet: <see cref="Published"/>) waits for the
/// first result up to <see cref="ProgressWait"/>: written on its own a second into a commit, it would hold that
/// commit's results to the one-write-a-second rule, up to a second after its last cluster reported. A waiting write
/// does not poll: each pair that finishes asks for the status again (the hub wires that to its lease release).
/// Nothing changed since the last write, nothing is written: a look left scheduled by a busy moment that the last
/// cluster's report has since answered would otherwise write the same status again a second later, and hold the
/// status of a commit arriving in the next second back until the second after that.
/// </summary>
public sealed class StatusPacer(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long a new target's status waits for busy clusters' first result.</summary>
    public static readonly TimeSpan ProgressWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Pace> _paces = new(StringComparer.Ordinal);

    /// <summary>Records a cluster's result for <paramref name="bundle"/>; how long until a write may be considered.</summary>
    public TimeSpan Changed(string bundle) => Record(bundle, result: true);

    /// <summary>Records a new target for <paramref name="bundle"/> that queued its clusters; how long until a write may be considered.</summary>
    public TimeSpan Published(string bundle) => Record(bundle, result: false);

    /// <summary>Whether to write now (the write is then recorded as made), wait, or do nothing (nothing changed since the last write).</summary>
    public StatusPace Next(string bundle, bool clustersBusy)
    {
        var now = clock.GetUtcNow();
        // A bundle this process has not written yet (just started, or leading anew) is written once whatever it holds.
        var pace = _paces.GetOrAdd(bundle, _ => new Pace(null, now, now));
        if (pace.FirstChange is not { } first) return StatusPace.Nothing;
        if (Until(pace.LastWrite + Interval, now) is var paced && paced > TimeSpan.Zero) return StatusPace.After(paced);
        var gatheredBy = pace.FirstResult is { } result && result + Interval < first + ProgressWait ? result + Interval : first + ProgressWait;
        if (clustersBusy && Until(gatheredBy, now) is var gathering && gathering > TimeSpan.Zero) return StatusPace.After(gathering);
        // Cleared before the write, so a change arriving while it is made starts the next gathering.
        _paces[bundle] = new Pace(now, null, null);
        return StatusPace.Now;
    }

    /// <summary>A write <see cref="Next"/> allowed did not go through: the change is still unwritten, and is retried.</summary>
    public void WriteFailed(string bundle) => Record(bundle, result: true);

    /// <summary>Forgets a bundle that is gone.</summary>
    public void Forget(string bundle) => _paces.TryRemove(bundle, out _);

    private TimeSpan Record(string bundle, bool result)
    {
        var now = clock.GetUtcNow();
        var pace = _paces.AddOrUpdate(bundle, _ => new Pace(null, now, result ? now : null),
            (_, p) => p with { FirstChange = p.FirstChange ?? now, FirstResult = p.FirstResult ?? (result ? now : null) });
        return Until(pace.LastWrite + Interval, now);
    }

    private static TimeSpan Until(DateTimeOffset? at, DateTimeOffset now) => at is { } t && t > now ? t - now : TimeSpan.Zero;

    private sealed record Pace(DateTimeOffset? LastWrite, DateTimeOffset? FirstChange, DateTimeOffset? FirstResult);
}

/// <summary>What a bundle's status reconcile does now: write, look again after <see cref="Wait"/>, or nothing.</summary>
public readonly record struct StatusPace(bool Write, TimeSpan? Wait)
{
    public static readonly StatusPace Now = new(true, null);
    public static readonly StatusPace Nothing = new(false, null);
    public static StatusPace After(TimeSpan wait) => new(false, wait);
}
