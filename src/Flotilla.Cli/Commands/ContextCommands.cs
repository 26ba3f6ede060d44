using System.CommandLine;
using Flotilla.Kube.KubeConfig;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla ctx</c> and <c>flotilla ns</c>: kubectx and kubens on the kubeconfig files named by
/// <c>KUBECONFIG</c>. Listings go to standard output; confirmations and errors go to standard error
/// (as kubectx does), errors as <c>error: …</c> with exit code 1.
/// </summary>
public static class ContextCommands
{
    private const string CurrentMarker = "* ";
    private const string OtherMarker = "  ";
    private const string Highlight = "\u001b[1;32m";
    private const string Reset = "\u001b[0m";

    /// <summary>The <c>ctx</c> command on the real process environment.</summary>
    public static Command CreateCtx() => CreateCtx(ContextCommandEnvironment.FromProcess());

    /// <summary>The <c>ctx</c> command on an injected environment.</summary>
    public static Command CreateCtx(ContextCommandEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var name = new Argument<string?>("NAME")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Context to switch to; '-' for the previous one; NEW=OLD to rename (OLD may be '.' for the current one)",
        };
        var delete = new Option<bool>("--delete", "-d") { Description = "Delete context NAME ('.' for the current one)" };
        var current = new Option<bool>("--current", "-c") { Description = "Print the current context" };
        var unset = new Option<bool>("--unset", "-u") { Description = "Unset the current context" };
        var command = new Command(
            "ctx",
            """
            List and switch kubeconfig contexts, like kubectx.
              ctx               list contexts, the current one marked with '*'
              ctx NAME          switch to context NAME
              ctx -             switch back to the previous context
              ctx NEW=OLD       rename context OLD to NEW
              ctx -d NAME       delete context NAME
            Reads the files in KUBECONFIG (separated by ':'), else ~/.kube/config, merged as kubectl merges them.
            """)
        {
            name, delete, current, unset,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, async (output, error) =>
        {
            var switcher = await LoadAsync(environment, cancellationToken);
            var set = switcher.Kubeconfig;
            var target = result.GetValue(name);
            var (isDelete, isCurrent, isUnset) = (result.GetValue(delete), result.GetValue(current), result.GetValue(unset));
            if ((isDelete ? 1 : 0) + (isCurrent ? 1 : 0) + (isUnset ? 1 : 0) > 1)
            {
                return Fail(error, "use only one of -d, -c and -u");
            }

            if (isDelete)
            {
                if (target is null)
                {
                    return Fail(error, "-d needs the name of the context to delete");
                }

                var deleted = ResolveDot(set, target);
                var wasCurrent = await set.DeleteContextAsync(deleted, cancellationToken);
                await error.WriteLineAsync($"Deleted context {QuotedName.Of(deleted)}.");
                if (wasCurrent)
                {
                    await error.WriteLineAsync("It was the current context; current-context is now unset. Run 'flotilla ctx NAME' to choose one.");
                }

                return 0;
            }

            if (isCurrent || isUnset)
            {
                if (target is not null)
                {
                    return Fail(error, $"{(isCurrent ? "-c" : "-u")} takes no context name");
                }

                if (isUnset)
                {
                    await set.UnsetCurrentContextAsync(cancellationToken);
                    await error.WriteLineAsync("Unset the current context.");
                    return 0;
                }

                await output.WriteLineAsync(QuotedName.ForDisplay(set.CurrentContext ?? throw NoCurrentContext()));
                return 0;
            }

            switch (target)
            {
                case null:
                    if (set.Contexts.Count == 0)
                    {
                        await error.WriteLineAsync($"No contexts found in {string.Join(", ", set.SearchPaths)}.");
                    }

                    await WriteListingAsync(output, environment, set.Contexts.Select(context => (context.Name, context.IsCurrent)));
                    return 0;
                case "-":
                    var previous = await switcher.SwitchToPreviousContextAsync(cancellationToken);
                    await error.WriteLineAsync($"Switched to context {QuotedName.Of(previous)}.");
                    return 0;
                case var rename when rename.Contains('=', StringComparison.Ordinal):
                    var separator = rename.IndexOf('=', StringComparison.Ordinal);
                    var (newName, oldName) = (rename[..separator], rename[(separator + 1)..]);
                    if (newName.Length == 0 || oldName.Length == 0)
                    {
                        return Fail(error, "rename needs NEW=OLD with both names");
                    }

                    oldName = ResolveDot(set, oldName);
                    await switcher.RenameContextAsync(oldName, newName, cancellationToken);
                    await error.WriteLineAsync($"Context {QuotedName.Of(oldName)} renamed to {QuotedName.Of(newName)}.");
                    return 0;
                default:
                    await switcher.SwitchContextAsync(target, cancellationToken);
                    await error.WriteLineAsync($"Switched to context {QuotedName.Of(target)}.");
                    return 0;
            }
        }));
        return command;
    }

    /// <summary>The <c>ns</c> command on the real process environment.</summary>
    /// <param name="listNamespaces">
    /// Lists the namespaces of a cluster, given the kubeconfig context to reach it through. Any exception
    /// other than cancellation is reported as an error.
    /// </param>
    public static Command CreateNs(Func<string?, CancellationToken, Task<IReadOnlyList<string>>> listNamespaces) =>
        CreateNs(listNamespaces, ContextCommandEnvironment.FromProcess());

    /// <summary>The <c>ns</c> command on an injected environment.</summary>
    public static Command CreateNs(
        Func<string?, CancellationToken, Task<IReadOnlyList<string>>> listNamespaces, ContextCommandEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(listNamespaces);
        ArgumentNullException.ThrowIfNull(environment);
        var name = new Argument<string?>("NAME")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Namespace to switch to; '-' for the previous one",
        };
        var current = new Option<bool>("--current", "-c") { Description = "Print the current namespace" };
        var force = new Option<bool>("--force", "-f") { Description = "Switch even if the namespace does not exist (or the cluster cannot be reached)" };
        var command = new Command(
            "ns",
            """
            List and switch the namespace of the current context, like kubens.
              ns                list the cluster's namespaces, the current one marked with '*'
              ns NAME           make NAME the current context's namespace
              ns -              switch back to the previous namespace of this context
            The namespace is written to the context in the kubeconfig file that defines it.
            """)
        {
            name, current, force,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, async (output, error) =>
        {
            var switcher = await LoadAsync(environment, cancellationToken);
            var set = switcher.Kubeconfig;
            var target = result.GetValue(name);
            var context = set.CurrentContext ?? throw NoCurrentContext();
            var currentNamespace = set.GetCurrentNamespace();
            if (result.GetValue(current))
            {
                if (target is not null)
                {
                    return Fail(error, "-c takes no namespace name");
                }

                await output.WriteLineAsync(QuotedName.ForDisplay(currentNamespace));
                return 0;
            }

            if (target == "-")
            {
                var previous = await switcher.SwitchToPreviousNamespaceAsync(cancellationToken);
                await WriteNamespaceSwitchedAsync(error, context, previous);
                return 0;
            }

            if (target is not null && result.GetValue(force))
            {
                await switcher.SetNamespaceAsync(target, cancellationToken);
                await WriteNamespaceSwitchedAsync(error, context, target);
                return 0;
            }

            IReadOnlyList<string> namespaces;
            try
            {
                namespaces = await listNamespaces(context, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var hint = target is null ? string.Empty : " (use -f to switch anyway)";
                return Fail(error, $"cannot list namespaces in context {QuotedName.Of(context)}: {e.Message}{hint}");
            }

            if (target is null)
            {
                await WriteListingAsync(
                    output,
                    environment,
                    namespaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                        .Select(namespaceName => (namespaceName, string.Equals(namespaceName, currentNamespace, StringComparison.Ordinal))));
                return 0;
            }

            if (!namespaces.Contains(target, StringComparer.Ordinal))
            {
                return Fail(error, $"no namespace exists with name {QuotedName.Of(target)}");
            }

            await switcher.SetNamespaceAsync(target, cancellationToken);
            await WriteNamespaceSwitchedAsync(error, context, target);
            return 0;
        }));
        return command;
    }

    // One place that turns expected failures into "error: …" and exit code 1.
    private static async Task<int> RunAsync(ParseResult result, Func<TextWriter, TextWriter, Task<int>> body)
    {
        var error = result.InvocationConfiguration.Error;
        try
        {
            return await body(result.InvocationConfiguration.Output, error);
        }
        catch (KubeconfigException e)
        {
            return Fail(error, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, e.Message);
        }
    }

    private static async Task<KubeContextSwitcher> LoadAsync(ContextCommandEnvironment environment, CancellationToken cancellationToken)
    {
        var set = await KubeconfigSet.LoadFromEnvironmentAsync(
            environment.GetEnvironmentVariable("KUBECONFIG"), environment.HomeDirectory, cancellationToken);
        var state = new KubeconfigStateStore(
            KubeconfigStatePaths.FromEnvironment(environment.GetEnvironmentVariable, environment.HomeDirectory));
        return new KubeContextSwitcher(set, state);
    }

    private static string ResolveDot(KubeconfigSet set, string name) =>
        name == "." ? set.CurrentContext ?? throw NoCurrentContext() : name;

    private static KubeconfigException NoCurrentContext() =>
        new(KubeconfigErrorKind.NoCurrentContext, "current-context is not set");

    private static async Task WriteListingAsync(
        TextWriter output, ContextCommandEnvironment environment, IEnumerable<(string Name, bool IsCurrent)> entries)
    {
        foreach (var (entryName, isCurrent) in entries)
        {
            var shown = QuotedName.ForDisplay(entryName);
            await output.WriteLineAsync(
                !isCurrent ? OtherMarker + shown
                : environment.UseColor ? $"{Highlight}{CurrentMarker}{shown}{Reset}"
                : CurrentMarker + shown);
        }
    }

    private static async Task WriteNamespaceSwitchedAsync(TextWriter error, string context, string namespaceName)
    {
        await error.WriteLineAsync($"Context {QuotedName.Of(context)} modified.");
        await error.WriteLineAsync($"Active namespace is {QuotedName.Of(namespaceName)}.");
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return 1;
    }
}
