namespace Flotilla.Controllers.Runtime;

/// <summary>
/// What a reconciler reports, which tells <see cref="Controller{TKey}"/> when to look at the key again.
/// </summary>
/// <remarks>
/// A thrown exception is treated like <see cref="Failed"/>. <see cref="Reason"/> is logged, so it must never
/// contain a secret.
/// </remarks>
public sealed record ReconcileResult
{
    private ReconcileResult(ReconcileOutcome outcome, TimeSpan delay, string? reason)
    {
        Outcome = outcome;
        Delay = delay;
        Reason = reason;
    }

    /// <summary>Done; look again only when the key is next added.</summary>
    public static ReconcileResult Success { get; } = new(ReconcileOutcome.Success, TimeSpan.Zero, null);

    /// <summary>How the reconcile ended.</summary>
    public ReconcileOutcome Outcome { get; }

    /// <summary>For <see cref="ReconcileOutcome.RequeueAfter"/>, when to look again; otherwise zero.</summary>
    public TimeSpan Delay { get; }

    /// <summary>For <see cref="ReconcileOutcome.Failed"/> and <see cref="ReconcileOutcome.Stalled"/>, why; otherwise null.</summary>
    public string? Reason { get; }

    /// <summary>Done for now; look again after <paramref name="delay"/> (which must be positive).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new(ReconcileOutcome.RequeueAfter, delay, null);
    }

    /// <summary>A transient failure without an exception; retried with backoff.</summary>
    public static ReconcileResult Failed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(ReconcileOutcome.Failed, TimeSpan.Zero, reason);
    }

    /// <summary>The spec is invalid; not retried until the key is added again.</summary>
    public static ReconcileResult Stalled(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(ReconcileOutcome.Stalled, TimeSpan.Zero, reason);
    }
}
