using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Core.Charts;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// Renders a Helm chart of a repository snapshot with <c>helm template</c>, hermetically: the chart is copied out of the
/// snapshot first (symlinks bounded to the root, size capped), its dependencies must be vendored under <c>charts/</c>
/// and match <c>Chart.lock</c>, helm gets throw-away <c>HELM_CACHE_HOME</c>/<c>HELM_CONFIG_HOME</c>/<c>HELM_DATA_HOME</c>
/// and <c>HOME</c>, no kubeconfig, a timeout and an output cap, and is told the target cluster's version and API
/// versions so <c>.Capabilities</c> answer for that cluster. A template error or <c>fail</c> is reported with helm's own
/// text. Hooks that never run here, and tests unless asked for, are left out (<see cref="ChartHook"/>).
/// </summary>
public sealed class ChartRenderer
{
    private readonly RenderLimits _limits;
    private readonly SafeYamlReader _reader;

    /// <summary>Creates a renderer.</summary>
    public ChartRenderer(RenderLimits limits, HelmRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        limits.Validate();
        options.Validate();
        _limits = limits;
        _reader = new SafeYamlReader(limits);
        Options = options;
    }

    /// <summary>The options in force.</summary>
    public HelmRunnerOptions Options { get; }

    /// <summary>
    /// <see cref="IsChart(string, string?)"/> answered from a fetched commit's listing, before its snapshot is complete; null
    /// when only the snapshot can tell (a symlink on the way).
    /// </summary>
    public static bool? IsChart(Flotilla.Git.Sources.SnapshotListing listing, string? relativePath)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (Flotilla.Git.Sources.SnapshotListing.Prefix(relativePath) is not { } prefix) return null;
        var chart = prefix + "Chart.yaml";
        if (listing.Entries.TryGetValue(chart, out var entry)) return entry.Kind == Flotilla.Git.Sources.GitTreeEntryKind.Symlink ? null : true;
        return listing.SymlinkAbove(chart) ? null : false;
    }

    /// <summary>True when <paramref name="relativePath"/> of the snapshot is a chart directory (holds <c>Chart.yaml</c>).</summary>
    public static bool IsChart(string repositoryRoot, string? relativePath)
    {
        var (target, error) = SnapshotPath.Resolve(repositoryRoot, string.IsNullOrEmpty(relativePath) ? "." : relativePath);
        return error is null && File.Exists(Path.Join(target, "Chart.yaml"));
    }

    /// <summary>Reads values files (paths in the snapshot, root-bounded) in order; every problem, each naming its file.</summary>
    public (List<JsonObject> Values, List<ManifestError> Errors) ReadValuesFiles(string repositoryRoot, IEnumerable<string> paths)
    {
        var values = new List<JsonObject>();
        var errors = new List<ManifestError>();
        var files = new RepositoryFiles(SnapshotPath.Root(repositoryRoot), new RenderBudget(_limits));
        foreach (var path in paths)
        {
            var (file, error) = SnapshotPath.Resolve(repositoryRoot, path);
            if (error is null && !File.Exists(file)) error = new ManifestError(ManifestErrorCode.ReadFailed, new SourceLocation(path), "values file does not exist");
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }

            var (text, readError) = files.Read(file!, path);
            if (readError is not null)
            {
                errors.Add(readError);
                continue;
            }

            // Values files are maps, not objects with a kind; an empty file means no values.
            var read = _reader.Read(text!, path);
            if (read.Errors.Count > 0) errors.AddRange(read.Errors);
            else values.Add(read.Objects.Count > 0 ? read.Objects[0].Body : []);
        }

        return (values, errors);
    }

    /// <summary>Renders the chart of <paramref name="request"/> in the snapshot at <paramref name="repositoryRoot"/>.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled (a timeout is a failure result instead).</exception>
    public async Task<RenderResult> RenderAsync(string repositoryRoot, ChartRenderRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        ArgumentNullException.ThrowIfNull(request);
        var chartLocation = new SourceLocation(request.ChartPath);
        var (chart, pathError) = SnapshotPath.Resolve(repositoryRoot, request.ChartPath);
        if (pathError is not null) return Failure(pathError);
        if (!File.Exists(Path.Join(chart, "Chart.yaml"))) return Failure(new(ManifestErrorCode.ReadFailed, chartLocation, "no Chart.yaml: the path is not a chart"));

        var work = Directory.CreateTempSubdirectory("flotilla-helm-");
        try
        {
            var copy = Path.Join(work.FullName, "chart");
            if (ChartCopy.Copy(SnapshotPath.Root(repositoryRoot), chart!, copy, Options.MaxChartBytes, cancellationToken) is { } copyError) return Failure(copyError);
            if (DependencyProblems(copy, request.ChartPath) is { Count: > 0 } missing) return RenderResult.Failure(missing);
            var valuesFile = Path.Join(work.FullName, "values.json");
            await File.WriteAllTextAsync(valuesFile, request.ValuesJson, cancellationToken).ConfigureAwait(false);
            var run = await BoundedProcess.RunAsync(Options.ExecutablePath, Arguments(request, copy, valuesFile), Environment(work.FullName), work.FullName,
                Options.Timeout, Options.MaxOutputBytes, Options.MaxErrorChars, cancellationToken).ConfigureAwait(false);
            if (run.StartError is not null) return Failure(new(ManifestErrorCode.ChartFailed, chartLocation, run.StartError));
            if (run.TimedOut) return Failure(new(ManifestErrorCode.LimitExceeded, chartLocation, $"helm template did not finish within {Options.Timeout.TotalSeconds:0.#} seconds"));
            if (run.Truncated) return Failure(new(ManifestErrorCode.LimitExceeded, chartLocation, $"the rendered chart is larger than {Options.MaxOutputBytes} bytes"));
            if (run.ExitCode != 0) return Failure(new(ManifestErrorCode.ChartFailed, chartLocation, $"helm template failed: {run.Error}"));
            return Read(run.Output, request);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private List<ManifestError> DependencyProblems(string chart, string chartPath)
    {
        JsonObject? ReadYaml(string name) =>
            File.Exists(Path.Join(chart, name)) && _reader.Read(File.ReadAllText(Path.Join(chart, name)), $"{chartPath}/{name}") is { Objects.Count: > 0 } read
                ? read.Objects[0].Body : null;
        var chartYaml = ReadYaml("Chart.yaml");
        if (chartYaml is null) return [new(ManifestErrorCode.ChartFailed, new SourceLocation($"{chartPath}/Chart.yaml"), "Chart.yaml is not a YAML map")];
        return [.. ChartDependencies.Check(chartYaml, ReadYaml("Chart.lock"), chart, _reader)
            .Select(p => new ManifestError(ManifestErrorCode.ChartFailed, new SourceLocation($"{chartPath}/Chart.yaml"), p))];
    }

    private static List<string> Arguments(ChartRenderRequest request, string chart, string valuesFile)
    {
        var arguments = new List<string>
        {
            "template", request.ReleaseName, chart,
            "--namespace", request.Namespace,
            "--values", valuesFile,
            "--kube-version", request.KubeVersion,
        };
        foreach (var version in request.ApiVersions) arguments.AddRange(["--api-versions", version]);
        if (!request.SkipCrds) arguments.Add("--include-crds");
        if (!request.IncludeTests) arguments.Add("--skip-tests");
        return arguments;
    }

    /// <summary>Only PATH and throw-away homes: no plugins, repositories, registry logins or kubeconfig of the machine.</summary>
    private static Dictionary<string, string> Environment(string work) => new(StringComparer.Ordinal)
    {
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = work,
        ["HELM_CACHE_HOME"] = Path.Join(work, "cache"),
        ["HELM_CONFIG_HOME"] = Path.Join(work, "config"),
        ["HELM_DATA_HOME"] = Path.Join(work, "data"),
        ["KUBECONFIG"] = Path.Join(work, "no-kubeconfig"),
    };

    /// <summary>Reads helm's output document by document, naming each object's template (<c># Source:</c>) as its file.</summary>
    private RenderResult Read(string output, ChartRenderRequest request)
    {
        var budget = new RenderBudget(_limits);
        var errors = new List<ManifestError>();
        var manifests = new List<Manifest>();
        if (!budget.TryChargeBytes(Encoding.UTF8.GetByteCount(output)))
            return Failure(new(ManifestErrorCode.LimitExceeded, new SourceLocation(request.ChartPath), $"more than {_limits.MaxTotalBytes} bytes in this render"));
        foreach (var (source, text) in Documents(output))
        {
            var display = source is null ? request.ChartPath : $"{request.ChartPath} ({source})";
            var read = _reader.Read(text, display, budget);
            errors.AddRange(read.Errors);
            foreach (var parsed in read.Objects)
            {
                if (ManifestValidator.TryCreate(parsed.Body, parsed.Source, out var manifest, out var invalid)) manifests.Add(manifest);
                else errors.AddRange(invalid);
            }
        }

        if (errors.Count > 0) return RenderResult.Failure(errors);
        if (!ManifestSet.TryBuild(ChartHook.Applied(manifests, request.IncludeTests), out var set, out var duplicates)) return RenderResult.Failure(duplicates);
        return RenderResult.Success(set!);
    }

    private static IEnumerable<(string? Source, string Text)> Documents(string output)
    {
        const string SourcePrefix = "# Source: ";
        var current = new StringBuilder();
        string? source = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.TrimEnd() == "---")
            {
                if (current.Length > 0) yield return (source, current.ToString());
                current.Clear();
                source = null;
                continue;
            }

            if (source is null && line.StartsWith(SourcePrefix, StringComparison.Ordinal)) source = line[SourcePrefix.Length..].TrimEnd();
            current.Append(line).Append('\n');
        }

        if (current.Length > 0) yield return (source, current.ToString());
    }

    private static RenderResult Failure(ManifestError error) => RenderResult.Failure([error]);
}
