namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Per-key retry delays that double with each consecutive failure, capped, with jitter.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Delay"/> is a pure function of its argument and <see cref="Random"/>:
/// the <c>n</c>-th consecutive failure waits <c>min(BaseDelay × 2^(n−1), MaxDelay)</c>, then shortened
/// by up to <see cref="JitterFraction"/> of itself. Jitter only ever shortens the delay, so
/// <see cref="MaxDelay"/> is a hard ceiling and keys that keep failing together still spread out at the cap.
/// </para>
/// <para>Defaults: base 1 s, max 5 min, jitter 0.1, randomness from <see cref="System.Random.Shared"/>.</para>
/// </remarks>
public sealed record ExponentialBackoff
{
    /// <summary>The delay after the first failure, before jitter. Must be positive. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay ever returned. Must be at least <see cref="BaseDelay"/>. Default 5 min.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The largest share of a delay that jitter may take off it, in [0, 1). 0 disables jitter. Default 0.1.
    /// </summary>
    public double JitterFraction { get; init; } = 0.1;

    /// <summary>
    /// Source of uniformly distributed numbers in [0, 1); injected so tests are deterministic.
    /// Values outside that range are clamped. Must be thread-safe. Default <see cref="System.Random.Shared"/>.
    /// </summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(BaseDelay)} must be positive, was {BaseDelay}.", nameof(BaseDelay));
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException(
                $"{nameof(MaxDelay)} ({MaxDelay}) must be at least {nameof(BaseDelay)} ({BaseDelay}).", nameof(MaxDelay));
        }

        // NaN fails both comparisons, so it is rejected too.
        if (!(JitterFraction >= 0 && JitterFraction < 1))
        {
            throw new ArgumentException(
                $"{nameof(JitterFraction)} must be in [0, 1), was {JitterFraction}.", nameof(JitterFraction));
        }

        if (Random is null)
        {
            throw new ArgumentException($"{nameof(Random)} must not be null.", nameof(Random));
        }
    }

    /// <summary>The delay before retrying after <paramref name="failures"/> consecutive failures.</summary>
    /// <param name="failures">Consecutive failures so far, this one included; at least 1.</param>
    /// <returns>
    /// A delay in <c>[capped × (1 − JitterFraction), capped]</c> where
    /// <c>capped = min(BaseDelay × 2^(failures−1), MaxDelay)</c>; never zero.
    /// </returns>
    public TimeSpan Delay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);

        // Past 2^62 every positive base exceeds any TimeSpan, so the exponent can stop growing there.
        var exponent = Math.Min(failures - 1, 62);
        var capped = Math.Min(BaseDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        var sample = Random();
        var unit = double.IsNaN(sample) ? 0 : Math.Clamp(sample, 0, 1);
        var ticks = Math.Round(capped * (1 - (JitterFraction * unit)), MidpointRounding.AwayFromZero);
        return TimeSpan.FromTicks(Math.Max(1, (long)ticks));
    }
}
