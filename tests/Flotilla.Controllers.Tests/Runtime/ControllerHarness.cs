using Flotilla.Controllers.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// A controller on a fake clock with a recording reconciler. Keys starting with <c>~settle</c> always succeed;
/// <see cref="SettleAsync"/> uses them as a barrier.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private const string SettlePrefix = "~settle";

    private readonly CancellationTokenSource stop = new();
    private Task? run;
    private int settles;

    public ControllerHarness(
        Func<ReconcileCall, Task<ReconcileResult>> behaviour, int maxConcurrency = 1, TimeSpan? reconcileTimeout = null)
    {
        // No jitter: backoff delays are exactly 1 s, 2 s, 4 s, …
        Queue = new WorkQueue<string>(Clock, new ExponentialBackoff { Random = () => 0 });
        Reconciler = new RecordingReconciler(
            Clock, call => call.Key.StartsWith(SettlePrefix, StringComparison.Ordinal) ? Task.FromResult(ReconcileResult.Success) : behaviour(call));
        var options = new ControllerOptions
        {
            MaxConcurrency = maxConcurrency,
            ReconcileTimeout = reconcileTimeout ?? TimeSpan.FromMinutes(1),
        };
        Controller = new Controller<string>("test", Queue, Reconciler, options, Clock, Logger);
    }

    public FakeTimeProvider Clock { get; } = new();

    public WorkQueue<string> Queue { get; }

    public RecordingReconciler Reconciler { get; }

    public RecordingLogger<Controller<string>> Logger { get; } = new();

    public Controller<string> Controller { get; }

    public Task Run => run ?? throw new InvalidOperationException("Not started.");

    public ControllerHarness Start()
    {
        run = Controller.RunAsync(stop.Token);
        return this;
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Run.OrTimeout();
    }

    /// <summary>
    /// With one worker, returns once every key that was ready before the call has been fully processed: the
    /// barrier key queued behind them is only taken after their outcome has been applied and their lease released.
    /// </summary>
    public async Task SettleAsync()
    {
        var key = $"{SettlePrefix}-{++settles}";
        Queue.Add(key);
        await Reconciler.WhenCalled(key).OrTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        if (run is not null && !stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        Queue.Dispose();
        stop.Dispose();
    }
}
