using Flotilla.Controllers.Runtime;

namespace Flotilla.Controllers.Tests.Runtime;

internal sealed record ReconcileCall(string Key, int Attempt, CancellationToken Token, DateTimeOffset StartedAt);

/// <summary>
/// Runs a scripted behaviour per call and records what happened: every call, and the most reconciles in flight
/// at once, overall and for any one key.
/// </summary>
internal sealed class RecordingReconciler(TimeProvider clock, Func<ReconcileCall, Task<ReconcileResult>> behaviour)
    : IReconciler<string>
{
    private readonly Lock gate = new();
    private readonly Signals signals = new();
    private readonly List<ReconcileCall> calls = [];
    private readonly Dictionary<string, int> inFlightPerKey = new(StringComparer.Ordinal);
    private int inFlight;
    private int maxInFlight;
    private int maxInFlightForOneKey;

    public int MaxInFlight
    {
        get
        {
            lock (gate)
            {
                return maxInFlight;
            }
        }
    }

    public int MaxInFlightForOneKey
    {
        get
        {
            lock (gate)
            {
                return maxInFlightForOneKey;
            }
        }
    }

    public int CallsFor(string key)
    {
        lock (gate)
        {
            return calls.Count(c => c.Key == key);
        }
    }

    public ReconcileCall Call(string key, int attempt)
    {
        lock (gate)
        {
            return calls.Single(c => c.Key == key && c.Attempt == attempt);
        }
    }

    /// <summary>Completes once <paramref name="key"/> has been called (started) <paramref name="count"/> times.</summary>
    public Task WhenCalled(string key, int count = 1)
    {
        lock (gate)
        {
            return signals.When(() => calls.Count(c => c.Key == key) >= count);
        }
    }

    /// <summary>Completes once <paramref name="count"/> reconciles are in flight together.</summary>
    public Task WhenInFlight(int count)
    {
        lock (gate)
        {
            return signals.When(() => inFlight >= count);
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ReconcileCall call;
        lock (gate)
        {
            var forKey = inFlightPerKey.GetValueOrDefault(key) + 1;
            inFlightPerKey[key] = forKey;
            inFlight++;
            maxInFlight = Math.Max(maxInFlight, inFlight);
            maxInFlightForOneKey = Math.Max(maxInFlightForOneKey, forKey);
            call = new ReconcileCall(key, calls.Count(c => c.Key == key) + 1, cancellationToken, clock.GetUtcNow());
            calls.Add(call);
            signals.Check();
        }

        try
        {
            return await behaviour(call);
        }
        finally
        {
            lock (gate)
            {
                inFlightPerKey[key]--;
                inFlight--;
                signals.Check();
            }
        }
    }
}
