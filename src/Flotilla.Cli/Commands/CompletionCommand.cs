using System.CommandLine;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla completion bash|zsh|fish</c>: a script that asks the CLI itself what may come next, through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (commands, options and option values as the parser knows
/// them), so completion never falls out of step with the commands. It completes <c>flotilla</c> and <c>kubectl-flotilla</c>.
/// </summary>
public static class CompletionCommand
{
    public enum Shell { Bash, Zsh, Fish }

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var completion = new Command("completion", "Print a shell completion script, e.g. source <(flotilla completion bash)") { shell };
        completion.SetAction(r =>
        {
            Console.Write(Script(Enum.Parse<Shell>(r.GetValue(shell)!, ignoreCase: true)));
            return 0;
        });
        return completion;
    }

    // Each script passes the line up to the cursor without the program's name, and the cursor's place in it.
    public static string Script(Shell shell) => shell switch
    {
        Shell.Bash => """
            # bash completion for flotilla: source <(flotilla completion bash)
            _flotilla() {
              local line="${COMP_LINE:0:COMP_POINT}"
              local rest="${line#"${COMP_WORDS[0]}"}"
              rest="${rest#"${rest%%[![:space:]]*}"}"
              local IFS=$'\n'
              COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#rest}]" "$rest" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F _flotilla flotilla kubectl-flotilla

            """,
        Shell.Zsh => """
            #compdef flotilla kubectl-flotilla
            # zsh completion for flotilla: source <(flotilla completion zsh), after compinit
            _flotilla() {
              local rest="${BUFFER[1,CURSOR]}"
              rest="${rest#${words[1]}}"
              rest="${rest#"${rest%%[![:space:]]*}"}"
              local -a candidates
              candidates=("${(@f)$(${words[1]} "[suggest:${#rest}]" "$rest" 2>/dev/null)}")
              compadd -- $candidates
            }
            compdef _flotilla flotilla kubectl-flotilla

            """,
        Shell.Fish => """
            # fish completion for flotilla: flotilla completion fish | source
            function __flotilla_complete
                set -l program (commandline -opc)[1]
                set -l rest (string replace -r '^\s*\S+\s*' '' -- (commandline -cp))
                $program "[suggest:"(string length -- "$rest")"]" "$rest" 2>/dev/null
            end
            complete -c flotilla -f -a '(__flotilla_complete)'
            complete -c kubectl-flotilla -f -a '(__flotilla_complete)'

            """,
    };
}
