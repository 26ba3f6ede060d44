namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// A real-time safety net for awaits that the fake clock or a signal should complete at once. It only turns a
/// hang into a failure; no test waits on it to make progress.
/// </summary>
internal static class Deadline
{
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(10);

    public static Task OrTimeout(this Task task) => task.WaitAsync(Safety);

    public static Task<T> OrTimeout<T>(this Task<T> task) => task.WaitAsync(Safety);

    public static Task<T> OrTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Safety);
}
