namespace Flotilla.Kube.Sync;

/// <summary>Labels and annotations Flotilla puts on what it applies; prune touches only objects carrying them.</summary>
public static class OwnershipLabels
{
    /// <summary>Always <c>flotilla</c> on managed objects (also the watch cache's selector).</summary>
    public const string ManagedBy = "flotilla.io/managed-by";

    /// <summary><c>namespace.name</c> of the owning bundle.</summary>
    public const string Bundle = "flotilla.io/bundle";

    /// <summary>Hash of the desired object last applied, so an unchanged object costs no write.</summary>
    public const string DesiredHash = "flotilla.io/desired-hash";

    public const string ManagedByValue = "flotilla";
}
