namespace Flotilla.Git.Sources;

/// <summary>Process-wide settings of a <see cref="GitFetcher"/>. Per-source behaviour lives in <see cref="GitSourceSpec"/>.</summary>
public sealed class GitFetcherOptions
{
    /// <summary>
    /// Absolute directory owned by the fetcher: <c>cache/</c> (one bare repository per URL), <c>snapshots/</c>
    /// (one directory per commit) and <c>tmp/</c> (exports in progress). Required. Use one fetcher per directory.
    /// </summary>
    public string WorkDirectory { get; set; } = "";

    /// <summary>Allow <c>file://</c> URLs and plain paths. Default false: a tenant must not read the hub's disk.</summary>
    public bool AllowLocal { get; set; }

    /// <summary>The git executable. Default <c>git</c> (found on PATH).</summary>
    public string GitExecutable { get; set; } = "git";

    /// <summary>The ssh executable git runs for ssh URLs. Default <c>ssh</c>.</summary>
    public string SshExecutable { get; set; } = "ssh";

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is unusable.</summary>
    public void Validate()
    {
        if (!Path.IsPathFullyQualified(WorkDirectory))
        {
            throw new ArgumentException($"{nameof(WorkDirectory)} must be an absolute path, got '{WorkDirectory}'");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(GitExecutable);
        ArgumentException.ThrowIfNullOrWhiteSpace(SshExecutable);
    }
}
