using System.CommandLine;
using Flotilla.Cli.Commands;

var root = new RootCommand("flotilla: manage a fleet of Kubernetes clusters from one hub — registry, GitOps sync, placement, rollouts")
{
    HubConnection.KubeconfigOption,
    HubConnection.ContextOption,
    LocalCommands.Create(),
    HubCommands.Create(),
    ClusterCommands.Create(),
    GetCommand.Create(),
};
return await CliErrors.InvokeAsync(root, args);
