using System.Text.Json.Serialization;
using Flotilla.Kube.Api;

namespace Flotilla.Hub.Api;

/// <summary>
/// One bundle on one cluster in the matrix: <see cref="Sync"/> is the status entry's phase, except that a Synced entry
/// whose applied revision is not the bundle's desired one reads OutOfSync (it has not got the new commit yet).
/// </summary>
public sealed record MatrixCell(
    [property: JsonPropertyName("sync")] string Sync,
    [property: JsonPropertyName("health")] string? Health,
    [property: JsonPropertyName("revision")] string? Revision,
    [property: JsonPropertyName("drift")] bool Drift,
    [property: JsonPropertyName("error")] string? Error)
{
    public static MatrixCell From(BundleClusterStatus entry, string? desiredRevision)
    {
        var sync = entry.Phase ?? "Pending";
        if (sync == "Synced" && desiredRevision is not null && entry.AppliedRevision != desiredRevision) sync = "OutOfSync";
        return new(sync, entry.Health, Short(entry.AppliedRevision), !string.IsNullOrEmpty(entry.Drift), entry.Error);
    }

    public bool Matches(MatrixStatusFilter filter) => filter switch
    {
        MatrixStatusFilter.Synced => Sync == "Synced",
        MatrixStatusFilter.OutOfSync => Sync is "OutOfSync" or "Pending",
        MatrixStatusFilter.Failed => Sync is "Failed" or "Unreachable",
        MatrixStatusFilter.Degraded => Health == "Degraded",
        MatrixStatusFilter.Drifted => Drift,
    };

    internal static string? Short(string? revision) => revision is { Length: > 12 } ? revision[..12] : revision;
}

/// <summary>What the matrix's <c>status</c> filter keeps: clusters with at least one such cell.</summary>
public enum MatrixStatusFilter
{
    Synced,
    OutOfSync,
    Failed,
    Degraded,
    Drifted,
}
