using Flotilla.Controllers.Runtime;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// Construction and the no-server path only; campaigning against a real apiserver is an integration test.
/// </summary>
public sealed class LeaderElectionTests : IDisposable
{
    // Nothing listens on port 1, so every request fails at once with "connection refused".
    private readonly Kubernetes unreachable = new(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });

    public void Dispose() => unreachable.Dispose();

    [Fact]
    public void Options_DefaultToTheHubLeaseAndClientGoTimings()
    {
        var options = new LeaderElectionOptions();

        Assert.Equal("flotilla-hub", options.LeaseName);
        Assert.Equal("flotilla-system", options.LeaseNamespace);
        Assert.Equal($"{Environment.MachineName}_{Environment.ProcessId}", options.Identity);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        options.Validate();
    }

    public static TheoryData<string, Action<LeaderElectionOptions>> InvalidOptions() => new()
    {
        { nameof(LeaderElectionOptions.LeaseName), o => o.LeaseName = "" },
        { nameof(LeaderElectionOptions.LeaseNamespace), o => o.LeaseNamespace = " " },
        { nameof(LeaderElectionOptions.Identity), o => o.Identity = "" },
        { nameof(LeaderElectionOptions.RetryPeriod), o => o.RetryPeriod = TimeSpan.Zero },
        { nameof(LeaderElectionOptions.RenewDeadline), o => o.RenewDeadline = TimeSpan.FromSeconds(2.4) },
        { nameof(LeaderElectionOptions.LeaseDuration), o => o.LeaseDuration = TimeSpan.FromSeconds(10) },
        { nameof(LeaderElectionOptions.LeaseDuration), o => (o.LeaseDuration, o.RenewDeadline, o.RetryPeriod) = (TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100)) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptions_AreRejectedAtConstruction(string setting, Action<LeaderElectionOptions> spoil)
    {
        var options = new LeaderElectionOptions();
        spoil(options);

        var error = Assert.Throws<ArgumentException>(
            () => new LeaderElection(unreachable, options, TimeProvider.System, NullLogger<LeaderElection>.Instance));

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void Construction_DoesNoIo_AndStartsAsFollower()
    {
        var election = new LeaderElection(
            unreachable, new LeaderElectionOptions { Identity = "hub-0" }, TimeProvider.System, NullLogger<LeaderElection>.Instance);

        Assert.False(election.IsLeader);
        Assert.Equal("hub-0", election.Identity);
        Assert.Equal("flotilla-system/flotilla-hub", election.Lease);
    }

    [Fact]
    public async Task RunAsync_WithoutAServer_RetriesOnTheInjectedClock_NeverLeads_AndStopsOnCancel()
    {
        var clock = new FakeTimeProvider();
        var logger = new RecordingLogger<LeaderElection>();
        var election = new LeaderElection(unreachable, new LeaderElectionOptions(), clock, logger);
        var led = false;
        using var stop = new CancellationTokenSource();

        var run = election.RunAsync(_ => { led = true; return Task.CompletedTask; }, stop.Token);
        await logger.WhenLogged(1103).OrTimeout();
        clock.Advance(TimeSpan.FromSeconds(2));
        await logger.WhenLogged(1103, 2).OrTimeout();
        await stop.CancelAsync();
        await run.OrTimeout();

        Assert.False(led);
        Assert.False(election.IsLeader);
    }
}
