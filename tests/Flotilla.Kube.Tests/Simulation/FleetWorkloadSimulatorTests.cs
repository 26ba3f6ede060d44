using Flotilla.Kube.Simulation;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kube.Tests.Simulation;

[Collection(LocalFleetCollection.Name)]
public sealed class FleetWorkloadSimulatorTests(LocalFleetFixture fleet) : IAsyncLifetime
{
    private string _ns = "";

    public async Task InitializeAsync() => _ns = await fleet.CreateNamespaceAsync();

    public async Task DisposeAsync() => await fleet.Member.CoreV1.DeleteNamespaceAsync(_ns);

    [Fact]
    public async Task A_member_that_is_down_does_not_stop_the_others()
    {
        await fleet.Member.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), _ns);
        var unreachable = fleet.MemberConfiguration();
        unreachable.Host = "https://127.0.0.1:1";
        using var down = new Kubernetes(unreachable);
        var simulator = new FleetWorkloadSimulator([("member-0-down", down), (LocalFleetFixture.MemberName, fleet.Member)],
            new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(100) },
            TimeProvider.System, NullLogger.Instance);
        await using var run = new SimulatorRun(simulator.RunAsync);

        await WorkloadStatusSimulatorTests.WaitAsync(() => fleet.Member.AppsV1.ReadNamespacedDeploymentAsync("web", _ns),
            WorkloadStatusSimulatorTests.IsAvailable, "web available on the reachable member");

        Assert.Equal(["member-0-down", LocalFleetFixture.MemberName], simulator.Members.Select(m => m.ClusterName));
        var member = simulator.Members.Single(m => m.ClusterName == LocalFleetFixture.MemberName);
        // The simulator counts a write once the API server's answer is back on its own thread, which can be after this
        // test has already read the written status.
        await Eventually.WaitAsync(() => member.StatusWrites >= 1, "the reachable member's write counted");
        Assert.Equal(0, simulator.Members[0].StatusWrites);
        // The down member's loop keeps going (backing off), it neither died nor blocked the reachable one.
        await Eventually.WaitAsync(() => simulator.Members[0].PassesCompleted >= 2, "the down member retries");
        run.AssertRunning();
    }

    [Fact]
    public void A_member_listed_twice_is_refused()
    {
        var options = new WorkloadSimulatorOptions();
        Assert.Throws<ArgumentException>(() => new FleetWorkloadSimulator(
            [("a", fleet.Member), ("a", fleet.Member)], options, TimeProvider.System, NullLogger.Instance));
    }
}
