using System.Net;
using Flotilla.Kube.Simulation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>
/// Failing calls against the real API server (injected in front of it, or provoked for real): the loop goes on,
/// the other workloads are still simulated, and a status computed from a changed object is refused and redone.
/// </summary>
[Collection(LocalFleetCollection.Name)]
public sealed class SimulatorFaultTests(LocalFleetFixture fleet) : IAsyncLifetime
{
    private static readonly WorkloadSimulatorOptions Fast = new()
    {
        ReadyDelay = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(100),
    };

    private string _ns = "";
    private IKubernetes Api => fleet.Member;

    public async Task InitializeAsync() => _ns = await fleet.CreateNamespaceAsync();

    public async Task DisposeAsync() => await Api.CoreV1.DeleteNamespaceAsync(_ns);

    [Fact]
    public async Task A_failing_write_and_a_failing_list_do_not_stop_the_others()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("doomed"), _ns);
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("kept"), _ns);
        await Api.AppsV1.CreateNamespacedStatefulSetAsync(Workloads.StatefulSet("db"), _ns);
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(Workloads.DaemonSet("agent"), _ns);
        var faults = new FaultInjectingHandler()
            .Fail(HttpMethod.Patch, $"/namespaces/{_ns}/deployments/doomed/status", HttpStatusCode.NotFound)
            .Fail(HttpMethod.Get, "/apis/apps/v1/statefulsets", HttpStatusCode.InternalServerError);
        using var faulty = new Kubernetes(fleet.MemberConfiguration(), faults);
        var log = new RecordingLogger();
        var simulator = new WorkloadStatusSimulator(faulty, Fast, TimeProvider.System, log, "faulty");
        await using var run = new SimulatorRun(simulator.RunAsync);

        await WorkloadStatusSimulatorTests.WaitAsync(() => Api.AppsV1.ReadNamespacedDeploymentAsync("kept", _ns),
            WorkloadStatusSimulatorTests.IsAvailable, "kept available");
        await WorkloadStatusSimulatorTests.WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("agent", _ns),
            d => d.Status?.NumberReady == 1, "agent ready (listed after the failing StatefulSet list)");
        var passes = simulator.PassesCompleted;
        await Eventually.WaitAsync(() => simulator.PassesCompleted >= passes + 3, "three more passes");

        run.AssertRunning();
        Assert.Contains(faults.Answers, a => a.Method == HttpMethod.Patch && a.Path.EndsWith("/doomed/status") && a.Status == HttpStatusCode.NotFound);
        Assert.Null((await Api.AppsV1.ReadNamespacedDeploymentAsync("doomed", _ns)).Status?.ObservedGeneration);
        Assert.Null((await Api.AppsV1.ReadNamespacedStatefulSetAsync("db", _ns)).Status?.ObservedGeneration);
        // The list failure is reported once per reason, not once per pass; a 404 is no warning.
        var warnings = log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        var listWarning = Assert.Single(warnings);
        Assert.Contains("listing StatefulSets in all namespaces failed: 500 injected by the test", listWarning);
        Assert.StartsWith("faulty: ", listWarning);
    }

    [Fact]
    public async Task A_status_computed_from_a_changed_object_is_refused_and_redone()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("raced", replicas: 1), _ns);
        // Just before the simulator's first status write reaches the server, someone scales the Deployment.
        var faults = new FaultInjectingHandler().Before(HttpMethod.Patch, $"/namespaces/{_ns}/deployments/raced/status",
            () => Api.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "raced", _ns));
        using var faulty = new Kubernetes(fleet.MemberConfiguration(), faults);
        var simulator = new WorkloadStatusSimulator(faulty, Fast, TimeProvider.System, NullLogger.Instance, "raced");
        await using var run = new SimulatorRun(simulator.RunAsync);

        var raced = await WorkloadStatusSimulatorTests.WaitAsync(() => Api.AppsV1.ReadNamespacedDeploymentAsync("raced", _ns),
            WorkloadStatusSimulatorTests.IsAvailable, "raced available");

        var statusWrites = faults.Answers.Where(a => a.Method == HttpMethod.Patch && a.Path.EndsWith("/raced/status")).Select(a => a.Status).ToList();
        Assert.Equal(HttpStatusCode.Conflict, statusWrites[0]);
        // Redone: a later write went through. Not necessarily the last one seen: a pass after it may race the member's
        // own controller manager and be refused in turn (seen once in CI).
        Assert.Contains(HttpStatusCode.OK, statusWrites.Skip(1));
        Assert.Equal(2, raced.Status.ObservedGeneration);
        Assert.Equal(4, raced.Status.AvailableReplicas);
    }
}
