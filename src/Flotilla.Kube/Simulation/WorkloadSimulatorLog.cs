using Microsoft.Extensions.Logging;

namespace Flotilla.Kube.Simulation;

/// <summary>The log messages of the workload status simulator.</summary>
internal static partial class WorkloadSimulatorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Cluster}: {Workload} generation {Generation} marked {Outcome} (simulated status)")]
    public static partial void StatusWritten(ILogger logger, string cluster, WorkloadStatusPlan workload, long generation, SimulatedOutcome outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Cluster}: {Workload} was deleted or changed before its status was written ({Status}); looking again next pass")]
    public static partial void ChangedMeanwhile(ILogger logger, string cluster, WorkloadStatusPlan workload, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Cluster}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string cluster, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Cluster}: {Reason}; retrying every pass, logged again when the reason changes")]
    public static partial void ListFailed(ILogger logger, string cluster, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cluster}: listing {Kind} works again")]
    public static partial void ListRecovered(ILogger logger, string cluster, WorkloadKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Cluster}: the workload simulator stopped unexpectedly; restarting it in {Delay}")]
    public static partial void MemberLoopFailed(ILogger logger, string cluster, TimeSpan delay, Exception exception);
}
