namespace Flotilla.Kube.Simulation;

/// <summary>
/// What the simulated rollout of a workload ends in: <see cref="Ready"/> unless the object carries the annotation
/// <c>flotilla.io/simulate: fail</c> (<see cref="WorkloadStatusRules.SimulateAnnotation"/>).
/// </summary>
public enum SimulatedOutcome
{
    Ready,
    Failing,
}
