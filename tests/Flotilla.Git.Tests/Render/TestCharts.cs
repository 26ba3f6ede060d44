namespace Flotilla.Git.Tests.Render;

/// <summary>The real public charts copied unchanged into <c>tests/testdata/charts</c>, and small charts written for one test.</summary>
internal static class TestCharts
{
    /// <summary><c>tests/testdata/charts</c>: nginx (vendored common) and grafana (.Capabilities).</summary>
    public static string Root { get; } = Locate();

    /// <summary>Writes <paramref name="files"/> (path → text) under a new temporary directory and returns it.</summary>
    public static string Write(IReadOnlyDictionary<string, string> files)
    {
        var root = Directory.CreateTempSubdirectory("flotilla-chart-test-").FullName;
        foreach (var (path, text) in files)
        {
            var full = Path.Join(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var charts = Path.Combine(dir.FullName, "tests", "testdata", "charts");
            if (File.Exists(Path.Combine(dir.FullName, "Flotilla.sln")) && Directory.Exists(charts)) return charts;
        }

        throw new DirectoryNotFoundException("tests/testdata/charts not found above the test directory");
    }
}
