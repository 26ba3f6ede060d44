using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// Checks every kustomization reachable from a directory before kustomize runs: no remote references
/// (http, https, ssh, git, hosted repositories), no absolute paths or <c>..</c> escapes out of the
/// repository (also through symlinks), no Helm, and generators/transformers/validators only as
/// <c>apiVersion: builtin</c> configs without KRM function (exec, container, starlark) annotations.
/// Every error names the kustomization file.
/// </summary>
internal sealed class KustomizationScanner
{
    private static readonly string[] HelmFields = ["helmCharts", "helmGlobals", "helmChartInflationGenerator"];
    private static readonly string[] DirectoryOrFileLists = ["resources", "bases", "components"];
    private static readonly string[] FileLists = ["crds", "configurations", "patchesStrategicMerge"];
    private static readonly string[] PathObjectLists = ["patches", "patchesJson6902", "replacements"];
    private static readonly string[] GeneratorLists = ["configMapGenerator", "secretGenerator"];
    private static readonly string[] PluginLists = ["generators", "transformers", "validators"];
    private static readonly string[] FunctionAnnotations = ["config.kubernetes.io/function", "config.k8s.io/function"];
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];
    private static readonly string[] RemoteMarkers = ["://", "?ref=", "&ref=", "?version=", "?submodules=", "?timeout="];
    private static readonly string[] RemotePrefixes =
        ["git@", "git::", "gh:", "ssh:", "github.com/", "gitlab.com/", "bitbucket.org/", "dev.azure.com/", "ssh.dev.azure.com/"];

    private readonly RepositoryFiles _files;
    private readonly SafeYamlReader _reader;

    public KustomizationScanner(RepositoryFiles files, SafeYamlReader reader)
    {
        _files = files;
        _reader = reader;
    }

    /// <summary>Scans the kustomization in <paramref name="directory"/> (resolved) and all it reaches.</summary>
    public IReadOnlyList<ManifestError> Scan(string directory, CancellationToken cancellationToken)
    {
        var errors = new List<ManifestError>();
        var queue = new Queue<(string Directory, bool PluginConfigs)>();
        var seen = new HashSet<(string, bool)>();
        queue.Enqueue((directory, false));
        seen.Add((directory, false));
        while (queue.TryDequeue(out var item))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scan = new FileScan(this, item.Directory, item.PluginConfigs, errors);
            foreach (var next in scan.Run())
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return errors;
    }

    private static bool LooksRemote(string entry)
    {
        var e = entry.Trim();
        return RemoteMarkers.Any(m => e.Contains(m, StringComparison.OrdinalIgnoreCase))
            || RemotePrefixes.Any(p => e.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    // Entries are quoted in errors, minus any user:password@ part of a URL and cut to a readable length.
    private static string Shown(string entry)
    {
        var scheme = entry.IndexOf("://", StringComparison.Ordinal);
        var at = scheme < 0 ? -1 : entry.IndexOf('@', scheme + 3);
        var slash = scheme < 0 ? -1 : entry.IndexOf('/', scheme + 3);
        if (at >= 0 && (slash < 0 || at < slash))
        {
            entry = string.Concat(entry.AsSpan(0, scheme + 3), "***", entry.AsSpan(at));
        }

        return entry.Length <= 200 ? entry : entry[..200] + "…";
    }

    // A path that does not exist locally and whose first segment looks like a host name is something
    // kustomize would try to clone.
    private static bool LooksLikeHost(string entry)
    {
        var segments = entry.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0].Contains('.') && !segments[0].StartsWith('.')
            && !ManifestExtensions.Any(ext => entry.EndsWith(ext, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The scan of one kustomization file.</summary>
    private sealed class FileScan
    {
        private readonly KustomizationScanner _owner;
        private readonly string _directory;
        private readonly bool _pluginConfigs;
        private readonly List<ManifestError> _errors;
        private readonly List<(string, bool)> _next = [];
        private SourceLocation _location;

        public FileScan(KustomizationScanner owner, string directory, bool pluginConfigs, List<ManifestError> errors)
        {
            _owner = owner;
            _directory = directory;
            _pluginConfigs = pluginConfigs;
            _errors = errors;
            _location = new SourceLocation(owner._files.Display(directory));
        }

        private RepositoryFiles Files => _owner._files;

        public IReadOnlyList<(string Directory, bool PluginConfigs)> Run()
        {
            var kustomization = Load();
            if (kustomization is null)
            {
                return [];
            }

            foreach (var field in HelmFields.Where(kustomization.ContainsKey))
            {
                Error(ManifestErrorCode.ForbiddenPlugin, $"{field} is not allowed: it runs Helm, which may fetch charts and execute code");
            }

            foreach (var field in DirectoryOrFileLists)
            {
                foreach (var entry in Strings(kustomization, field))
                {
                    CheckResource(field, entry);
                }
            }

            foreach (var field in FileLists)
            {
                foreach (var entry in Strings(kustomization, field).Where(e => !e.Contains('\n')))
                {
                    CheckFile(field, entry);
                }
            }

            foreach (var field in PathObjectLists)
            {
                foreach (var item in Objects(kustomization, field))
                {
                    CheckOptionalPath(item, field);
                }
            }

            if (kustomization["openapi"] is JsonObject openapi)
            {
                CheckOptionalPath(openapi, "openapi");
            }

            foreach (var field in GeneratorLists)
            {
                foreach (var generator in Objects(kustomization, field))
                {
                    foreach (var file in Strings(generator, "files"))
                    {
                        var equals = file.IndexOf('=', StringComparison.Ordinal);
                        CheckFile($"{field}.files", equals < 0 ? file : file[(equals + 1)..]);
                    }

                    foreach (var env in Strings(generator, "envs"))
                    {
                        CheckFile($"{field}.envs", env);
                    }

                    if (generator["env"] is JsonValue single && single.GetValueKind() == JsonValueKind.String)
                    {
                        CheckFile($"{field}.env", single.GetValue<string>());
                    }
                }
            }

            foreach (var field in PluginLists)
            {
                CheckPlugins(kustomization, field);
            }

            return _next;
        }

        private JsonObject? Load()
        {
            var names = KustomizationFiles.In(_directory);
            if (names.Length != 1)
            {
                Error(ManifestErrorCode.InvalidKustomization, names.Length == 0
                    ? "directory has no kustomization.yaml, kustomization.yml or Kustomization"
                    : $"directory has more than one kustomization file ({string.Join(", ", names)})");
                return null;
            }

            var file = Path.Join(_directory, names[0]);
            _location = new SourceLocation(Files.Display(file));
            var (real, _) = RealPath.Resolve(file);
            if (!RealPath.IsWithin(Files.Root, real))
            {
                Error(ManifestErrorCode.PathEscape, "kustomization file is a symlink to outside the repository");
                return null;
            }

            var (text, readError) = Files.Read(real, _location.Path);
            if (readError is not null)
            {
                _errors.Add(readError);
                return null;
            }

            var parsed = _owner._reader.Read(text!, _location.Path);
            if (!parsed.Succeeded)
            {
                _errors.AddRange(parsed.Errors);
                return null;
            }

            if (parsed.Objects.Count != 1)
            {
                Error(ManifestErrorCode.InvalidKustomization, "a kustomization file must hold exactly one mapping");
                return null;
            }

            return parsed.Objects[0].Body;
        }

        private void CheckResource(string field, string entry)
        {
            if (!TryResolveLocal(field, entry, out var real, out var exists))
            {
                return;
            }

            if (!exists)
            {
                if (LooksLikeHost(entry))
                {
                    Error(ManifestErrorCode.RemoteReference, $"{field} entry \"{Shown(entry)}\" is not a local path; remote references are not allowed");
                }
                else
                {
                    Error(ManifestErrorCode.InvalidKustomization, $"{field} entry \"{Shown(entry)}\" does not exist");
                }

                return;
            }

            if (Directory.Exists(real))
            {
                _next.Add((real, _pluginConfigs));
            }
            else if (_pluginConfigs)
            {
                CheckPluginConfigFile(field, real);
            }
        }

        private void CheckFile(string field, string entry) => TryResolveLocal(field, entry, out _, out _);

        private void CheckOptionalPath(JsonObject item, string field)
        {
            if (item["path"] is JsonValue path && path.GetValueKind() == JsonValueKind.String)
            {
                CheckFile($"{field}.path", path.GetValue<string>());
            }
        }

        private void CheckPlugins(JsonObject kustomization, string field)
        {
            if (kustomization[field] is not JsonArray entries)
            {
                return;
            }

            foreach (var entry in entries)
            {
                switch (entry)
                {
                    case JsonObject inline:
                        CheckPluginConfig(field, inline);
                        break;
                    case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\n'):
                        var parsed = _owner._reader.Read(value.GetValue<string>(), _location.Path);
                        _errors.AddRange(parsed.Errors);
                        foreach (var config in parsed.Objects)
                        {
                            CheckPluginConfig(field, config.Body);
                        }

                        break;
                    case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                        var path = value.GetValue<string>();
                        if (!TryResolveLocal(field, path, out var real, out var exists))
                        {
                            break;
                        }

                        if (!exists)
                        {
                            Error(ManifestErrorCode.InvalidKustomization, $"{field} entry \"{Shown(path)}\" does not exist");
                        }
                        else if (Directory.Exists(real))
                        {
                            _next.Add((real, true));
                        }
                        else
                        {
                            CheckPluginConfigFile(field, real);
                        }

                        break;
                    default:
                        Error(ManifestErrorCode.InvalidKustomization, $"{field} entries must be paths or mappings");
                        break;
                }
            }
        }

        private void CheckPluginConfigFile(string field, string real)
        {
            var display = Files.Display(real);
            var (text, readError) = Files.Read(real, display);
            if (readError is not null)
            {
                _errors.Add(readError);
                return;
            }

            var parsed = _owner._reader.Read(text!, display);
            _errors.AddRange(parsed.Errors);
            foreach (var config in parsed.Objects)
            {
                CheckPluginConfig(field, config.Body);
            }
        }

        private void CheckPluginConfig(string field, JsonObject config)
        {
            var apiVersion = StringAt(config, "apiVersion") ?? "(none)";
            var kind = StringAt(config, "kind") ?? "(none)";
            var annotations = (config["metadata"] as JsonObject)?["annotations"] as JsonObject;
            if (annotations is not null && FunctionAnnotations.Any(annotations.ContainsKey))
            {
                Error(ManifestErrorCode.ForbiddenPlugin, $"{field}: {kind} runs a KRM function (exec, container or starlark); functions are not allowed");
            }
            else if (apiVersion != "builtin")
            {
                Error(ManifestErrorCode.ForbiddenPlugin, $"{field}: {apiVersion} {kind} is not a builtin generator or transformer; plugins are not allowed");
            }
        }

        private bool TryResolveLocal(string field, string entry, out string real, out bool exists)
        {
            real = string.Empty;
            exists = false;
            if (LooksRemote(entry))
            {
                Error(ManifestErrorCode.RemoteReference, $"{field} entry \"{Shown(entry)}\" is remote; only paths inside the repository are allowed");
                return false;
            }

            if (entry.Length == 0 || Path.IsPathRooted(entry))
            {
                Error(ManifestErrorCode.PathEscape, $"{field} entry \"{Shown(entry)}\" must be a relative path inside the repository");
                return false;
            }

            var lexical = Path.GetFullPath(Path.Join(_directory, entry));
            (real, exists) = RealPath.Resolve(Path.Join(_directory, entry));
            if (!RealPath.IsWithin(Files.Root, lexical) || !RealPath.IsWithin(Files.Root, real))
            {
                Error(ManifestErrorCode.PathEscape, $"{field} entry \"{Shown(entry)}\" leads outside the repository");
                return false;
            }

            return true;
        }

        private IEnumerable<string> Strings(JsonObject owner, string field)
        {
            if (owner[field] is null)
            {
                yield break;
            }

            if (owner[field] is not JsonArray list)
            {
                Error(ManifestErrorCode.InvalidKustomization, $"{field} must be a list");
                yield break;
            }

            foreach (var item in list)
            {
                if (item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    yield return value.GetValue<string>();
                }
                else
                {
                    Error(ManifestErrorCode.InvalidKustomization, $"{field} entries must be strings");
                }
            }
        }

        private IEnumerable<JsonObject> Objects(JsonObject owner, string field)
        {
            if (owner[field] is null)
            {
                return [];
            }

            if (owner[field] is not JsonArray list || list.Any(item => item is not JsonObject))
            {
                Error(ManifestErrorCode.InvalidKustomization, $"{field} must be a list of mappings");
                return [];
            }

            return list.Cast<JsonObject>();
        }

        private static string? StringAt(JsonObject owner, string field) =>
            owner[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

        private void Error(ManifestErrorCode code, string message) => _errors.Add(new ManifestError(code, _location, message));
    }
}
