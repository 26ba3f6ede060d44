using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kube.Simulation;

/// <summary>
/// Runs one <see cref="WorkloadStatusSimulator"/> per member of the local fleet, each on its own loop: a member that
/// is down or failing only backs off its own loop, and a loop that stops unexpectedly is restarted after a pause
/// (doubling from the poll interval up to <see cref="WorkloadSimulatorOptions.MaxErrorBackoff"/>).
/// </summary>
public sealed class FleetWorkloadSimulator
{
    private readonly WorkloadSimulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <param name="members">Each member's name (unique) and client, kept for the simulator's life.</param>
    public FleetWorkloadSimulator(IEnumerable<(string Name, IKubernetes Client)> members, WorkloadSimulatorOptions options,
        TimeProvider clock, ILogger logger)
    {
        options.Validate();
        var list = members.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        if (list.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"member {twice.Key} is listed twice", nameof(members));
        _options = options;
        _clock = clock;
        _logger = logger;
        Members = list.Select(m => new WorkloadStatusSimulator(m.Client, options, clock, logger, m.Name)).ToList();
    }

    /// <summary>The per-member simulators, ordered by name.</summary>
    public IReadOnlyList<WorkloadStatusSimulator> Members { get; }

    /// <summary>Status writes accepted across all members.</summary>
    public long StatusWrites => Members.Sum(m => m.StatusWrites);

    /// <summary>Runs every member's loop until <paramref name="ct"/> is cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    public Task RunAsync(CancellationToken ct) => Task.WhenAll(Members.Select(m => RunMemberAsync(m, ct)));

    private async Task RunMemberAsync(WorkloadStatusSimulator member, CancellationToken ct)
    {
        // Leave the caller before the first request, so no member's start waits on another's.
        await Task.Yield();
        var restarts = 0;
        while (true)
        {
            try
            {
                await member.RunAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                restarts++;
                var delay = TimeSpan.FromTicks((long)Math.Min(_options.PollInterval.Ticks * Math.Pow(2, Math.Min(restarts, 30)),
                    _options.MaxErrorBackoff.Ticks));
                WorkloadSimulatorLog.MemberLoopFailed(_logger, member.ClusterName, delay, e);
                await Task.Delay(delay, _clock, ct);
            }
        }
    }
}
