using System.Diagnostics;
using Flotilla.Controllers.Runtime;
using k8s;

namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// Stopping an election (the hub got SIGTERM): it ends promptly whatever the hub API server does, and a leader
/// that stops by choice releases the Lease so a successor need not wait for it to expire.
/// </summary>
public sealed class LeaderElectionShutdownTests : IDisposable
{
    // Long enough that a successor which waited for expiry could not pass the assertions below.
    private static readonly LeaderElectionOptions Timing = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30),
        RenewDeadline = TimeSpan.FromSeconds(4),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
    };

    private readonly FakeLeaseApi api = new();
    private readonly Kubernetes client;

    public LeaderElectionShutdownTests() => client = api.CreateClient();

    public void Dispose() => client.Dispose();

    private LeaderElection Candidate(string identity, RecordingLogger<LeaderElection> log) => new(client, new LeaderElectionOptions
    {
        Identity = identity,
        LeaseDuration = Timing.LeaseDuration,
        RenewDeadline = Timing.RenewDeadline,
        RetryPeriod = Timing.RetryPeriod,
    }, TimeProvider.System, log);

    [Fact]
    public async Task A_leader_that_is_stopped_releases_the_lease_and_a_successor_takes_over_at_once()
    {
        var log = new RecordingLogger<LeaderElection>();
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = Candidate("hub-0", log).RunAsync(async term =>
        {
            leading.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, term).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stop.Token);
        await leading.Task.OrTimeout();
        Assert.Equal("hub-0", api.Holder("flotilla-hub"));

        await stop.CancelAsync();
        await run.OrTimeout();

        Assert.Equal("", api.Holder("flotilla-hub"));
        Assert.Contains(log.Entries, e => e.EventId.Id == 1106);
        var clock = Stopwatch.StartNew();
        var successorLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopSuccessor = new CancellationTokenSource();
        var successor = Candidate("hub-1", new RecordingLogger<LeaderElection>()).RunAsync(async term =>
        {
            successorLeads.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, term).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stopSuccessor.Token);
        await successorLeads.Task.OrTimeout();
        Assert.True(clock.Elapsed < Timing.LeaseDuration / 3, $"successor took {clock.Elapsed}");
        Assert.Equal("hub-1", api.Holder("flotilla-hub"));
        await stopSuccessor.CancelAsync();
        await successor.OrTimeout();
    }

    [Fact]
    public async Task A_leader_whose_hub_stops_answering_ends_promptly_when_stopped_and_keeps_the_lease_record()
    {
        var log = new RecordingLogger<LeaderElection>();
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = Candidate("hub-0", log).RunAsync(async term =>
        {
            leading.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, term).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stop.Token);
        await leading.Task.OrTimeout();

        api.Hang = true;
        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        await run.OrTimeout();

        // Stopping waited at most one RetryPeriod for the release, not for the hub.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {clock.Elapsed}");
        Assert.Contains(log.Entries, e => e.EventId.Id == 1107);
        Assert.Equal("hub-0", api.Holder("flotilla-hub"));
    }

    [Fact]
    public async Task A_candidate_whose_hub_never_answers_ends_promptly_when_stopped()
    {
        api.Hang = true;
        var log = new RecordingLogger<LeaderElection>();
        var led = false;
        using var stop = new CancellationTokenSource();
        var run = Candidate("hub-0", log).RunAsync(_ => { led = true; return Task.CompletedTask; }, stop.Token);
        // Let it campaign into the hanging hub first.
        await api.WhenRequested.OrTimeout();

        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        await run.OrTimeout();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"stopping took {clock.Elapsed}");
        Assert.False(led);
    }
}
