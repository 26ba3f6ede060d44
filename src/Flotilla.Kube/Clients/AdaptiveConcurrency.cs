namespace Flotilla.Kube.Clients;

/// <summary>
/// How many requests one member gets at once, adapted AIMD-style instead of fixed: a 429 halves the limit, latency
/// well above the best seen takes one off (at most once a second), and each full window of fast answers adds one
/// back, up to <see cref="Max"/>. A struggling API server is given room; a healthy one is used fully.
/// </summary>
public sealed class AdaptiveConcurrency
{
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _lock = new();
    private int _limit;
    private int _held;            // slots taken out of the semaphore to shrink the limit
    private int _fastInWindow;
    private double _bestMs = double.MaxValue;
    private long _lastDecrease;

    public AdaptiveConcurrency(int initial = 8, int min = 1, int max = 32, TimeProvider? clock = null)
    {
        if (min < 1 || initial < min || max < initial) throw new ArgumentOutOfRangeException(nameof(initial), "need 1 <= min <= initial <= max");
        (Min, Max, _limit, _clock) = (min, max, initial, clock ?? TimeProvider.System);
        _slots = new SemaphoreSlim(max, max);
        _held = max - initial;
        for (var i = 0; i < _held; i++) _slots.Wait(0);
    }

    public int Min { get; }

    public int Max { get; }

    /// <summary>The current limit.</summary>
    public int Limit { get { lock (_lock) return _limit; } }

    /// <summary>Waits for a slot; dispose the result when the request is done.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(this);
    }

    /// <summary>Records one answer: <paramref name="throttled"/> (429) or how long it took.</summary>
    public void Record(TimeSpan latency, bool throttled)
    {
        lock (_lock)
        {
            if (throttled)
            {
                SetLimit(Math.Max(Min, _limit / 2));
                return;
            }
            var ms = latency.TotalMilliseconds;
            _bestMs = Math.Min(_bestMs, ms);
            var now = _clock.GetTimestamp();
            // "Rising latency": well above the best seen, and not just a fast server's noise.
            if (ms > Math.Max(4 * _bestMs, _bestMs + 200) && _clock.GetElapsedTime(_lastDecrease, now) >= TimeSpan.FromSeconds(1))
            {
                _lastDecrease = now;
                SetLimit(Math.Max(Min, _limit - 1));
                return;
            }
            if (++_fastInWindow >= _limit)
            {
                _fastInWindow = 0;
                SetLimit(Math.Min(Max, _limit + 1));
            }
        }
    }

    private void SetLimit(int limit)
    {
        _fastInWindow = 0;
        _limit = limit;
        var wantHeld = Max - limit;
        // Growing releases held slots; shrinking takes slots back as they come free (Release skips the semaphore).
        while (_held > wantHeld) { _held--; _slots.Release(); }
        while (_held < wantHeld && _slots.Wait(0)) _held++;
        _pendingShrink = wantHeld - _held;
    }

    private int _pendingShrink;

    private void Release()
    {
        lock (_lock)
        {
            if (_pendingShrink > 0)
            {
                _pendingShrink--;
                _held++;
                return;
            }
        }
        _slots.Release();
    }

    private sealed class Slot(AdaptiveConcurrency owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release();
        }
    }
}
