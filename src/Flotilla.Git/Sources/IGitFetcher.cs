namespace Flotilla.Git.Sources;

/// <summary>The seam through which reconcilers fetch sources; <see cref="GitFetcher"/> is the git CLI implementation.</summary>
public interface IGitFetcher
{
    /// <summary>Fetches <paramref name="spec"/> and returns its snapshot, or throws <see cref="GitFetchException"/>.</summary>
    Task<GitFetchResult> FetchAsync(GitSourceSpec spec, CancellationToken ct);

    /// <summary>
    /// As <see cref="FetchAsync"/>, but answers as soon as the commit is listed and its changed files are read, while the
    /// rest of its snapshot is still being linked (<see cref="GitFetchResult.Exported"/>): a render of plain manifests
    /// can start from <see cref="GitFetchResult.Listing"/> meanwhile. The caller must await <c>Exported</c>.
    /// </summary>
    Task<GitFetchResult> FetchListedAsync(GitSourceSpec spec, CancellationToken ct);
}
