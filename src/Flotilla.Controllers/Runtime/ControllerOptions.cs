namespace Flotilla.Controllers.Runtime;

/// <summary>Settings of one <see cref="Controller{TKey}"/>; validated when the controller is created.</summary>
public sealed class ControllerOptions
{
    /// <summary>The longest <see cref="ReconcileTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxReconcileTimeout = TimeSpan.FromDays(1);

    /// <summary>Reconciles that may run at once (distinct keys); 1 to 1024. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// How long one reconcile may run before its token is cancelled and it counts as failed; positive, at most
    /// <see cref="MaxReconcileTimeout"/>. Default 1 min. Cancellation is cooperative: a reconciler that ignores
    /// its token keeps its worker until it returns.
    /// </summary>
    public TimeSpan ReconcileTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxConcurrency is < 1 or > 1024)
        {
            throw new ArgumentException(
                $"{nameof(MaxConcurrency)} must be between 1 and 1024, was {MaxConcurrency}.", nameof(MaxConcurrency));
        }

        if (ReconcileTimeout <= TimeSpan.Zero || ReconcileTimeout > MaxReconcileTimeout)
        {
            throw new ArgumentException(
                $"{nameof(ReconcileTimeout)} must be positive and at most {MaxReconcileTimeout}, was {ReconcileTimeout}.",
                nameof(ReconcileTimeout));
        }
    }
}
