using System.Text.Json;
using System.Text.Json.Serialization;
using Flotilla.Core.Rollout;

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
