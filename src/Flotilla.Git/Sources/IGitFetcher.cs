namespace Flotilla.Git.Sources;

/// <summary>The seam through which reconcilers fetch sources; <see cref="GitFetcher"/> is the git CLI implementation.</summary>
public interface IGitFetcher
{
    /// <summary>Fetches <paramref name="spec"/> and returns its snapshot, or throws <see cref="GitFetchException"/>.</summary>
    Task<GitFetchResult> FetchAsync(GitSourceSpec spec, CancellationToken ct);
}
