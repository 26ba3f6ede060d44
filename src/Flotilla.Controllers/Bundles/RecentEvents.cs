using System.Collections.Concurrent;

namespace Flotilla.Controllers.Bundles;

/// <summary>
/// Which events were written lately, so the same one is not repeated within <see cref="Quiet"/>. Past
/// <paramref name="maxRemembered"/> entries, the ones older than the quiet period are forgotten, at most once per
/// <paramref name="forgetEvery"/>: the keys hold messages (drift names objects), so a long-running hub would otherwise keep
/// every event it ever wrote. Safe for concurrent use.
/// </summary>
public sealed class RecentEvents(TimeSpan quiet, int maxRemembered, TimeSpan forgetEvery)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);
    private long _forgotAt = DateTimeOffset.MinValue.UtcTicks;

    public TimeSpan Quiet { get; } = quiet;

    /// <summary>Entries remembered now (takes every lock of the table: for tests).</summary>
    public int Count => _recent.Count;

    /// <summary>
    /// True when <paramref name="key"/> was not written within the quiet period: it is then remembered as written at
    /// <paramref name="now"/> (<see cref="Release"/> undoes that when the write fails in a way worth retrying).
    /// </summary>
    public bool TryClaim(string key, DateTimeOffset now)
    {
        if (_recent.TryGetValue(key, out var last) && now - last < Quiet) return false;
        _recent[key] = now;
        ForgetOldIfMany(now);
        return true;
    }

    /// <summary>Forgets the claim <see cref="TryClaim"/> made at <paramref name="at"/> (not a newer one), so the event may be written again at once.</summary>
    public void Release(string key, DateTimeOffset at) => _recent.TryRemove(KeyValuePair.Create(key, at));

    private void ForgetOldIfMany(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _forgotAt);
        // The time first: a ConcurrentDictionary's Count takes every lock of the table.
        if (now.UtcTicks - last < forgetEvery.Ticks || _recent.Count <= maxRemembered || Interlocked.CompareExchange(ref _forgotAt, now.UtcTicks, last) != last) return;
        // Removes an entry only with the time it was read at: one refreshed meanwhile stays.
        foreach (var entry in _recent)
            if (now - entry.Value >= Quiet) _recent.TryRemove(entry);
    }
}
