namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// The kubectx/kubens operations that remember where they came from: switching context or namespace
/// records the one left behind, so <c>ctx -</c> and <c>ns -</c> can go back to it.
/// </summary>
public sealed class KubeContextSwitcher(KubeconfigSet kubeconfig, KubeconfigStateStore state)
{
    public KubeconfigSet Kubeconfig { get; } = kubeconfig ?? throw new ArgumentNullException(nameof(kubeconfig));

    public KubeconfigStateStore State { get; } = state ?? throw new ArgumentNullException(nameof(state));

    /// <summary>Makes <paramref name="name"/> current and remembers the context it replaced.</summary>
    public async Task SwitchContextAsync(string name, CancellationToken cancellationToken)
    {
        var previous = Kubeconfig.CurrentContext;
        if (await Kubeconfig.UseContextAsync(name, cancellationToken) && previous is not null)
        {
            await State.SetPreviousContextAsync(previous, cancellationToken);
        }
    }

    /// <summary>Switches back to the remembered context (<c>ctx -</c>) and returns its name.</summary>
    public async Task<string> SwitchToPreviousContextAsync(CancellationToken cancellationToken)
    {
        var previous = await State.GetPreviousContextAsync(cancellationToken)
            ?? throw new KubeconfigException(KubeconfigErrorKind.NoPreviousContext, "no previous context found");
        await SwitchContextAsync(previous, cancellationToken);
        return previous;
    }

    /// <summary>Renames a context; remembered state about it (previous context, previous namespace) follows the rename.</summary>
    public async Task RenameContextAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        await Kubeconfig.RenameContextAsync(oldName, newName, cancellationToken);
        await State.RenameContextAsync(oldName, newName, cancellationToken);
    }

    /// <summary>Sets the current context's namespace and remembers the one it replaced, per context.</summary>
    public async Task SetNamespaceAsync(string namespaceName, CancellationToken cancellationToken)
    {
        var previous = Kubeconfig.GetCurrentNamespace();
        if (await Kubeconfig.SetNamespaceAsync(namespaceName, cancellationToken))
        {
            await State.SetPreviousNamespaceAsync(Kubeconfig.CurrentContext!, previous, cancellationToken);
        }
    }

    /// <summary>Switches the current context back to its remembered namespace (<c>ns -</c>) and returns it.</summary>
    public async Task<string> SwitchToPreviousNamespaceAsync(CancellationToken cancellationToken)
    {
        var context = Kubeconfig.CurrentContext
            ?? throw new KubeconfigException(KubeconfigErrorKind.NoCurrentContext, "current-context is not set");
        var previous = await State.GetPreviousNamespaceAsync(context, cancellationToken)
            ?? throw new KubeconfigException(
                KubeconfigErrorKind.NoPreviousNamespace, $"no previous namespace found for context {QuotedName.Of(context)}");
        await SetNamespaceAsync(previous, cancellationToken);
        return previous;
    }
}
