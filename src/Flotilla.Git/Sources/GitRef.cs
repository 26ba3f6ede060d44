namespace Flotilla.Git.Sources;

/// <summary>
/// The revision a Git source follows: a branch, a tag or a full commit SHA. Built only through
/// <see cref="Branch"/>, <see cref="Tag"/> and <see cref="Commit"/>, which reject names git would refuse
/// (and anything that could be read as a command-line option), so an invalid spec fails when it is mapped,
/// not when git runs. The default is branch <c>main</c>.
/// </summary>
public sealed record GitRef
{
    private GitRef(GitRefKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>Branch <c>main</c>.</summary>
    public static GitRef DefaultBranch { get; } = new(GitRefKind.Branch, "main");

    public GitRefKind Kind { get; }

    /// <summary>The branch or tag name without its <c>refs/…/</c> prefix, or the commit SHA in lowercase.</summary>
    public string Name { get; }

    public static GitRef Branch(string name) => new(GitRefKind.Branch, ValidRefName(name, nameof(name)));

    public static GitRef Tag(string name) => new(GitRefKind.Tag, ValidRefName(name, nameof(name)));

    /// <summary>A full SHA-1 (40) or SHA-256 (64) hex object name; abbreviated SHAs cannot be fetched.</summary>
    public static GitRef Commit(string sha)
    {
        ArgumentNullException.ThrowIfNull(sha);
        if (!IsFullSha(sha))
        {
            throw new ArgumentException($"'{sha}' is not a full commit SHA (40 or 64 hex digits)", nameof(sha));
        }

        return new(GitRefKind.Commit, sha.ToLowerInvariant());
    }

    /// <summary>The full ref name on the remote (<c>refs/heads/main</c>); for a commit, the SHA.</summary>
    public string RemoteName => Kind switch
    {
        GitRefKind.Branch => "refs/heads/" + Name,
        GitRefKind.Tag => "refs/tags/" + Name,
        GitRefKind.Commit => Name,
    };

    public override string ToString() => Kind switch
    {
        GitRefKind.Branch => "branch " + Name,
        GitRefKind.Tag => "tag " + Name,
        GitRefKind.Commit => "commit " + Name,
    };

    internal static bool IsFullSha(string value) =>
        value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);

    // The rules of git check-ref-format, for one name below refs/heads or refs/tags.
    private static string ValidRefName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        var problem =
            name.Length == 0 ? "is empty" :
            name.StartsWith('-') ? "starts with '-'" :
            name.StartsWith('/') || name.EndsWith('/') || name.Contains("//", StringComparison.Ordinal) ? "has an empty component" :
            name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal) ? "has '..' or ends with '.'" :
            name.Contains("@{", StringComparison.Ordinal) || name == "@" ? "contains '@{' or is '@'" :
            name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\') ? "contains a space, a control character or one of ~^:?*[\\" :
            name.Split('/').Any(part => part.StartsWith('.') || part.EndsWith(".lock", StringComparison.Ordinal)) ? "has a component starting with '.' or ending with '.lock'" :
            null;
        return problem is null ? name : throw new ArgumentException($"ref name '{name}' {problem}", parameter);
    }
}
