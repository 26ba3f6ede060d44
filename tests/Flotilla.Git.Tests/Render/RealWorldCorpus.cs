namespace Flotilla.Git.Tests.Render;

/// <summary>
/// Where the real-world manifest corpus is: <c>FLOTILLA_REALWORLD_DIR</c> when set, otherwise
/// <c>../shared/realworld</c> beside the repository (found by walking up to <c>Flotilla.sln</c>).
/// </summary>
internal static class RealWorldCorpus
{
    public static string Root { get; } = Locate();

    public static string Manifests => Path.Combine(Root, "manifests");

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("FLOTILLA_REALWORLD_DIR") is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured
                : throw new DirectoryNotFoundException($"FLOTILLA_REALWORLD_DIR={configured} does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flotilla.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "realworld"));
                return Directory.Exists(corpus) ? corpus
                    : throw new DirectoryNotFoundException($"the real-world corpus is not at {corpus}; set FLOTILLA_REALWORLD_DIR");
            }
        }

        throw new DirectoryNotFoundException("Flotilla.sln not found above the test directory; set FLOTILLA_REALWORLD_DIR");
    }
}
