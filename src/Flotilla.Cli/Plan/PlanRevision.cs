using Flotilla.Git.Sources;

namespace Flotilla.Cli.Plan;

/// <summary>
/// What <c>--revision TEXT</c> names, as the refs to try in order: a full commit SHA is that commit; <c>refs/heads/X</c>
/// and <c>refs/tags/X</c> say which they are; a bare name is a branch, else a tag of that name (as git resolves it).
/// A name git would refuse throws <see cref="ArgumentException"/>.
/// </summary>
public static class PlanRevision
{
    public static IReadOnlyList<GitRef> Candidates(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit)) return [GitRef.Commit(text)];
        if (text.StartsWith("refs/heads/", StringComparison.Ordinal)) return [GitRef.Branch(text["refs/heads/".Length..])];
        if (text.StartsWith("refs/tags/", StringComparison.Ordinal)) return [GitRef.Tag(text["refs/tags/".Length..])];
        return [GitRef.Branch(text), GitRef.Tag(text)];
    }
}
