namespace Flotilla.Kube.Simulation;

/// <summary>The kinds whose status the simulator writes: the <c>apps/v1</c> workloads, Jobs, and Services of type LoadBalancer.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
    LoadBalancerService,
    Job,
}
