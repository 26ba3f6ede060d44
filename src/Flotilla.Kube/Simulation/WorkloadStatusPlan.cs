namespace Flotilla.Kube.Simulation;

/// <summary>
/// What the simulator would do for one workload as listed: nothing (<see cref="StatusPatch"/> null: the status
/// already shows <see cref="Outcome"/> for <see cref="Generation"/>), or write <see cref="StatusPatch"/>, a JSON merge
/// patch for the status subresource that also pins <c>metadata.resourceVersion</c> (a changed object answers 409).
/// </summary>
public sealed record WorkloadStatusPlan(
    WorkloadKind Kind,
    string Namespace,
    string Name,
    string Uid,
    long Generation,
    SimulatedOutcome Outcome,
    string? StatusPatch)
{
    /// <summary>True when the status is already what the simulator would write.</summary>
    public bool IsCurrent => StatusPatch is null;

    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}
