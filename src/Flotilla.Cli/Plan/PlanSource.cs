using Flotilla.Git.Sources;

namespace Flotilla.Cli.Plan;

/// <summary>
/// What a plan renders each bundle from: its GitRepository at the ref it follows (what the next sync would do), at the
/// refs <see cref="Revision"/> names (tried in order), or a local <see cref="Directory"/> standing in for the repository's tree.
/// </summary>
public sealed record PlanSource
{
    private PlanSource(string? revision, IReadOnlyList<GitRef>? refs, string? directory)
    {
        Revision = revision;
        Refs = refs;
        Directory = directory;
    }

    public string? Revision { get; }

    /// <summary>The refs to try, in order; null for the source's own ref.</summary>
    public IReadOnlyList<GitRef>? Refs { get; }

    /// <summary>Full path of the directory rendered instead of the repository's tree.</summary>
    public string? Directory { get; }

    public static PlanSource Current { get; } = new(null, null, null);

    public static PlanSource At(string revision) => new(revision, PlanRevision.Candidates(revision), null);

    public static PlanSource Local(string directory) => new(null, null, Path.GetFullPath(directory));

    public override string ToString() =>
        Directory is not null ? $"directory {Directory}" : Revision is not null ? $"revision {Revision}" : "the sources' current revisions";
}
