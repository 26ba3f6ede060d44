namespace Flotilla.Kube.Tests.Simulation;

/// <summary>
/// A simulator loop started for one test. Disposing cancels it and fails the test unless the loop was still running
/// (a loop that died on an error is a defect the tests must see).
/// </summary>
public sealed class SimulatorRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public SimulatorRun(Func<CancellationToken, Task> run) => Loop = run(_stop.Token);

    public Task Loop { get; }

    public void AssertRunning()
    {
        if (Loop.IsCompleted) throw new Xunit.Sdk.XunitException($"the simulator loop ended: {Loop.Exception?.GetBaseException().Message ?? Loop.Status.ToString()}");
    }

    public async ValueTask DisposeAsync()
    {
        AssertRunning();
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Loop);
        _stop.Dispose();
    }
}
