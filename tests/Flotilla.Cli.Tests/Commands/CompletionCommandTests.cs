using System.CommandLine;
using System.Diagnostics;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

public sealed class CompletionCommandTests
{
    /// <summary>The CLI as built beside the tests (the apphost of the referenced Flotilla.Cli project).</summary>
    private static string Flotilla => Path.Combine(AppContext.BaseDirectory, "flotilla");

    [Theory]
    [InlineData("clu", "cluster")]
    [InlineData("rollout a", "approve")]
    [InlineData("cluster remove web --ti", "--timeout")]
    [InlineData("completion ", "zsh")]
    public async Task Bash_completion_asks_the_CLI_what_may_come_next(string typed, string expected)
    {
        var completions = await BashCompleteAsync(typed);
        Assert.Contains(expected, completions);
        var word = typed.EndsWith(' ') ? "" : typed.Split(' ')[^1];
        Assert.All(completions, c => Assert.StartsWith(word, c));
    }

    [Theory]
    [InlineData("flotilla clu", "cluster")]
    [InlineData("flotilla rollout a", "approve")]
    [InlineData("kubectl-flotilla cluster remove web --ti", "--timeout")]
    public async Task Fish_completion_asks_the_CLI_what_may_come_next(string typed, string expected)
    {
        // fish completes a command line without a terminal: `complete -C`.
        var completions = await ShellAsync("fish", CompletionCommand.Shell.Fish, "source \"$argv[1]\"; complete -C \"$argv[2]\"", typed);
        Assert.Contains(expected, completions);
        Assert.All(completions, c => Assert.StartsWith(typed.Split(' ')[^1], c));
    }

    [Theory]
    [InlineData("flotilla clu", "cluster")]
    [InlineData("flotilla rollout a", "approve")]
    [InlineData("kubectl-flotilla cluster remove web --ti", "--timeout")]
    public async Task Zsh_completion_hands_the_CLIs_suggestions_to_compadd(string typed, string expected)
    {
        // Outside the line editor there is no completion system: compdef is a no-op, compadd prints what it is given
        // (the real one then keeps those matching the word typed), BUFFER and CURSOR are set as the editor sets them.
        var completions = await ShellAsync("zsh", CompletionCommand.Shell.Zsh,
            "compdef() { :; }; compadd() { shift; printf '%s\\n' \"$@\"; }; source \"$1\"; BUFFER=$2; CURSOR=${#BUFFER}; words=(${=BUFFER}); _flotilla", typed);
        Assert.Contains(expected, completions);
    }

    [Theory]
    [InlineData(CompletionCommand.Shell.Bash, "complete -o default -F _flotilla flotilla kubectl-flotilla")]
    [InlineData(CompletionCommand.Shell.Zsh, "compdef _flotilla flotilla kubectl-flotilla")]
    [InlineData(CompletionCommand.Shell.Fish, "complete -c kubectl-flotilla -f -a '(__flotilla_complete)'")]
    public void Every_shell_asks_the_suggest_directive_for_flotilla_and_kubectl_flotilla(CompletionCommand.Shell shell, string registration)
    {
        var script = CompletionCommand.Script(shell);
        Assert.Contains("[suggest:", script);
        Assert.Contains(registration, script);
    }

    [Fact]
    public void An_unknown_shell_is_refused_naming_the_ones_there_are()
    {
        var result = new RootCommand { CompletionCommand.Create() }.Parse(["completion", "tcsh"]);
        var error = Assert.Single(result.Errors);
        Assert.Contains("'tcsh'", error.Message);
        Assert.Contains("'fish'", error.Message);
    }

    /// <summary>Sources the bash script in a real bash and completes <paramref name="typed"/> at its end.</summary>
    private static async Task<List<string>> BashCompleteAsync(string typed)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, CompletionCommand.Script(CompletionCommand.Shell.Bash));
        try
        {
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("""
                source "$1"; COMP_LINE="$2 $3"; COMP_POINT=${#COMP_LINE}
                read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _flotilla; printf '%s\n' "${COMPREPLY[@]}"
                """);
            foreach (var a in new[] { "bash", script, Flotilla, typed }) info.ArgumentList.Add(a);
            using var bash = Process.Start(info)!;
            var output = await bash.StandardOutput.ReadToEndAsync();
            var error = await bash.StandardError.ReadToEndAsync();
            await bash.WaitForExitAsync();
            Assert.True(bash.ExitCode == 0, error);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Runs <paramref name="code"/> in a real <paramref name="shell"/> with the script's path and the typed line as arguments, the CLI on PATH under both names.</summary>
    private static async Task<List<string>> ShellAsync(string shell, CompletionCommand.Shell kind, string code, string typed)
    {
        var dir = Directory.CreateTempSubdirectory("flotilla-completion-").FullName;
        try
        {
            var script = Path.Combine(dir, "completion");
            await File.WriteAllTextAsync(script, CompletionCommand.Script(kind));
            File.CreateSymbolicLink(Path.Combine(dir, "flotilla"), Flotilla);
            File.CreateSymbolicLink(Path.Combine(dir, "kubectl-flotilla"), Flotilla);
            var info = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.Environment["PATH"] = $"{dir}:{Environment.GetEnvironmentVariable("PATH")}";
            foreach (var a in new[] { "-c", code, shell == "zsh" ? "zsh" : "", script, typed }.Where(a => a.Length > 0)) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{shell}: {error}");
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')[0])];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
