using System.CommandLine;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

/// <summary>kubectl's --kubeconfig and --context name the hub, as `kubectl flotilla …` users expect.</summary>
public sealed class HubConnectionTests
{
    private static ParseResult Parse(params string[] args) =>
        new RootCommand { HubConnection.KubeconfigOption, HubConnection.ContextOption, ClusterCommands.Create(), VersionCommand.Create() }.Parse(args);

    [Fact]
    public void Kubectl_flags_name_the_hub_before_or_after_the_command()
    {
        var before = Parse("--kubeconfig", "/tmp/hub.yaml", "--context", "prod-hub", "cluster", "list");
        Assert.Empty(before.Errors);
        Assert.Equal(("/tmp/hub.yaml", "prod-hub"), (before.GetValue(HubConnection.KubeconfigOption), before.GetValue(HubConnection.ContextOption)));

        var after = Parse("cluster", "list", "--context", "prod-hub");
        Assert.Equal("prod-hub", after.GetValue(HubConnection.ContextOption));
        Assert.Equal(("prod-hub", "flotilla-hub"), (HubConnection.Resolve(after).Context, HubConnection.Resolve(Parse("cluster", "list")).Context));
    }

    [Fact]
    public void A_command_with_its_own_context_keeps_it_and_the_hub_is_named_with_hub_context()
    {
        var join = Parse("cluster", "join", "eu-1", "--context", "eu-1-admin", "--hub-context", "prod-hub");
        Assert.Empty(join.Errors);
        Assert.Equal("prod-hub", join.GetValue(HubConnection.ContextOption));
        Assert.Equal("eu-1-admin", join.GetValue<string?>("--context"));
    }
}
