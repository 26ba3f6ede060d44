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
}
