using Flotilla.Core.Manifests;
using Flotilla.Git.Sources;

namespace Flotilla.Git.Render;

/// <summary>
/// Renders a path of a repository snapshot into a <see cref="ManifestSet"/>: kustomize when the path holds
/// a kustomization file, otherwise every <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> below it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The path must be relative without <c>..</c> segments; it, every file and every symlink must resolve
/// inside the repository root (<see cref="ManifestErrorCode.PathEscape"/> otherwise).</item>
/// <item>The walk is recursive in ordinal name order and skips entries whose name starts with <c>.</c>
/// (<c>.git</c>, <c>.github</c>). A subdirectory holding a kustomization file is rendered by kustomize as
/// one unit instead of being read file by file (as Flux does).</item>
/// <item>Kustomizations are scanned first (see <see cref="KustomizeRunner"/>): no remote references, escapes, Helm or plugins.</item>
/// <item>All <see cref="RenderLimits"/> apply across the whole render; per-file problems are collected so one
/// render reports them all, while an exhausted total stops it.</item>
/// <item>Objects are then validated and duplicates rejected, naming both files.</item>
/// </list>
/// </remarks>
public sealed class DirectoryRenderer
{
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    private readonly RenderLimits _limits;
    private readonly SafeYamlReader _reader;
    private readonly KustomizeRunner _kustomize;
    private readonly ParsedFileCache _parsed = new();

