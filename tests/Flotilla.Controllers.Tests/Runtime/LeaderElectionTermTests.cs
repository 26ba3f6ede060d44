using Flotilla.Controllers.Runtime;
using k8s;

namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// Terms of leadership against <see cref="FakeLeaseApi"/>. The client library times renewals on the real clock,
/// so these use sub-second timings; the tests themselves only wait on signals, with the safety deadline.
/// </summary>
public sealed class LeaderElectionTermTests : IDisposable
{
    private readonly FakeLeaseApi api = new();
    private readonly Kubernetes client;
    private readonly LeaderElection election;
    private readonly RecordingLogger<LeaderElection> log = new();

    public LeaderElectionTermTests()
    {
        client = api.CreateClient();
        var options = new LeaderElectionOptions
        {
            Identity = "hub-0",
            // The library renews on the real clock: deadlines wide enough that a loaded CI machine (the whole
            // suite runs at once on 2 cores) never misses a renewal the test expects to succeed.
            LeaseDuration = TimeSpan.FromSeconds(6),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        election = new LeaderElection(client, options, TimeProvider.System, log);
    }

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task LosingTheLease_CancelsTheWork_AndTheNextTermStartsOnlyAfterItReturned()
    {
        var terms = new List<TaskCompletionSource<CancellationToken>> { New(), New() };
        var termReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        using var stop = new CancellationTokenSource();

        var run = election.RunAsync(
            async token =>
            {
                var term = Interlocked.Increment(ref started);
                Assert.True(term == 1 || termReturned.Task.IsCompleted, "a term started while the previous one ran");
                terms[term - 1].TrySetResult(token);
                await Task.Delay(Timeout.InfiniteTimeSpan, token).ContinueWith(_ => { }, TaskScheduler.Default);
                termReturned.TrySetResult();
            },
            stop.Token);

        var first = await terms[0].Task.OrTimeout();
        Assert.True(election.IsLeader);
        Assert.Equal("hub-0", api.Holder("flotilla-hub"));
        Assert.False(first.IsCancellationRequested);

        api.FailWrites = true;
        await Task.Delay(Timeout.InfiniteTimeSpan, first).ContinueWith(_ => { }, TaskScheduler.Default).OrTimeout();
        await termReturned.Task.OrTimeout();
        Assert.False(election.IsLeader);
        Assert.Contains(log.Entries, e => e.EventId.Id == 1101);

        api.FailWrites = false;
        var second = await terms[1].Task.OrTimeout();
        Assert.True(election.IsLeader);

        await stop.CancelAsync();
        await run.OrTimeout();
        Assert.True(second.IsCancellationRequested);
        Assert.False(election.IsLeader);
    }

    [Fact]
    public async Task WorkThatReturnsOnItsOwn_EndsTheRun()
    {
        await election.RunAsync(_ => Task.CompletedTask, CancellationToken.None).OrTimeout();

        Assert.False(election.IsLeader);
        Assert.Contains(log.Entries, e => e.EventId.Id == 1105);
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id == 1101);
    }

    [Fact]
    public async Task WorkThatThrows_FaultsTheRun()
    {
        var run = election.RunAsync(_ => throw new InvalidOperationException("boom"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.OrTimeout());
        Assert.Equal("boom", error.Message);
    }

    private static TaskCompletionSource<CancellationToken> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
