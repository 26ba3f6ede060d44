using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers;

/// <summary>
/// The project's log catalogue (source-generated). Event ids: 1000–1099 controller runtime, 1100–1199 leader
/// election, 1200–1299 Kubernetes Events. Messages log outcomes; keys are object names, never secrets.
/// </summary>
internal static partial class ControllersLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Controller {Controller} started with {Workers} workers")]
    public static partial void ControllerStarted(ILogger logger, string controller, int workers);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Controller {Controller} stopped")]
    public static partial void ControllerStopped(ILogger logger, string controller);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "{Controller} reconciled {Key} in {ElapsedMs} ms")]
    public static partial void ReconcileSucceeded(ILogger logger, string controller, object key, long elapsedMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug,
        Message = "{Controller} reconciled {Key} in {ElapsedMs} ms; looking again in {RequeueAfter}")]
    public static partial void ReconcileRequeued(
        ILogger logger, string controller, object key, long elapsedMs, TimeSpan requeueAfter);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "{Controller} failed to reconcile {Key} (failure {Failures}): {Reason}")]
    public static partial void ReconcileFailed(ILogger logger, string controller, object key, int failures, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "{Controller} failed to reconcile {Key} (failure {Failures})")]
    public static partial void ReconcileThrew(ILogger logger, string controller, object key, int failures, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "{Controller} gave up reconciling {Key} after the {Timeout} timeout (failure {Failures})")]
    public static partial void ReconcileTimedOut(ILogger logger, string controller, object key, TimeSpan timeout, int failures);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "{Controller} stalled on {Key}, not retrying until it changes: {Reason}")]
    public static partial void ReconcileStalled(ILogger logger, string controller, object key, string reason);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Became leader of lease {Lease} as {Identity}")]
    public static partial void StartedLeading(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Lost leadership of lease {Lease} as {Identity}")]
    public static partial void StoppedLeading(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Lease {Lease} is now held by {Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Leader election on lease {Lease} failed; retrying in {RetryPeriod}")]
    public static partial void LeaderElectionFailed(ILogger logger, string lease, TimeSpan retryPeriod, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information,
        Message = "Stepped down from lease {Lease} as {Identity}")]
    public static partial void SteppedDown(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information,
        Message = "Released lease {Lease} as {Identity}: a successor can take over at once")]
    public static partial void LeaseReleased(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Could not release lease {Lease} ({Reason}); a successor takes over when it expires")]
    public static partial void LeaseReleaseFailed(ILogger logger, string lease, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Leader election on lease {Lease} hit an error")]
    public static partial void LeaderElectionError(ILogger logger, string lease, Exception exception);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning,
        Message = "Event {Reason} on Bundle {Bundle} was not written: {Answer}; {Then}")]
    public static partial void EventNotWritten(ILogger logger, string reason, string bundle, string answer, string then);
}
