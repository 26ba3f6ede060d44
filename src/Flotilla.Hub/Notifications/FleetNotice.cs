using System.Text.Json.Serialization;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// Something that happened to a Bundle or Cluster, found by comparing two versions of it (<see cref="NoticeDetector"/>):
/// what is written as an Event and, for the kinds a <c>Notification</c> can ask for, sent to webhooks. It holds names,
/// phases, revisions and the status's own messages, never object contents, so no Secret value can be in it.
/// </summary>
public sealed record FleetNotice(
    [property: JsonPropertyName("kind")] NoticeKind Kind,
    [property: JsonPropertyName("objectKind")] string ObjectKind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("revision")] string? Revision,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("clusters")] IReadOnlyList<string> Clusters)
{
    /// <summary>Warning for failures and problems, Normal for progress.</summary>
    [JsonIgnore]
    public bool IsWarning => Kind is NoticeKind.RolloutFailed or NoticeKind.Drift or NoticeKind.SyncFailed
        or NoticeKind.ClusterCredentialsRejected or NoticeKind.ClusterUnreachable;

    /// <summary>True for the kinds a Notification may send (the rest are Events only).</summary>
    [JsonIgnore]
    public bool IsNotifiable => Kind is NoticeKind.RolloutFailed or NoticeKind.RolloutPaused or NoticeKind.RolloutAwaitingApproval
        or NoticeKind.RolloutCompleted or NoticeKind.Drift;
}

[JsonConverter(typeof(JsonStringEnumConverter<NoticeKind>))]
public enum NoticeKind
{
    RolloutFailed,
    RolloutPaused,
    RolloutAwaitingApproval,
    RolloutCompleted,
    RolloutProgressing,
    RolloutStageStarted,
    RolloutStageCompleted,
    Drift,
    SyncFailed,
    ClusterCredentialsRejected,
    ClusterUnreachable,
    ClusterAvailable,
}
