using System.Text.Json;
using System.Text.Json.Serialization;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Rollouts;

/// <summary>
/// A <c>flotilla rollout pause|resume|approve|rollback</c> command as the CLI records it on the Bundle, in the annotation
/// <see cref="Annotation"/>: <c>{"id":…,"type":"Approve","revision":…,"gate":…}</c>. The hub passes a command whose
/// <see cref="Id"/> differs from the acknowledged <c>status.rollout.lastCommandId</c> to the planner once, and
/// acknowledges it in the same status write as the state it changed. One annotation holds one command: a second command
/// written before the hub saw the first replaces it (the CLI waits for the acknowledgement to avoid that).
/// </summary>
public sealed record RolloutCommandRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("revision")] string? Revision = null,
    [property: JsonPropertyName("gate")] string? Gate = null)
{
    public const string Annotation = "flotilla.io/rollout-command";

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>
    /// The request for <paramref name="kind"/> against the run the user saw (<paramref name="status"/>): approve names
    /// its waiting gate and revision, rollback its revision, so neither applies to a newer run. Throws
    /// <see cref="InvalidOperationException"/> saying why when there is nothing to approve or roll back.
    /// Used by the CLI and the dashboard alike.
    /// </summary>
    public static RolloutCommandRequest For(RolloutCommandKind kind, BundleRolloutStatus? status) => kind switch
    {
        RolloutCommandKind.Pause or RolloutCommandKind.Resume => new(NewId(), kind.ToString()),
        RolloutCommandKind.Approve => status?.AwaitingApproval is { } gate && status.TargetRevision is { } revision
            ? new(NewId(), kind.ToString(), revision, gate)
            : throw new InvalidOperationException($"nothing waits for an approval (phase {status?.Phase ?? "none"})"),
        RolloutCommandKind.Rollback => status?.TargetRevision is not { } target
            ? throw new InvalidOperationException("the bundle has no rollout to roll back")
            : status.LastHealthyRevision is null
                ? throw new InvalidOperationException("there is no fully healthy revision to go back to")
                : new(NewId(), kind.ToString(), target),
    };

    /// <summary>Records the request on the Bundle (a merge patch of the annotation); the hub takes it on its next reconcile.</summary>
    public async Task RecordAsync(IKubernetes hub, string ns, string bundle, CancellationToken ct)
    {
        var patch = KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [Annotation] = ToJson() } } });
        await hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, bundle, cancellationToken: ct);
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..16];

    /// <summary>The request in the annotation, or null when there is none or it cannot be read (the reason in <paramref name="error"/>).</summary>
    public static RolloutCommandRequest? Read(IDictionary<string, string>? annotations, out string? error)
    {
        error = null;
        if (annotations is null || !annotations.TryGetValue(Annotation, out var json)) return null;
        try
        {
            var request = JsonSerializer.Deserialize<RolloutCommandRequest>(json);
            if (request is { Id.Length: > 0 } && request.Command() is not null) return request;
            error = $"annotation {Annotation} needs an id and a type Pause, Resume, Approve (revision, gate) or Rollback (revision)";
        }
        catch (JsonException e)
        {
            error = $"annotation {Annotation} is not a command: {e.Message}";
        }
        return null;
    }

    /// <summary>The planner's command, or null when the type or its fields are wrong.</summary>
    public RolloutCommand? Command() => Type switch
    {
        nameof(RolloutCommandKind.Pause) => RolloutCommand.Pause(),
        nameof(RolloutCommandKind.Resume) => RolloutCommand.Resume(),
        nameof(RolloutCommandKind.Approve) when Revision is { Length: > 0 } && Gate is { Length: > 0 } => RolloutCommand.Approve(Revision, Gate),
        nameof(RolloutCommandKind.Rollback) when Revision is { Length: > 0 } => RolloutCommand.Rollback(Revision),
        _ => null,
    };
}
