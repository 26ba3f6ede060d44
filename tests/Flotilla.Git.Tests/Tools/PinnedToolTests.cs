using Flotilla.Git.Tools;

namespace Flotilla.Git.Tests.Tools;

/// <summary>
/// Where the pinned helm and kubectl are found, with real files in temporary directories and the environment given
/// as a table: the flag, then the variable, then the install script's cache, then PATH, then the bare name; and a flag
/// or variable naming no executable file is an error that names it, never a fall back to the next place.
/// </summary>
public sealed class PinnedToolTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flotilla-pinned-tool-");

    public void Dispose() => _root.Delete(recursive: true);

    public enum Place { Flag, Variable, Cache, Path, Nowhere }

    /// <summary>Every place holds a helm stub, except those before <paramref name="first"/>: the first one present wins.</summary>
    [Theory]
    [InlineData(Place.Flag)]
    [InlineData(Place.Variable)]
    [InlineData(Place.Cache)]
    [InlineData(Place.Path)]
    [InlineData(Place.Nowhere)]
    public void The_first_place_that_has_the_tool_wins(Place first)
    {
        var stubs = new Dictionary<Place, string>
        {
            [Place.Flag] = Stub("flag", "helm"),
            [Place.Variable] = Stub("variable", "helm"),
            [Place.Cache] = Stub("cache/helm-v3.17.2", "helm"),
            [Place.Path] = Stub("path-b", "helm"),
        };
        Directory.CreateDirectory(PathOf("path-a")); // an earlier PATH entry without helm is passed over
        if (first > Place.Cache) File.Delete(stubs[Place.Cache]);
        if (first > Place.Path) File.Delete(stubs[Place.Path]);
        var environment = Environment(
            variable: first <= Place.Variable ? stubs[Place.Variable] : null,
            tools: PathOf("cache"),
            path: $"{PathOf("path-a")}:{PathOf("path-b")}");

        var located = PinnedTool.Helm.Locate(first == Place.Flag ? stubs[Place.Flag] : null, environment);

        Assert.Equal(first == Place.Nowhere ? "helm" : stubs[first], located);
    }

    [Fact]
    public void Kubectl_has_its_own_flag_variable_and_cache_directory()
    {
        var cached = Stub("cache/kubectl-v1.32.3", "kubectl");
        var fromVariable = Stub("variable", "kubectl");
        Stub("cache/helm-v3.17.2", "helm");

        Assert.Equal(cached, PinnedTool.Kubectl.Locate(null, Environment(tools: PathOf("cache"))));
        Assert.Equal(fromVariable, PinnedTool.Kubectl.Locate(null, Environment(tools: PathOf("cache"), kubectlVariable: fromVariable)));
        var missing = Assert.Throws<FileNotFoundException>(() => PinnedTool.Kubectl.Locate(PathOf("nope", "kubectl"), Environment(tools: PathOf("cache"))));
        Assert.StartsWith($"--kubectl {PathOf("nope", "kubectl")}: no such file", missing.Message);
    }

    [Fact]
    public void A_flag_naming_a_missing_file_is_an_error_even_when_every_other_place_has_the_tool()
    {
        var environment = Environment(variable: Stub("variable", "helm"), tools: Cache(), path: Path.GetDirectoryName(Stub("path", "helm")));
        var missing = PathOf("opt", "helm");

        var error = Assert.Throws<FileNotFoundException>(() => PinnedTool.Helm.Locate(missing, environment));

        Assert.Equal($"--helm {missing}: no such file (scripts/install-tools.sh installs the pinned helm v3.17.2)", error.Message);
        Assert.Equal(missing, error.FileName);
    }

    [Fact]
    public void A_variable_naming_a_missing_file_is_an_error_not_a_fall_back_to_the_cache()
    {
        var missing = PathOf("opt", "helm");

        var error = Assert.Throws<FileNotFoundException>(() => PinnedTool.Helm.Locate(null, Environment(variable: missing, tools: Cache())));

        Assert.StartsWith($"FLOTILLA_HELM={missing}: no such file", error.Message);
    }

    [Fact]
    public void A_named_file_that_is_not_executable_or_is_a_directory_is_an_error()
    {
        var notExecutable = Stub("plain", "helm");
        File.SetUnixFileMode(notExecutable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var environment = Environment(tools: Cache());

        var plain = Assert.Throws<FileNotFoundException>(() => PinnedTool.Helm.Locate(notExecutable, environment));
        var directory = Assert.Throws<FileNotFoundException>(() => PinnedTool.Helm.Locate(PathOf("plain"), environment));

        Assert.Equal($"--helm {notExecutable}: not executable", plain.Message);
        Assert.Equal($"--helm {PathOf("plain")}: a directory, not the helm executable", directory.Message);
    }

    [Fact]
    public void A_name_without_a_slash_is_looked_up_on_path_and_is_an_error_when_it_is_not_there()
    {
        var helm3 = Stub("bin", "helm3");
        var environment = Environment(tools: Cache(), path: PathOf("bin"));

        Assert.Equal(helm3, PinnedTool.Helm.Locate("helm3", environment));
        Assert.Equal(helm3, PinnedTool.Helm.Locate(null, Environment(variable: "helm3", tools: Cache(), path: PathOf("bin"))));
        var error = Assert.Throws<FileNotFoundException>(() => PinnedTool.Helm.Locate("helm4", environment));
        Assert.Equal("--helm helm4: no executable \"helm4\" on PATH (give the helm executable's path)", error.Message);
    }

    [Fact]
    public void A_relative_path_is_made_absolute()
    {
        var stub = Stub("relative", "helm");

        var located = PinnedTool.Helm.Locate(Path.GetRelativePath(System.Environment.CurrentDirectory, stub), Environment(tools: Cache()));

        Assert.Equal(stub, located);
    }

    [Fact]
    public void A_non_executable_file_on_path_is_passed_over()
    {
        File.SetUnixFileMode(Stub("path-a", "helm"), UnixFileMode.UserRead);
        var onPath = Stub("path-b", "helm");

        Assert.Equal(onPath, PinnedTool.Helm.Locate(null, Environment(tools: Cache(), path: $"{PathOf("path-a")}:{PathOf("path-b")}")));
    }

    private string PathOf(params string[] parts) => Path.Combine([_root.FullName, .. parts]);

    /// <summary>An empty tools cache, so the machine's own cache never answers.</summary>
    private string Cache() => Directory.CreateDirectory(PathOf("empty-cache")).FullName;

    /// <summary>An executable shell script <paramref name="name"/> in <paramref name="directory"/> (under the test's root).</summary>
    private string Stub(string directory, string name)
    {
        var path = PathOf(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!/bin/sh\necho {name} from {directory}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>The environment a lookup sees; anything not given is unset (no PATH means an empty one).</summary>
    private static Func<string, string?> Environment(string? variable = null, string? tools = null, string? path = null, string? kubectlVariable = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["FLOTILLA_HELM"] = variable, ["FLOTILLA_KUBECTL"] = kubectlVariable, ["FLOTILLA_TOOLS"] = tools, ["PATH"] = path ?? "",
        };
        return name => values.GetValueOrDefault(name);
    }
}
