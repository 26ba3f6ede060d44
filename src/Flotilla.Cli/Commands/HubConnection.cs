using System.CommandLine;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Cli.Commands;

/// <summary>
/// How the CLI finds the hub: <c>--hub-kubeconfig</c>/<c>--hub-context</c>, else <c>FLOTILLA_HUB_KUBECONFIG</c>/
/// <c>FLOTILLA_HUB_CONTEXT</c>, else context <c>flotilla-hub</c> of the user's kubeconfig, else of the local fleet's.
/// </summary>
public static class HubConnection
{
    public const string DefaultContext = "flotilla-hub";

    public static readonly Option<string?> KubeconfigOption = new("--hub-kubeconfig")
    {
        Description = "Kubeconfig of the hub (default: $FLOTILLA_HUB_KUBECONFIG, $KUBECONFIG, then the local fleet's); kubectl's --kubeconfig too, unless the command has its own",
        Recursive = true,
    };

    public static readonly Option<string?> ContextOption = new("--hub-context")
    {
        Description = "Context of the hub (default: $FLOTILLA_HUB_CONTEXT or flotilla-hub); kubectl's --context too, unless the command has its own",
        Recursive = true,
    };

    // --kubeconfig and --context as kubectl spells them, so `kubectl flotilla …` (the CLI as kubectl-flotilla on PATH)
    // takes kubectl's flags; a command with a --kubeconfig/--context of its own (cluster join: the member's) keeps it.
    // Separate and hidden, so that such a command's help lists each flag once, for what it does there.
    private static readonly Option<string?> KubectlKubeconfigOption = new("--kubeconfig") { Recursive = true, Hidden = true };
    private static readonly Option<string?> KubectlContextOption = new("--context") { Recursive = true, Hidden = true };

    /// <summary>The root command's options that name the hub.</summary>
    public static IEnumerable<Option> Options => [KubeconfigOption, ContextOption, KubectlKubeconfigOption, KubectlContextOption];

    /// <summary>The hub's kubeconfig as given by flag (either spelling), or null.</summary>
    public static string? KubeconfigFlag(ParseResult r) => r.GetValue(KubeconfigOption) ?? r.GetValue(KubectlKubeconfigOption);

    /// <summary>The hub's context as given by flag (either spelling), or null.</summary>
    public static string? ContextFlag(ParseResult r) => r.GetValue(ContextOption) ?? r.GetValue(KubectlContextOption);

    /// <summary>The kubeconfig file and context the hub is reached with.</summary>
    public static (string? Kubeconfig, string Context) Resolve(ParseResult r)
    {
        var context = ContextFlag(r) ?? Environment.GetEnvironmentVariable("FLOTILLA_HUB_CONTEXT") ?? DefaultContext;
        var kubeconfig = KubeconfigFlag(r) ?? Environment.GetEnvironmentVariable("FLOTILLA_HUB_KUBECONFIG");
        if (kubeconfig is null && !KubeClientFactory.UserKubeconfigFiles(null).Any(f => KubeClientFactory.Defines(f, context)))
        {
            var local = Path.Combine(LocalFleetDirectory.Default, "kubeconfig");
            if (File.Exists(local)) kubeconfig = local;
        }
        return (kubeconfig, context);
    }

    public static Kubernetes Connect(ParseResult r, TimeSpan? timeout = null)
    {
        var (kubeconfig, context) = Resolve(r);
        return KubeClientFactory.FromUserKubeconfig(kubeconfig, context, timeout);
    }
}

/// <summary>Where the local fleet lives: <c>$FLOTILLA_LOCAL_DIR</c>, default <c>~/.flotilla/local</c>.</summary>
public static class LocalFleetDirectory
{
    public static string Default =>
        Environment.GetEnvironmentVariable("FLOTILLA_LOCAL_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".flotilla", "local");
}
