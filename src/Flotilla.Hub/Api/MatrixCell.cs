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
    public static MatrixCell From(BundleClusterStatus entry, string? desiredRevision) =>
        new(SyncOf(entry, desiredRevision), entry.Health, Short(entry.AppliedRevision), !string.IsNullOrEmpty(entry.Drift), entry.Error);

    /// <summary>The cell's <see cref="Sync"/> without building the cell (the matrix counts every cell, but builds only a page of them).</summary>
    public static string SyncOf(BundleClusterStatus entry, string? desiredRevision)
    {
        var sync = entry.Phase ?? "Pending";
        return sync == "Synced" && desiredRevision is not null && entry.AppliedRevision != desiredRevision ? "OutOfSync" : sync;
    }

    public bool Matches(MatrixStatusFilter filter) => Matches(filter, Sync, Health, Drift);

    public static bool Matches(MatrixStatusFilter filter, string sync, string? health, bool drift) => filter switch
    {
        MatrixStatusFilter.Synced => sync == "Synced",
        MatrixStatusFilter.OutOfSync => sync is "OutOfSync" or "Pending",
        MatrixStatusFilter.Failed => sync is "Failed" or "Unreachable",
        MatrixStatusFilter.Degraded => health == "Degraded",
        MatrixStatusFilter.Drifted => drift,
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
