namespace Flotilla.Git.Sources;

/// <summary>One snapshot on disk: its commit, directory and the bytes its regular files hold.</summary>
public sealed record SnapshotInfo(string CommitSha, string Directory, long SizeBytes);
