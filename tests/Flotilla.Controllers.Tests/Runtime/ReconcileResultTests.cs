using Flotilla.Controllers.Runtime;

namespace Flotilla.Controllers.Tests.Runtime;

public sealed class ReconcileResultTests
{
    [Fact]
    public void Factories_SetOutcomeDelayAndReason()
    {
        Assert.Equal(ReconcileOutcome.Success, ReconcileResult.Success.Outcome);

        var requeue = ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30));
        Assert.Equal(ReconcileOutcome.RequeueAfter, requeue.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), requeue.Delay);
        Assert.Null(requeue.Reason);

        var failed = ReconcileResult.Failed("cluster east unreachable");
        Assert.Equal(ReconcileOutcome.Failed, failed.Outcome);
        Assert.Equal("cluster east unreachable", failed.Reason);

        var stalled = ReconcileResult.Stalled("spec.path escapes the repository");
        Assert.Equal(ReconcileOutcome.Stalled, stalled.Outcome);
        Assert.Equal(TimeSpan.Zero, stalled.Delay);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void RequeueAfter_RejectsANonPositiveDelay(int seconds)
    {
        // A zero delay would be a hot loop.
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void FailedAndStalled_RequireAReason()
    {
        Assert.Throws<ArgumentException>(() => ReconcileResult.Failed(" "));
        Assert.Throws<ArgumentException>(() => ReconcileResult.Stalled(""));
    }
}
