using System.Text.Json.Nodes;
using Flotilla.Core.Health;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// What <see cref="HookGate"/> decided: go on, wait or fail (with why and the health that means), and which hooks their
/// delete policy removes now.
/// </summary>
public sealed record HookVerdict(HookGateState State, string? Message, IReadOnlyList<HookDeletion> Deletions, HealthStatus Health = HealthStatus.Healthy)
{
    public static HookVerdict Proceed { get; } = new(HookGateState.Proceed, null, []);
}

/// <summary>A hook to delete now (its live copy: the delete is conditioned on its uid), recorded first as having run with <see cref="Hash"/>.</summary>
public sealed record HookDeletion(ObjectRef Ref, string Hash, HookOutcome Outcome, JsonObject Live);
