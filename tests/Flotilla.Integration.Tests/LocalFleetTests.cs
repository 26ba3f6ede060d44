namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class LocalFleetTests(FleetFixture fleet)
{
    [Fact]
    public async Task Up_on_a_running_fleet_is_a_no_op_and_status_shows_every_process_ready()
    {
        var pids = fleet.Launcher.State!.Processes.Select(p => p.Pid).ToList();
        var up = await CliRunner.RunAsync(fleet.Env, "local", "up", "--members", "3");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("already running", up.Stdout);
        Assert.Equal(pids, fleet.Launcher.State!.Processes.Select(p => p.Pid).ToList());

        var status = await CliRunner.RunAsync(fleet.Env, "local", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        foreach (var name in new[] { "etcd", "flotilla-hub-apiserver", "member-1-apiserver", "member-3-controller-manager" })
            Assert.Matches($@"{name}\s+\S.*Running", status.Stdout);
        Assert.DoesNotMatch(@"apiserver\s.*Running\s+False", status.Stdout);
    }

    [Fact]
    public async Task Namespace_deletion_works_on_members_because_a_controller_manager_runs()
    {
        using var member = fleet.Member("member-1");
        await member.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = "doomed" } });
        await member.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "x" } }, "doomed");
        await member.CoreV1.DeleteNamespaceAsync("doomed");
        await Eventually.WaitAsync(async () => (await member.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.name=doomed")).Items.Count == 0,
            TimeSpan.FromSeconds(60), "namespace doomed deleted");
    }
}
