namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// Tasks that complete when a condition over some state becomes true. The owner calls <see cref="Check"/>
/// under its own lock after every change; conditions read that state without locking again.
/// </summary>
internal sealed class Signals
{
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> pending = [];

    /// <summary>Call under the owner's lock.</summary>
    public Task When(Func<bool> condition)
    {
        if (condition())
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pending.Add((condition, done));
        return done.Task;
    }

    /// <summary>Call under the owner's lock.</summary>
    public void Check()
    {
        for (var i = pending.Count - 1; i >= 0; i--)
        {
            if (pending[i].Condition())
            {
                pending[i].Done.TrySetResult();
                pending.RemoveAt(i);
            }
        }
    }
}
