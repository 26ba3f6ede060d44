namespace Flotilla.Core.Sync;

/// <summary>
/// Notices when another actor keeps reverting what Flotilla corrects (an HPA, an operator, a script): after
/// <c>threshold</c> corrections of one object within <c>window</c>, the object is held — left alone and reported
/// as a fight with that manager — for <c>cooldown</c>, instead of a hot loop of writes. Time is passed in.
/// </summary>
public sealed class FightDetector(int threshold = 5, TimeSpan? window = null, TimeSpan? cooldown = null)
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(1);
    private readonly TimeSpan _cooldown = cooldown ?? TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _corrections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Until, string? Manager)> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The manager fighting over <paramref name="key"/> while it is held; null when it may be corrected.</summary>
    public bool IsHeld(string key, DateTimeOffset now, out string? manager)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(key, out var held) && held.Until > now)
            {
                manager = held.Manager;
                return true;
            }
            _held.Remove(key);
            manager = null;
            return false;
        }
    }

    /// <summary>Records one correction; true when this one turned it into a fight (the object is now held).</summary>
    public bool RecordCorrection(string key, string? manager, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_corrections.TryGetValue(key, out var times)) _corrections[key] = times = new Queue<DateTimeOffset>();
            times.Enqueue(now);
            while (times.Count > 0 && now - times.Peek() > _window) times.Dequeue();
            if (times.Count < threshold) return false;
            times.Clear();
            _held[key] = (now + _cooldown, manager);
            return true;
        }
    }
}
