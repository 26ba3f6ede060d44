namespace Flotilla.Kube.Simulation;

/// <summary>The workload kinds (all <c>apps/v1</c>) whose status the simulator writes.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
}
