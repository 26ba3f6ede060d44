using Flotilla.Controllers.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Runtime;

public sealed class ControllerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly Task<ReconcileResult> Succeed = Task.FromResult(ReconcileResult.Success);

    [Fact]
    public async Task OneKey_IsNeverReconciledTwiceAtOnce_AndAReAddRunsOnceMoreAfterwards()
    {
        var gate = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ControllerHarness(
            call => call is { Key: "a", Attempt: 1 } ? gate.Task : Succeed, maxConcurrency: 4).Start();

        h.Queue.Add("a");
        await h.Reconciler.WhenCalled("a").OrTimeout();
        for (var i = 0; i < 5; i++)
        {
            h.Queue.Add("a");
        }

        // Three workers are idle; "b" and "c" queue behind "a", so a queue that handed out a leased key would
        // have given "a" to one of them first.
        h.Queue.Add("b");
        h.Queue.Add("c");
        await h.Reconciler.WhenCalled("b").OrTimeout();
        await h.Reconciler.WhenCalled("c").OrTimeout();
        Assert.Equal(1, h.Reconciler.CallsFor("a"));

        gate.SetResult(ReconcileResult.Success);
        await h.Reconciler.WhenCalled("a", 2).OrTimeout();
        await h.StopAsync();

        Assert.Equal(2, h.Reconciler.CallsFor("a"));
        Assert.Equal(1, h.Reconciler.MaxInFlightForOneKey);
    }

    [Fact]
    public async Task Workers_AreBoundedByMaxConcurrency()
    {
        var gate = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ControllerHarness(_ => gate.Task, maxConcurrency: 3).Start();

        string[] keys = ["k1", "k2", "k3", "k4", "k5"];
        foreach (var key in keys)
        {
            h.Queue.Add(key);
        }

        await h.Reconciler.WhenInFlight(3).OrTimeout();
        Assert.Equal(2, h.Queue.Count);

        gate.SetResult(ReconcileResult.Success);
        foreach (var key in keys)
        {
            await h.Reconciler.WhenCalled(key).OrTimeout();
        }

        await h.StopAsync();
        Assert.Equal(3, h.Reconciler.MaxInFlight);
    }

    [Fact]
    public async Task ManyKeysUnderLoad_EachKeyHasOneReconcileInFlight()
    {
        await using var h = new ControllerHarness(
            async _ =>
            {
                await Task.Yield();
                return ReconcileResult.Success;
            },
            maxConcurrency: 4).Start();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            for (var i = 0; i < 2_000; i++)
            {
                h.Queue.Add($"key-{random.Next(10)}");
            }
        }))).OrTimeout();
        for (var i = 0; i < 10; i++)
        {
            await h.Reconciler.WhenCalled($"key-{i}").OrTimeout();
        }

        await h.StopAsync();
        Assert.Equal(1, h.Reconciler.MaxInFlightForOneKey);
        Assert.InRange(h.Reconciler.MaxInFlight, 1, 4);
    }

    [Fact]
    public async Task RequeueAfter_ReconcilesAgainExactlyWhenTheDelayPasses()
    {
        await using var h = new ControllerHarness(
            call => call.Attempt == 1 ? Task.FromResult(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30))) : Succeed).Start();
        var start = h.Clock.GetUtcNow();

        h.Queue.Add("a");
        await h.SettleAsync();
        Assert.Equal(1, h.Reconciler.CallsFor("a"));

        h.Clock.Advance(TimeSpan.FromSeconds(30) - Tick);
        await h.SettleAsync();
        Assert.Equal(1, h.Reconciler.CallsFor("a"));

        h.Clock.Advance(Tick);
        await h.Reconciler.WhenCalled("a", 2).OrTimeout();
        Assert.Equal(start + TimeSpan.FromSeconds(30), h.Reconciler.Call("a", 2).StartedAt);
        Assert.Equal(0, h.Queue.Failures("a"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Failure_RetriesWithGrowingBackoff_AndSuccessForgetsIt(bool throws)
    {
        await using var h = new ControllerHarness(call => call.Attempt switch
        {
            < 3 when throws => throw new InvalidOperationException($"attempt {call.Attempt} failed"),
            < 3 => Task.FromResult(ReconcileResult.Failed($"attempt {call.Attempt} failed")),
            _ => Succeed,
        }).Start();

        h.Queue.Add("a");
        await h.SettleAsync();
        Assert.Equal(1, h.Queue.Failures("a"));

        // First retry after 1 s, second after 2 s.
        foreach (var (delay, attempt) in new[] { (TimeSpan.FromSeconds(1), 2), (TimeSpan.FromSeconds(2), 3) })
        {
            h.Clock.Advance(delay - Tick);
            await h.SettleAsync();
            Assert.Equal(attempt - 1, h.Reconciler.CallsFor("a"));

            h.Clock.Advance(Tick);
            await h.Reconciler.WhenCalled("a", attempt).OrTimeout();
            await h.SettleAsync();
        }

        Assert.Equal(0, h.Queue.Failures("a"));
        var failures = h.Logger.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.Equal(throws ? 1005 : 1004, e.EventId.Id));
        Assert.All(failures, e => Assert.Equal(throws, e.Exception is InvalidOperationException));
        Assert.Contains("(failure 2)", failures[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stalled_IsNotRetried()
    {
        await using var h = new ControllerHarness(_ => Task.FromResult(ReconcileResult.Stalled("bad spec"))).Start();

        h.Queue.Add("a");
        await h.SettleAsync();
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.SettleAsync();

        Assert.Equal(1, h.Reconciler.CallsFor("a"));
        Assert.Equal(0, h.Queue.Failures("a"));
        Assert.Contains(h.Logger.Entries, e => e.EventId.Id == 1007 && e.Message.Contains("bad spec", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileTimeout_CancelsTheToken_AndCountsAsAFailure()
    {
        await using var h = new ControllerHarness(
            async call =>
            {
                if (call.Attempt == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, call.Token);
                }

                return ReconcileResult.Success;
            },
            reconcileTimeout: TimeSpan.FromSeconds(10)).Start();

        h.Queue.Add("stuck");
        await h.Reconciler.WhenCalled("stuck").OrTimeout();
        var token = h.Reconciler.Call("stuck", 1).Token;

        h.Clock.Advance(TimeSpan.FromSeconds(10) - Tick);
        Assert.False(token.IsCancellationRequested);

        h.Clock.Advance(Tick);
        Assert.True(token.IsCancellationRequested);

        await h.SettleAsync();
        Assert.Equal(1, h.Queue.Failures("stuck"));
        Assert.Contains(h.Logger.Entries, e => e.EventId.Id == 1006);

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.Reconciler.WhenCalled("stuck", 2).OrTimeout();
    }

    [Fact]
    public async Task Stop_CancelsInFlightReconciles_AndKeepsTheirKeysWithoutCountingAFailure()
    {
        await using var h = new ControllerHarness(
            async call =>
            {
                if (call.Attempt == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, call.Token);
                }

                return ReconcileResult.Success;
            },
            maxConcurrency: 2).Start();

        h.Queue.Add("a");
        await h.Reconciler.WhenCalled("a").OrTimeout();
        await h.StopAsync();

        Assert.True(h.Reconciler.Call("a", 1).Token.IsCancellationRequested);
        Assert.Equal(1, h.Queue.Count);
        Assert.Equal(0, h.Queue.Failures("a"));
        Assert.DoesNotContain(h.Logger.Entries, e => e.Level >= LogLevel.Warning);

        // The queue outlives the run, so a second run (say, after regaining leadership) picks the key up.
        using var again = new CancellationTokenSource();
        var rerun = h.Controller.RunAsync(again.Token);
        await h.Reconciler.WhenCalled("a", 2).OrTimeout();
        await again.CancelAsync();
        await rerun.OrTimeout();
    }

    [Fact]
    public async Task RunAsync_WhileRunning_Throws()
    {
        await using var h = new ControllerHarness(_ => Succeed).Start();

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Controller.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_EndsWhenTheQueueIsShutDown()
    {
        await using var h = new ControllerHarness(_ => Succeed, maxConcurrency: 2).Start();

        h.Queue.ShutDown();

        await h.Run.OrTimeout();
    }

    [Fact]
    public void Options_DefaultToFourWorkersAndOneMinute()
    {
        var options = new ControllerOptions();

        Assert.Equal(4, options.MaxConcurrency);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ReconcileTimeout);
        options.Validate();
    }

    [Theory]
    [InlineData(0, 60, nameof(ControllerOptions.MaxConcurrency))]
    [InlineData(1025, 60, nameof(ControllerOptions.MaxConcurrency))]
    [InlineData(4, 0, nameof(ControllerOptions.ReconcileTimeout))]
    [InlineData(4, -1, nameof(ControllerOptions.ReconcileTimeout))]
    [InlineData(4, 86_401, nameof(ControllerOptions.ReconcileTimeout))]
    public void InvalidOptions_AreRejectedWhenTheControllerIsCreated(int maxConcurrency, int timeoutSeconds, string setting)
    {
        var options = new ControllerOptions { MaxConcurrency = maxConcurrency, ReconcileTimeout = TimeSpan.FromSeconds(timeoutSeconds) };
        using var queue = new WorkQueue<string>(TimeProvider.System, new ExponentialBackoff());

        var error = Assert.Throws<ArgumentException>(() => new Controller<string>(
            "test", queue, new RecordingReconciler(TimeProvider.System, _ => Succeed), options, new FakeTimeProvider(),
            NullLogger<Controller<string>>.Instance));

        Assert.Equal(setting, error.ParamName);
    }
}
