namespace Flotilla.Git.Render;

/// <summary>
/// Resolves absolute paths the way the kernel does — component by component, following symlinks
/// (relative targets against their directory) and applying <c>..</c> after resolution — so that
/// containment checks see where a path really leads.
/// </summary>
internal static class RealPath
{
    private const int MaxLinkHops = 40;

    /// <summary>The resolved path, and whether it exists. A missing tail is appended lexically.</summary>
    /// <exception cref="IOException">More than 40 symlinks on the way (a loop).</exception>
    public static (string Path, bool Exists) Resolve(string absolutePath)
    {
        if (!Path.IsPathRooted(absolutePath))
        {
            throw new ArgumentException("path must be absolute", nameof(absolutePath));
        }

        var pending = new Stack<string>(Segments(absolutePath).Reverse());
        var current = Path.GetPathRoot(absolutePath)!;
        var hops = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"too many levels of symbolic links at {next}");
                }

                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target)!;
                }

                foreach (var part in Segments(target).Reverse())
                {
                    pending.Push(part);
                }

                continue;
            }

            if (!File.Exists(next) && !Directory.Exists(next))
            {
                var rest = pending.Where(s => s is not ("" or ".")).ToList();
                return (rest.Count == 0 ? next : Path.GetFullPath(Path.Join([next, .. rest])), false);
            }

            current = next;
        }

        return (current, true);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both resolved, absolute).</summary>
    public static bool IsWithin(string root, string path)
    {
        if (string.Equals(root, path, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary><paramref name="path"/> relative to <paramref name="root"/> with <c>/</c> separators; <c>.</c> for the root itself.</summary>
    public static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string[] Segments(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
}
