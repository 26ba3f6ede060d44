using System.CommandLine;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

public sealed class ContextCommandsTests : IDisposable
{
    private const string Config = """
        apiVersion: v1
        kind: Config
        contexts:
        - name: beta
          context: {cluster: c, user: u}
        - name: alpha
          context: {cluster: c, user: u, namespace: shop}
        current-context: alpha

        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flotilla-cli-ctx-");
    private readonly Dictionary<string, string?> _env = new(StringComparer.Ordinal);
    private readonly List<string?> _listedContexts = [];
    private bool _terminal;

    public ContextCommandsTests()
    {
        File.WriteAllText(PathOf("config"), Config);
        _env["KUBECONFIG"] = PathOf("missing") + ":" + PathOf("config");
        _env["XDG_STATE_HOME"] = PathOf("state");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private ContextCommandEnvironment Environment => new(name => _env.GetValueOrDefault(name), _dir.FullName, _terminal);

    [Fact]
    public async Task Ctx_lists_contexts_sorted_with_the_current_one_marked()
    {
        var (exit, output, error) = await CtxAsync();

        Assert.Equal(0, exit);
        Assert.Equal("* alpha\n  beta\n", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Ctx_highlights_the_current_context_on_a_terminal_unless_NO_COLOR()
    {
        _terminal = true;
        Assert.Equal("\u001b[1;32m* alpha\u001b[0m\n  beta\n", (await CtxAsync()).Output);

        _env["NO_COLOR"] = "1";
        Assert.Equal("* alpha\n  beta\n", (await CtxAsync()).Output);
    }

    [Fact]
    public async Task Ctx_switches_and_goes_back_with_dash()
    {
        Assert.Equal((0, "", "Switched to context \"beta\".\n"), await CtxAsync("beta"));
        Assert.Equal("  alpha\n* beta\n", (await CtxAsync()).Output);

        Assert.Equal((0, "", "Switched to context \"alpha\".\n"), await CtxAsync("-"));
        Assert.Equal((0, "", "Switched to context \"beta\".\n"), await CtxAsync("-"));
        Assert.Equal("beta\n", (await CtxAsync("-c")).Output);
    }

    [Theory]
    [InlineData(new[] { "nope" }, "error: no context exists with the name: \"nope\"\n")]
    [InlineData(new[] { "-" }, "error: no previous context found\n")]
    [InlineData(new[] { "-d" }, "error: -d needs the name of the context to delete\n")]
    [InlineData(new[] { "-d", "-c", "beta" }, "error: use only one of -d, -c and -u\n")]
    [InlineData(new[] { "-c", "beta" }, "error: -c takes no context name\n")]
    [InlineData(new[] { "alpha=beta" }, "error: context \"alpha\" already exists, can't rename \"beta\" to it\n")]
    [InlineData(new[] { "gamma=nope" }, "error: context \"nope\" not found, can't rename it\n")]
    [InlineData(new[] { "=beta" }, "error: rename needs NEW=OLD with both names\n")]
    [InlineData(new[] { "-d", "nope" }, "error: no context exists with the name: \"nope\"\n")]
    public async Task Ctx_errors_go_to_stderr_with_exit_code_1_and_change_nothing(string[] args, string expectedError)
    {
        var (exit, output, error) = await CtxAsync(args);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(expectedError, error);
        Assert.Equal(Config, File.ReadAllText(PathOf("config")));
    }

    [Fact]
    public async Task Ctx_renames_with_NEW_equals_OLD_and_dot_for_the_current_context()
    {
        Assert.Equal((0, "", "Context \"beta\" renamed to \"gamma\".\n"), await CtxAsync("gamma=beta"));
        Assert.Equal((0, "", "Context \"alpha\" renamed to \"prod\".\n"), await CtxAsync("prod=."));

        Assert.Equal("  gamma\n* prod\n", (await CtxAsync()).Output);
    }

    [Fact]
    public async Task Ctx_deletes_and_unsets_when_the_deleted_context_was_current()
    {
        Assert.Equal((0, "", "Deleted context \"beta\".\n"), await CtxAsync("-d", "beta"));
        var (exit, _, error) = await CtxAsync("--delete", ".");

        Assert.Equal(0, exit);
        Assert.StartsWith("Deleted context \"alpha\".\nIt was the current context", error, StringComparison.Ordinal);
        Assert.Equal((1, "", "error: current-context is not set\n"), await CtxAsync("-c"));
    }

    [Fact]
    public async Task Ctx_unset_clears_the_current_context()
    {
        Assert.Equal((0, "", "Unset the current context.\n"), await CtxAsync("-u"));
        Assert.Equal("  alpha\n  beta\n", (await CtxAsync()).Output);
    }

    [Fact]
    public async Task A_broken_kubeconfig_is_named_and_left_untouched()
    {
        File.WriteAllText(PathOf("broken"), "contexts: [\n");
        _env["KUBECONFIG"] = PathOf("config") + ":" + PathOf("broken");

        var (exit, _, error) = await CtxAsync("beta");

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: kubeconfig {PathOf("broken")} is not valid: invalid YAML", error, StringComparison.Ordinal);
        Assert.Equal("contexts: [\n", File.ReadAllText(PathOf("broken")));
        Assert.Equal(Config, File.ReadAllText(PathOf("config")));
    }

    [Fact]
    public async Task Ns_lists_the_clusters_namespaces_with_the_current_one_marked()
    {
        var (exit, output, _) = await NsAsync();

        Assert.Equal(0, exit);
        Assert.Equal("  default\n  kube-system\n* shop\n", output);
        Assert.Equal(["alpha"], _listedContexts);
    }

    [Fact]
    public async Task Ns_switches_and_goes_back_with_dash()
    {
        Assert.Equal((0, "", "Context \"alpha\" modified.\nActive namespace is \"kube-system\".\n"), await NsAsync("kube-system"));
        Assert.Equal("kube-system\n", (await NsAsync("-c")).Output);

        Assert.Equal((0, "", "Context \"alpha\" modified.\nActive namespace is \"shop\".\n"), await NsAsync("-"));
        Assert.Equal("shop\n", (await NsAsync("-c")).Output);
    }

    [Fact]
    public async Task Ns_refuses_an_unknown_namespace_unless_forced()
    {
        Assert.Equal((1, "", "error: no namespace exists with name \"nope\"\n"), await NsAsync("nope"));
        Assert.Equal(Config, File.ReadAllText(PathOf("config")));

        Assert.Equal(0, (await NsAsync("nope", "--force")).Exit);
        Assert.Equal("nope\n", (await NsAsync("-c")).Output);
    }

    [Fact]
    public async Task Ns_reports_a_failing_cluster_and_suggests_force_when_switching()
    {
        var ns = ContextCommands.CreateNs((_, _) => throw new HttpRequestException("connection refused"), Environment);

        Assert.Equal(
            (1, "", "error: cannot list namespaces in context \"alpha\": connection refused (use -f to switch anyway)\n"),
            await InvokeAsync(ns, "kube-system"));
        Assert.Equal(
            (1, "", "error: cannot list namespaces in context \"alpha\": connection refused\n"),
            await InvokeAsync(ns));
    }

    [Fact]
    public async Task Ns_needs_a_current_context()
    {
        await CtxAsync("-u");

        Assert.Equal((1, "", "error: current-context is not set\n"), await NsAsync());
        Assert.Equal((1, "", "error: no previous namespace found for context \"beta\"\n"), await SwitchToBetaThenNsDash());

        async Task<(int, string, string)> SwitchToBetaThenNsDash()
        {
            await CtxAsync("beta");
            return await NsAsync("-");
        }
    }

    [Fact]
    public async Task Ns_of_a_context_without_namespace_is_default()
    {
        await CtxAsync("beta");

        Assert.Equal((0, "default\n", ""), await NsAsync("-c"));
    }

    [Theory]
    [InlineData("ctx", "List and switch kubeconfig contexts, like kubectx.")]
    [InlineData("ns", "List and switch the namespace of the current context, like kubens.")]
    public async Task Help_describes_the_command(string commandName, string summary)
    {
        var command = commandName == "ctx" ? ContextCommands.CreateCtx(Environment) : ContextCommands.CreateNs(ListAsync, Environment);

        // Help comes from the root command, as it will in Program.cs.
        var (exit, output, _) = await InvokeAsync(new RootCommand { command }, commandName, "--help");

        Assert.Equal(0, exit);
        Assert.Contains(summary, output, StringComparison.Ordinal);
        Assert.Contains("NAME", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_factories_build_commands_named_ctx_and_ns()
    {
        Assert.Equal("ctx", ContextCommands.CreateCtx().Name);
        Assert.Equal("ns", ContextCommands.CreateNs(ListAsync).Name);
    }

    private Task<(int Exit, string Output, string Error)> CtxAsync(params string[] args) =>
        InvokeAsync(ContextCommands.CreateCtx(Environment), args);

    private Task<(int Exit, string Output, string Error)> NsAsync(params string[] args) =>
        InvokeAsync(ContextCommands.CreateNs(ListAsync, Environment), args);

    private Task<IReadOnlyList<string>> ListAsync(string? context, CancellationToken cancellationToken)
    {
        _listedContexts.Add(context);
        return Task.FromResult<IReadOnlyList<string>>(["shop", "default", "kube-system"]);
    }

    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(Command command, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);
}
