namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Settings of <see cref="LeaderElection"/>; validated when it is created. The timing rules and defaults are
/// client-go's: <c>LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod</c>.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Name of the coordination.k8s.io/v1 Lease object. Default <c>flotilla-hub</c>.</summary>
    public string LeaseName { get; set; } = "flotilla-hub";

    /// <summary>Namespace of the Lease object; it must exist. Default <c>flotilla-system</c>.</summary>
    public string LeaseNamespace { get; set; } = "flotilla-system";

    /// <summary>
    /// This process's name in the Lease's <c>holderIdentity</c>; unique per candidate. Default
    /// <c>&lt;hostname&gt;_&lt;pid&gt;</c>.
    /// </summary>
    public string Identity { get; set; } = $"{Environment.MachineName}_{Environment.ProcessId}";

    /// <summary>
    /// How long other candidates wait, after last seeing the Lease change, before they take it over; at least
    /// 1 s (the Lease stores whole seconds). Default 15 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failing renewal before it gives up leadership. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait between attempts to acquire or renew. Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RequireText(LeaseName, nameof(LeaseName));
        RequireText(LeaseNamespace, nameof(LeaseNamespace));
        RequireText(Identity, nameof(Identity));
        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RetryPeriod)} must be positive, was {RetryPeriod}.", nameof(RetryPeriod));
        }

        // The elector waits up to 1.2 × RetryPeriod between attempts; a deadline shorter than that never renews.
        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            throw new ArgumentException(
                $"{nameof(RenewDeadline)} ({RenewDeadline}) must exceed 1.2 × {nameof(RetryPeriod)} ({RetryPeriod}).",
                nameof(RenewDeadline));
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(
                $"{nameof(LeaseDuration)} must be at least 1 s, was {LeaseDuration}.", nameof(LeaseDuration));
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException(
                $"{nameof(LeaseDuration)} ({LeaseDuration}) must exceed {nameof(RenewDeadline)} ({RenewDeadline}).",
                nameof(LeaseDuration));
        }
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }
    }
}
