namespace Flotilla.Cli.Commands;

/// <summary>
/// What the <c>ctx</c> and <c>ns</c> commands read from the process, injectable so tests point
/// <c>KUBECONFIG</c> and <c>XDG_STATE_HOME</c> at temporary files without touching the real environment.
/// </summary>
/// <param name="GetEnvironmentVariable">Reads <c>KUBECONFIG</c>, <c>XDG_STATE_HOME</c> and <c>NO_COLOR</c>.</param>
/// <param name="HomeDirectory">Home of <c>~/.kube/config</c> and <c>~/.local/state</c>.</param>
/// <param name="OutputIsTerminal">True when standard output is a terminal: listings then highlight the current entry.</param>
public sealed record ContextCommandEnvironment(
    Func<string, string?> GetEnvironmentVariable, string HomeDirectory, bool OutputIsTerminal)
{
    /// <summary>The real process environment and console.</summary>
    public static ContextCommandEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), !Console.IsOutputRedirected);

    /// <summary>Colour only on a terminal, and never when <c>NO_COLOR</c> is set (no-color.org).</summary>
    public bool UseColor => OutputIsTerminal && string.IsNullOrEmpty(GetEnvironmentVariable("NO_COLOR"));
}
