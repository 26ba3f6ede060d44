namespace Flotilla.Controllers.Runtime;

/// <summary>How a reconcile ended, and so what the controller does with its key next.</summary>
public enum ReconcileOutcome
{
    /// <summary>The object matches its desired state: forget its failures, look again only on the next change.</summary>
    Success,

    /// <summary>Waiting on something that takes time: forget its failures and look again after a delay.</summary>
    RequeueAfter,

    /// <summary>A transient failure: count it and retry with exponential backoff.</summary>
    Failed,

    /// <summary>
    /// The spec cannot succeed as written (recorded as a Stalled condition): forget its failures and do not
    /// retry until the object changes.
    /// </summary>
    Stalled,
}