    /// <summary>Creates a renderer.</summary>
    public DirectoryRenderer(RenderLimits limits, KustomizeRunner kustomize)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(kustomize);
        limits.Validate();
        _limits = limits;
        _reader = new SafeYamlReader(limits);
        _kustomize = kustomize;
    }

    /// <summary>Renders <paramref name="relativePath"/> of the snapshot at <paramref name="repositoryRoot"/>.</summary>
    /// <param name="repositoryRoot">The snapshot's root directory; nothing outside it is read.</param>
    /// <param name="relativePath">The path to render, relative to the root (<c>""</c> or <c>.</c> for the root), <c>/</c>-separated.</param>
    /// <param name="cancellationToken">Stops the walk and any kustomize process.</param>
    public Task<RenderResult> RenderAsync(string repositoryRoot, string relativePath, CancellationToken cancellationToken) =>
        RenderAsync(repositoryRoot, relativePath, null, cancellationToken);

    /// <summary>
    /// Renders as <see cref="RenderAsync(string, string, CancellationToken)"/>, trusting <paramref name="fileIds"/> (root-relative
    /// <c>/</c>-separated path → an identity of the file's content, such as its git blob id) for files it has parsed before:
    /// such a file, reached by its own path (not through a symlink), is not read again. Only for snapshots nobody writes.
    /// </summary>
    public async Task<RenderResult> RenderAsync(string repositoryRoot, string relativePath, IReadOnlyDictionary<string, string>? fileIds,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        ArgumentNullException.ThrowIfNull(relativePath);

        var pathLocation = new SourceLocation(relativePath);
        var segments = relativePath.Split('/');
        if (relativePath.StartsWith('/') || segments.Contains(".."))
        {
            return Fail(ManifestErrorCode.PathEscape, pathLocation, "the path must be relative to the repository root and must not contain '..'");
        }

        var (root, rootExists) = RealPath.Resolve(Path.GetFullPath(repositoryRoot));
        if (!rootExists || !Directory.Exists(root))
        {
            return Fail(ManifestErrorCode.ReadFailed, pathLocation, "the repository root does not exist");
        }

        var normalized = string.Join('/', segments.Where(s => s is not ("" or ".")));
        var (target, targetExists) = RealPath.Resolve(Path.Join(root, normalized));
        if (!RealPath.IsWithin(root, target))
        {
            return Fail(ManifestErrorCode.PathEscape, pathLocation, "the path leads outside the repository through a symlink");
        }

        if (!targetExists)
        {
            return Fail(ManifestErrorCode.ReadFailed, pathLocation, "the path does not exist");
        }

        var run = new Run(this, root, fileIds);
        await run.RenderAsync(target, cancellationToken).ConfigureAwait(false);
        return run.Finish();
    }

    /// <summary>
    /// Renders <paramref name="relativePath"/> of a fetched commit from its listing (see <see cref="SnapshotListing"/>) as the
    /// other overloads would render its snapshot, while the snapshot is still being exported: when the path is a
    /// directory of plain manifest files (no kustomization, no symlink on the way or below) and each of those files was
    /// parsed before (same path, same blob) or written anew by the fetch. Null otherwise: the snapshot must be rendered.
    /// </summary>
    public RenderResult? TryRenderListed(SnapshotListing listing, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(relativePath);
        if (ListedFiles(listing, relativePath) is not { Count: > 0 } files) return null;
        var run = new Run(this, "", null);
        return run.RenderListed(files, listing) ? run.Finish() : null;
    }

    // The manifest files the walk would read, in its order; null when the listing cannot tell what the walk would do.
    private static List<(string Path, string ObjectId)>? ListedFiles(SnapshotListing listing, string relativePath)
    {
        // A path that names a file, or passes through a symlink: the snapshot answers.
        if (SnapshotListing.Prefix(relativePath) is not { } prefix || listing.Entries.ContainsKey(prefix.TrimEnd('/')) || listing.SymlinkAbove(prefix)) return null;
        var files = new List<(string[] Segments, string Path, string ObjectId)>();
        foreach (var (path, entry) in listing.Entries)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var below = path[prefix.Length..].Split('/');
            if (below.Any(s => s.StartsWith('.'))) continue; // the walk skips these names and all they hold
            if (entry.Kind == GitTreeEntryKind.Symlink || KustomizationFiles.Names.Contains(below[^1])) return null;
            if (IsManifestFile(below[^1])) files.Add((below, path, entry.ObjectId));
        }
        // The walk's order: a directory's entries by ordinal name, each subdirectory's before the next entry.
        files.Sort((x, y) => CompareSegments(x.Segments, y.Segments));
        return [.. files.Select(f => (f.Path, f.ObjectId))];
    }

    private static int CompareSegments(string[] x, string[] y)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var order = string.CompareOrdinal(x[i], y[i]);
            if (order != 0) return order;
        }
        return x.Length.CompareTo(y.Length);
    }

    private static RenderResult Fail(ManifestErrorCode code, SourceLocation location, string message) =>
        RenderResult.Failure([new ManifestError(code, location, message)]);

    private static bool IsManifestFile(string name) =>
        ManifestExtensions.Any(ext => name.EndsWith(ext, StringComparison.OrdinalIgnoreCase));

    /// <summary>The state of one render.</summary>
    private sealed class Run
    {
        private readonly DirectoryRenderer _owner;
        private readonly RenderBudget _budget;
        private readonly RepositoryFiles _files;
        private readonly KustomizationScanner _scanner;
        private readonly List<ParsedObject> _objects = [];
        private readonly List<ManifestError> _errors = [];
        private readonly IReadOnlyDictionary<string, string>? _fileIds;

        public Run(DirectoryRenderer owner, string root, IReadOnlyDictionary<string, string>? fileIds)
        {
            _owner = owner;
            _fileIds = fileIds;
            _budget = new RenderBudget(owner._limits);
            _files = new RepositoryFiles(root, _budget);
            _scanner = new KustomizationScanner(_files, owner._reader);
        }

        public async Task RenderAsync(string target, CancellationToken cancellationToken)
        {
            if (File.Exists(target))
            {
                ReadManifestFile(target, _files.Display(target));
            }
            else if (KustomizationFiles.In(target).Length > 0)
            {
                await RenderKustomizationAsync(target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WalkAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }

        public RenderResult Finish()
        {
            var manifests = new List<Manifest>(_objects.Count);
            foreach (var parsed in _objects)
            {
                if (_owner._parsed.ManifestOf(parsed) is { } known)
                {
                    manifests.Add(known);
                }
                else if (ManifestValidator.TryCreate(parsed.Body, parsed.Source, out var manifest, out var invalid))
                {
                    _owner._parsed.Remember(parsed, manifest);
                    manifests.Add(manifest);
                }
                else
                {
                    _errors.AddRange(invalid);
                }
            }

            if (!ManifestSet.TryBuild(manifests, out var set, out var duplicates))
            {
                _errors.AddRange(duplicates);
            }

            return _errors.Count == 0 && set is not null ? RenderResult.Success(set) : RenderResult.Failure(_errors);
        }

        /// <summary>Reads <paramref name="files"/> (path, blob id) from the parse cache or the listing; false when one is in neither.</summary>
        public bool RenderListed(IEnumerable<(string Path, string ObjectId)> files, SnapshotListing listing)
        {
            foreach (var (path, id) in files)
            {
                if (_budget.IsExhausted) break;
                if (_owner._parsed.Known(path, id, _budget) is { } cached)
                {
                    Collect(cached);
                    continue;
                }
                if (!listing.Changed.TryGetValue(path, out var content)) return false;
                var (text, error) = _files.Decode(content, path);
                if (error is not null)
                {
                    _errors.Add(error);
                    continue;
                }
                Collect(_owner._parsed.Read(path, text!, id, _budget, () => _owner._reader.Read(text!, path, _budget)));
            }
            return true;
        }

        private async Task WalkAsync(string start, CancellationToken cancellationToken)
        {
            // An explicit stack in reverse name order gives a pre-order walk in ordinal order without recursion.
            var work = new Stack<(string Real, string Display, bool IsDirectory)>();
            var visited = new HashSet<string>(StringComparer.Ordinal);
            work.Push((start, _files.Display(start), true));
            while (work.TryPop(out var item) && !_budget.IsExhausted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!item.IsDirectory)
                {
                    ReadManifestFile(item.Real, item.Display);
                    continue;
                }

                if (!visited.Add(item.Real))
                {
                    continue; // reached again through a symlink: read once
                }

                if (item.Real != start && KustomizationFiles.In(item.Real).Length > 0)
                {
                    await RenderKustomizationAsync(item.Real, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var entries = new DirectoryInfo(item.Real).GetFileSystemInfos()
                    .Where(e => !e.Name.StartsWith('.'))
                    .OrderByDescending(e => e.Name, StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    var display = item.Display == "." ? entry.Name : $"{item.Display}/{entry.Name}";
                    if (Classify(entry, display) is { } next)
                    {
                        work.Push(next);
                    }
                }
            }
        }

        private (string Real, string Display, bool IsDirectory)? Classify(FileSystemInfo entry, string display)
        {
            if (entry.LinkTarget is null)
            {
                return entry is DirectoryInfo ? (entry.FullName, display, true)
                    : IsManifestFile(entry.Name) ? (entry.FullName, display, false)
                    : null;
            }

            var (real, exists) = RealPath.Resolve(entry.FullName);
            if (!RealPath.IsWithin(_files.Root, real))
            {
                _errors.Add(new ManifestError(ManifestErrorCode.PathEscape, new SourceLocation(display), "symlink points outside the repository"));
                return null;
            }

            if (!exists)
            {
                _errors.Add(new ManifestError(ManifestErrorCode.ReadFailed, new SourceLocation(display), "symlink target does not exist"));
                return null;
            }

            return Directory.Exists(real) ? (real, display, true)
                : IsManifestFile(entry.Name) ? (real, display, false)
                : null;
        }

        private void ReadManifestFile(string real, string display)
        {
            // A file known by its id is its own path's content (a symlink's id is its target's name, not the file's).
            var id = _fileIds is not null && _fileIds.TryGetValue(display, out var known) && real == Path.Join(_files.Root, display) ? known : null;
            if (id is not null && _owner._parsed.Known(display, id, _budget) is { } cached)
            {
                Collect(cached);
                return;
            }

            var (text, error) = _files.Read(real, display);
            if (error is not null)
            {
                _errors.Add(error);
                return;
            }

            Collect(_owner._parsed.Read(display, text!, id, _budget, () => _owner._reader.Read(text!, display, _budget)));
        }

        private async Task RenderKustomizationAsync(string directory, CancellationToken cancellationToken)
        {
            var scanErrors = _scanner.Scan(directory, cancellationToken);
            if (scanErrors.Count > 0)
            {
                _errors.AddRange(scanErrors);
                return;
            }

            var display = _files.Display(Path.Join(directory, KustomizationFiles.In(directory)[0]));
            var location = new SourceLocation(display);
            var built = await _owner._kustomize.RunAsync(directory, location, cancellationToken).ConfigureAwait(false);
            if (built.Error is not null)
            {
                _errors.Add(built.Error);
                return;
            }

            if (!_budget.TryChargeBytes(System.Text.Encoding.UTF8.GetByteCount(built.Output)))
            {
                _errors.Add(new ManifestError(ManifestErrorCode.LimitExceeded, location, $"more than {_budget.Limits.MaxTotalBytes} bytes in this render"));
                return;
            }

            Collect(_owner._reader.ReadStream(built.Output, display, _budget, _owner._kustomize.Options.MaxOutputBytes));
        }

        private void Collect(YamlReadResult result)
        {
            _objects.AddRange(result.Objects);
            _errors.AddRange(result.Errors);
        }
    }
}
