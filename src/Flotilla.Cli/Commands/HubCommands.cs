using System.CommandLine;
using Flotilla.Hub;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla hub install|run</c>.</summary>
public static class HubCommands
{
    public static Command Create()
    {
        var hub = new Command("hub", "Install Flotilla's CRDs on a hub cluster and run the hub's controllers");
        hub.Add(Install());
        hub.Add(Run());
        return hub;
    }

    private static Option<string?> ContextOption() => new("--context") { Description = "Context of the hub cluster (default: the hub resolution of --hub-context)" };

    private static Option<string?> KubeconfigOption() => new("--kubeconfig") { Description = "Kubeconfig file (default: --hub-kubeconfig resolution)" };

    private static (string? Kubeconfig, string Context) Target(ParseResult r, Option<string?> kubeconfig, Option<string?> context)
    {
        var (defaultFile, defaultContext) = HubConnection.Resolve(r);
        return (r.GetValue(kubeconfig) ?? defaultFile, r.GetValue(context) ?? defaultContext);
    }

    private static Command Install()
    {
        var context = ContextOption();
        var kubeconfig = KubeconfigOption();
        var install = new Command("install", "Install or upgrade the flotilla.io CRDs and the flotilla-system namespace (server-side apply)") { context, kubeconfig };
        install.SetAction(async (r, ct) =>
        {
            var (file, ctx) = Target(r, kubeconfig, context);
            using var client = KubeClientFactory.FromUserKubeconfig(file, ctx);
            foreach (var name in await CrdInstaller.InstallAsync(client, TimeSpan.FromSeconds(60), ct))
                Console.WriteLine($"customresourcedefinition.apiextensions.k8s.io/{name} serverside-applied");
            return 0;
        });
        return install;
    }

    private static Command Run()
    {
        var context = ContextOption();
        var kubeconfig = KubeconfigOption();
        var listen = new Option<string>("--listen") { Description = "Address for /healthz and /metrics", DefaultValueFactory = _ => "127.0.0.1:9440" };
        var interval = new Option<double>("--health-interval") { Description = "Seconds between health probes of each member", DefaultValueFactory = _ => 10 };
        var grace = new Option<double>("--unreachable-grace") { Description = "Seconds without a heartbeat before a member is Unreachable", DefaultValueFactory = _ => 30 };
        var identity = new Option<string?>("--identity") { Description = "Leader-election identity (default: host name + pid)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Git caches and snapshots (default: ~/.flotilla/hub)" };
        var allowLocal = new Option<bool>("--allow-local-sources") { Description = "Accept file:// and local-path GitRepositories (the local fleet demo)" };
        var simulate = new Option<bool>("--simulate-workloads") { Description = "Mark workloads on members ready after a short delay (local fleet only: its members have no nodes)" };
        // The hub operator's consent; a cluster's credentials also need the same flag on its join.
        var allowances = Enum.GetValues<CredentialAllowance>().Select(a => (Allowance: a, Option: new Option<bool>(CredentialAllowances.Flag(a))
        {
            Description = $"Use member credentials that need {CredentialAllowances.Flag(a)} when the cluster was joined with it too",
        })).ToList();
        var execTimeout = new Option<double>("--exec-timeout") { Description = "Seconds an exec credential plugin may run on the hub", DefaultValueFactory = _ => 10 };
        var run = new Command("run", "Run the hub's controllers (leader-elected through a Lease in flotilla-system)")
        {
            context, kubeconfig, listen, interval, grace, identity, dataDir, allowLocal, simulate, execTimeout,
        };
        foreach (var (_, option) in allowances) run.Add(option);
        run.SetAction(async (r, ct) =>
        {
            var (file, ctx) = Target(r, kubeconfig, context);
            var options = new HubOptions { Kubeconfig = file, Context = ctx, Listen = r.GetValue(listen)! };
            if (r.GetValue(identity) is { } id) options.Identity = id;
            if (r.GetValue(dataDir) is { } dir) options.DataDirectory = dir;
            options.AllowLocalSources = r.GetValue(allowLocal);
            options.SimulateWorkloads = r.GetValue(simulate);
            options.CredentialAllowances = allowances.Where(a => r.GetValue(a.Option)).Select(a => a.Allowance).ToHashSet();
            options.ExecPluginTimeout = TimeSpan.FromSeconds(r.GetValue(execTimeout));
            options.Health.Interval = TimeSpan.FromSeconds(r.GetValue(interval));
            options.Health.UnreachableGrace = TimeSpan.FromSeconds(r.GetValue(grace));
            options.Health.ProbeTimeout = TimeSpan.FromSeconds(Math.Min(5, r.GetValue(interval)));
            await HubHost.RunAsync(options, ct);
            return 0;
        });
        return run;
    }
}
