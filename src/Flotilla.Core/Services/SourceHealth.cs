namespace Flotilla.Core.Services;

/// <summary>
/// An exporting cluster's health as the hub's Cluster object records it: Available or not, and since when (the
/// condition's last transition), so a restarted hub knows how long a cluster has been down without having watched it.
/// </summary>
public sealed record SourceHealth(bool Available, DateTimeOffset Since);
