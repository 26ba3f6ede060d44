using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// Copies a chart directory out of the snapshot into helm's throw-away work directory, so helm reads only what was
/// checked here: every symlink must resolve inside the repository root (it is copied as the file it points to), and the
/// chart's files together stay under <see cref="HelmRunnerOptions.MaxChartBytes"/>.
/// </summary>
internal static class ChartCopy
{
    /// <summary>Copies <paramref name="chart"/> (resolved, inside <paramref name="root"/>) to <paramref name="destination"/>; the first problem, or null.</summary>
    public static ManifestError? Copy(string root, string chart, string destination, long maxBytes, CancellationToken cancellationToken)
    {
        var total = 0L;
        var work = new Stack<(string Source, string Target)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        work.Push((chart, destination));
        while (work.TryPop(out var item))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!visited.Add(item.Source)) return Problem(ManifestErrorCode.PathEscape, root, item.Source, "a symlink loop inside the chart");
            Directory.CreateDirectory(item.Target);
            foreach (var entry in new DirectoryInfo(item.Source).GetFileSystemInfos())
            {
                var (real, exists) = entry.LinkTarget is null ? (entry.FullName, true) : RealPath.Resolve(entry.FullName);
                if (!RealPath.IsWithin(root, real)) return Problem(ManifestErrorCode.PathEscape, root, entry.FullName, "symlink points outside the repository");
                if (!exists) return Problem(ManifestErrorCode.ReadFailed, root, entry.FullName, "symlink target does not exist");
                var target = Path.Join(item.Target, entry.Name);
                if (Directory.Exists(real))
                {
                    work.Push((real, target));
                    continue;
                }

                total += new FileInfo(real).Length;
                if (total > maxBytes) return Problem(ManifestErrorCode.LimitExceeded, root, chart, $"the chart is larger than {maxBytes} bytes");
                File.Copy(real, target);
            }
        }

        return null;
    }

    private static ManifestError Problem(ManifestErrorCode code, string root, string path, string message) =>
        new(code, new SourceLocation(RealPath.Relative(root, path)), message);
}
