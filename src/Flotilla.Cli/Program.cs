using System.CommandLine;
using Flotilla.Cli.Commands;
using k8s;

var root = new RootCommand("flotilla: manage a fleet of Kubernetes clusters from one hub — registry, GitOps sync, placement, rollouts")
{
    LocalCommands.Create(),
    HubCommands.Create(),
    ClusterCommands.Create(),
    GetCommand.Create(),
    BundleCommands.Create(),
    BundleCommands.CreateReconcile(),
    BundleCommands.CreateDiff(),
    SourceCommands.Create(),
    PlacementCommands.Create(),
    RolloutCommands.Create(),
    VersionCommand.Create(),
    CompletionCommand.Create(),
    PlanCommand.Create(),
    ServicesCommand.Create(),
    ContextCommands.CreateCtx(),
    ContextCommands.CreateNs(async (context, ct) =>
    {
        using var client = Flotilla.Kube.Clients.KubeClientFactory.FromUserKubeconfig(null, context);
        var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: ct);
        return list.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
    }),
};
foreach (var option in HubConnection.Options) root.Options.Add(option);
return await CliErrors.InvokeAsync(root, args);
