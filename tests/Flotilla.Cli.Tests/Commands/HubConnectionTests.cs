using System.CommandLine;
using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

/// <summary>kubectl's --kubeconfig and --context name the hub, as `kubectl flotilla …` users expect.</summary>
public sealed class HubConnectionTests
{
    private static RootCommand Root()
    {
        var root = new RootCommand { ClusterCommands.Create(), VersionCommand.Create() };
        foreach (var option in HubConnection.Options) root.Options.Add(option);
        return root;
    }

    private static ParseResult Parse(params string[] args) => Root().Parse(args);

    [Fact]
    public void Kubectl_flags_name_the_hub_before_or_after_the_command()
    {
        var before = Parse("--kubeconfig", "/tmp/hub.yaml", "--context", "prod-hub", "cluster", "list");
        Assert.Empty(before.Errors);
        Assert.Equal(("/tmp/hub.yaml", "prod-hub"), (HubConnection.KubeconfigFlag(before), HubConnection.ContextFlag(before)));

        var after = Parse("cluster", "list", "--context", "prod-hub");
        Assert.Equal("prod-hub", HubConnection.ContextFlag(after));
        Assert.Equal(("prod-hub", "flotilla-hub"), (HubConnection.Resolve(after).Context, HubConnection.Resolve(Parse("cluster", "list")).Context));
    }

    [Fact]
    public void A_command_with_its_own_context_keeps_it_and_the_hub_is_named_with_hub_context()
    {
        var join = Parse("cluster", "join", "eu-1", "--context", "eu-1-admin", "--hub-context", "prod-hub");
        Assert.Empty(join.Errors);
        Assert.Equal("prod-hub", HubConnection.ContextFlag(join));
        Assert.Equal("eu-1-admin", join.GetValue<string?>("--context"));
    }

    [Fact]
    public async Task Help_lists_each_flag_once_for_what_it_does_in_that_command()
    {
        // cluster join's own --kubeconfig and --context are the member's; the hub's are listed by their --hub-… names.
        var join = await HelpAsync("cluster", "join", "--help");
        Assert.Single(join, l => l.StartsWith("--kubeconfig ", StringComparison.Ordinal));
        Assert.Single(join, l => l.StartsWith("--context ", StringComparison.Ordinal));
        Assert.Single(join, l => l.StartsWith("--hub-kubeconfig <hub-kubeconfig>", StringComparison.Ordinal));
        Assert.Single(join, l => l.StartsWith("--hub-context <hub-context>", StringComparison.Ordinal));
        Assert.Contains("member's", join.Single(l => l.StartsWith("--kubeconfig ", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Elsewhere the hub's help names kubectl's spelling, which works there.
        var list = await HelpAsync("cluster", "list", "--help");
        Assert.Contains("kubectl's --kubeconfig too", list.Single(l => l.StartsWith("--hub-kubeconfig", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(list, l => l.StartsWith("--kubeconfig", StringComparison.Ordinal) || l.StartsWith("--context", StringComparison.Ordinal));
    }

    private static async Task<List<string>> HelpAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, await Root().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output }));
        return [.. output.ToString().Split('\n').Select(l => l.Trim())];
    }
}
