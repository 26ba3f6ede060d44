namespace Flotilla.Git.Sources;

/// <summary>What a <see cref="GitRef"/> names.</summary>
public enum GitRefKind
{
    /// <summary>A branch (<c>refs/heads/…</c>); each fetch follows its current tip.</summary>
    Branch,

    /// <summary>A tag (<c>refs/tags/…</c>); annotated tags are peeled to their commit.</summary>
    Tag,

    /// <summary>A full commit SHA (40 or 64 lowercase hex digits).</summary>
    Commit,
}
