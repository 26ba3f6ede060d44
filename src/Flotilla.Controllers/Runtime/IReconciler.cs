namespace Flotilla.Controllers.Runtime;

/// <summary>
/// Brings the object named by a key to its desired state. Level-triggered: it gets a key, not an event,
/// reads the current state itself, and may be called any number of times for the same key.
/// </summary>
/// <typeparam name="TKey">The key type, usually a namespace/name pair.</typeparam>
/// <remarks>
/// <see cref="Controller{TKey}"/> never runs two reconciles of one key at once. The token is cancelled on
/// shut-down and when the per-reconcile timeout passes; the reconciler must pass it on to all I/O, since a
/// reconcile that ignores it keeps its worker busy until it returns.
/// </remarks>
public interface IReconciler<in TKey>
    where TKey : notnull
{
    /// <summary>Reconciles one key; throwing counts as <see cref="ReconcileResult.Failed"/>.</summary>
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}
