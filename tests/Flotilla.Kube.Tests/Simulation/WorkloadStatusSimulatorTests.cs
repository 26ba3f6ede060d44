using Flotilla.Kube.Simulation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>The simulator against a real v1.20 kube-apiserver: each test in its own namespace, asserting object state.</summary>
[Collection(LocalFleetCollection.Name)]
public sealed class WorkloadStatusSimulatorTests(LocalFleetFixture fleet) : IAsyncLifetime
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
    public async Task Deployment_becomes_available_for_its_generation()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 2), _ns);
        await using (Start(out _))
        {
            var web = await WaitForDeploymentAsync("web", IsAvailable);
            Assert.Equal(web.Metadata.Generation, web.Status.ObservedGeneration);
            Assert.Equal([2, 2, 2, 2], new[] { web.Status.Replicas, web.Status.UpdatedReplicas, web.Status.ReadyReplicas, web.Status.AvailableReplicas });
            Assert.Null(web.Status.UnavailableReplicas);
            var progressing = Assert.Single(web.Status.Conditions, c => c.Type == "Progressing");
            Assert.Equal(("True", "NewReplicaSetAvailable"), (progressing.Status, progressing.Reason));
            Assert.Equal("MinimumReplicasAvailable", web.Status.Conditions.Single(c => c.Type == "Available").Reason);
        }
    }

    [Fact]
    public async Task Deployment_without_replicas_counts_one()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("single"), _ns);
        await using (Start(out _))
        {
            var single = await WaitForDeploymentAsync("single", IsAvailable);
            Assert.Equal(1, single.Status.AvailableReplicas);
        }
    }

    [Fact]
    public async Task Spec_change_is_simulated_again_for_the_new_generation()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 1), _ns);
        await using (Start(out _))
        {
            var first = await WaitForDeploymentAsync("web", IsAvailable);
            Assert.Equal(1, first.Metadata.Generation);

            var changed = await Api.AppsV1.PatchNamespacedDeploymentAsync(
                new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", _ns);
            Assert.Equal(2, changed.Metadata.Generation);

            var second = await WaitForDeploymentAsync("web", d => d.Status?.ObservedGeneration == 2 && IsAvailable(d));
            Assert.Equal(3, second.Status.AvailableReplicas);
            Assert.Equal(3, second.Status.UpdatedReplicas);
        }
    }

    [Fact]
    public async Task Fail_annotation_makes_the_deployment_exceed_its_progress_deadline()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("broken", replicas: 2, Workloads.Fail), _ns);
        await using (Start(out _))
        {
            var broken = await WaitForDeploymentAsync("broken", d => d.Status?.ObservedGeneration == d.Metadata.Generation);
            var progressing = Assert.Single(broken.Status.Conditions, c => c.Type == "Progressing");
            Assert.Equal(("False", "ProgressDeadlineExceeded"), (progressing.Status, progressing.Reason));
            Assert.Equal("False", broken.Status.Conditions.Single(c => c.Type == "Available").Status);
            Assert.Equal(0, broken.Status.AvailableReplicas ?? 0);
            Assert.Equal(0, broken.Status.ReadyReplicas ?? 0);
            Assert.Equal(2, broken.Status.UnavailableReplicas);
        }
    }

    [Fact]
    public async Task Removing_the_fail_annotation_makes_the_same_generation_ready()
    {
        // A DaemonSet keeps its generation when only annotations change (a Deployment would get a new one).
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(Workloads.DaemonSet("flaky", Workloads.Fail), _ns);
        await using (Start(out _))
        {
            await WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("flaky", _ns),
                d => d.Status?.ObservedGeneration == 1 && d.Status.NumberUnavailable == 1, "DaemonSet flaky failing");
            var patched = await Api.AppsV1.PatchNamespacedDaemonSetAsync(
                new V1Patch("""{"metadata":{"annotations":{"flotilla.io/simulate":null}}}""", V1Patch.PatchType.MergePatch), "flaky", _ns);
            Assert.Equal(1, patched.Metadata.Generation);

            var flaky = await WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("flaky", _ns),
                d => d.Status?.NumberReady == 1, "DaemonSet flaky ready");
            Assert.Equal(1, flaky.Status.ObservedGeneration);
            Assert.Equal(0, flaky.Status.NumberUnavailable ?? 0);
        }
    }

    [Fact]
    public async Task StatefulSet_becomes_ready_on_one_revision()
    {
        await Api.AppsV1.CreateNamespacedStatefulSetAsync(Workloads.StatefulSet("db", replicas: 3), _ns);
        await using (Start(out _))
        {
            var db = await WaitAsync(() => Api.AppsV1.ReadNamespacedStatefulSetAsync("db", _ns),
                s => s.Status?.ObservedGeneration == s.Metadata.Generation, "StatefulSet db observed");
            Assert.Equal([3, 3, 3, 3], new[] { db.Status.Replicas, db.Status.ReadyReplicas ?? 0, db.Status.CurrentReplicas ?? 0, db.Status.UpdatedReplicas ?? 0 });
            Assert.StartsWith("db-", db.Status.UpdateRevision);
            Assert.Equal(db.Status.UpdateRevision, db.Status.CurrentRevision);
        }
    }

    [Fact]
    public async Task Failing_StatefulSet_has_no_ready_replicas()
    {
        await Api.AppsV1.CreateNamespacedStatefulSetAsync(Workloads.StatefulSet("db", replicas: 2, Workloads.Fail), _ns);
        await using (Start(out _))
        {
            var db = await WaitAsync(() => Api.AppsV1.ReadNamespacedStatefulSetAsync("db", _ns),
                s => s.Status?.ObservedGeneration == s.Metadata.Generation, "StatefulSet db observed");
            Assert.Equal(2, db.Status.Replicas);
            Assert.Equal(0, db.Status.ReadyReplicas ?? 0);
        }
    }

    [Fact]
    public async Task DaemonSet_becomes_ready_on_the_simulated_node()
    {
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(Workloads.DaemonSet("agent"), _ns);
        await using (Start(out _))
        {
            var agent = await WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("agent", _ns),
                d => d.Status?.ObservedGeneration == d.Metadata.Generation, "DaemonSet agent observed");
            var s = agent.Status;
            Assert.Equal([1, 1, 1, 1, 1], new[] { s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberReady, s.UpdatedNumberScheduled ?? 0, s.NumberAvailable ?? 0 });
            Assert.Equal(0, s.NumberUnavailable ?? 0);
        }
    }

    [Fact]
    public async Task Failing_DaemonSet_has_no_ready_pods()
    {
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(Workloads.DaemonSet("agent", Workloads.Fail), _ns);
        await using (Start(out _))
        {
            var agent = await WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("agent", _ns),
                d => d.Status?.ObservedGeneration == d.Metadata.Generation, "DaemonSet agent observed");
            Assert.Equal(1, agent.Status.DesiredNumberScheduled);
            Assert.Equal(0, agent.Status.NumberReady);
            Assert.Equal(1, agent.Status.NumberUnavailable);
        }
    }

    [Fact]
    public async Task Steady_state_makes_no_writes()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 2), _ns);
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("broken", annotations: Workloads.Fail), _ns);
        await Api.AppsV1.CreateNamespacedStatefulSetAsync(Workloads.StatefulSet("db"), _ns);
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(Workloads.DaemonSet("agent"), _ns);
        await using (Start(out var simulator))
        {
            await WaitForDeploymentAsync("web", IsAvailable);
            await WaitForDeploymentAsync("broken", d => d.Status?.ObservedGeneration == d.Metadata.Generation);
            await WaitAsync(() => Api.AppsV1.ReadNamespacedStatefulSetAsync("db", _ns), s => s.Status?.ReadyReplicas == 1, "db ready");
            await WaitAsync(() => Api.AppsV1.ReadNamespacedDaemonSetAsync("agent", _ns), d => d.Status?.NumberReady == 1, "agent ready");
            // Let the pass that wrote the last status finish, then count from a quiet point.
            var settled = simulator.PassesCompleted + 1;
            await Eventually.WaitAsync(() => simulator.PassesCompleted > settled, "one more pass");
            var writes = simulator.StatusWrites;
            var versions = await ResourceVersionsAsync();
            Assert.True(writes >= 4, $"expected at least the 4 writes that made the workloads ready, saw {writes}");

            var until = simulator.PassesCompleted + 6;
            await Eventually.WaitAsync(() => simulator.PassesCompleted >= until, "six more passes");

            Assert.Equal(writes, simulator.StatusWrites);
            Assert.Equal(versions, await ResourceVersionsAsync());
        }
    }

    [Fact]
    public async Task Status_waits_for_the_ready_delay_on_the_injected_clock()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("slow"), _ns);
        var clock = new FakeTimeProvider();
        var options = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(500) };
        var simulator = new WorkloadStatusSimulator(Api, options, clock, NullLogger.Instance, LocalFleetFixture.MemberName);
        await using var run = new SimulatorRun(simulator.RunAsync);

        await Eventually.WaitAsync(() => simulator.PassesCompleted >= 1, "first pass");
        for (var step = 1; step <= 3; step++)
        {
            var passes = simulator.PassesCompleted;
            clock.Advance(options.PollInterval);
            await Eventually.WaitAsync(() => simulator.PassesCompleted > passes, $"pass after {step * 500} ms");
            Assert.Null((await Api.AppsV1.ReadNamespacedDeploymentAsync("slow", _ns)).Status?.ObservedGeneration);
        }

        var before = simulator.PassesCompleted;
        clock.Advance(options.PollInterval);
        await Eventually.WaitAsync(() => simulator.PassesCompleted > before, "pass after 2000 ms");
        Assert.True(IsAvailable(await Api.AppsV1.ReadNamespacedDeploymentAsync("slow", _ns)), "available once the ready delay has passed");
        run.AssertRunning();
    }

    private SimulatorRun Start(out WorkloadStatusSimulator simulator)
    {
        simulator = new WorkloadStatusSimulator(Api, Fast, TimeProvider.System, NullLogger.Instance, LocalFleetFixture.MemberName);
        return new SimulatorRun(simulator.RunAsync);
    }

    private async Task<string[]> ResourceVersionsAsync() =>
    [
        (await Api.AppsV1.ReadNamespacedDeploymentAsync("web", _ns)).Metadata.ResourceVersion,
        (await Api.AppsV1.ReadNamespacedDeploymentAsync("broken", _ns)).Metadata.ResourceVersion,
        (await Api.AppsV1.ReadNamespacedStatefulSetAsync("db", _ns)).Metadata.ResourceVersion,
        (await Api.AppsV1.ReadNamespacedDaemonSetAsync("agent", _ns)).Metadata.ResourceVersion,
    ];

    internal static bool IsAvailable(V1Deployment d) =>
        d.Status?.ObservedGeneration == d.Metadata.Generation
        && d.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;

    private Task<V1Deployment> WaitForDeploymentAsync(string name, Func<V1Deployment, bool> condition) =>
        WaitAsync(() => Api.AppsV1.ReadNamespacedDeploymentAsync(name, _ns), condition, $"Deployment {_ns}/{name}");

    internal static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var last = default(T);
        await Eventually.WaitAsync(async () => condition(last = await read()), what);
        return last!;
    }
}
