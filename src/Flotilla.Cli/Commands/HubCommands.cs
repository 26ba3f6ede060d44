using System.CommandLine;
using Flotilla.Hub;
using Flotilla.Hub.Install;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla hub install|manifests|run</c>.</summary>
public static class HubCommands
{
    public static Command Create()
    {
        var hub = new Command("hub", "Install Flotilla's CRDs on a hub cluster and run the hub's controllers");
        hub.Add(Install());
        hub.Add(Manifests());
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

    /// <summary>
    /// True when a kubeconfig is asked for by flag or environment; <c>$KUBECONFIG</c> counts too, as in
    /// controller-runtime, so a process in a pod that sets it keeps using it.
    /// </summary>
    private static bool NamesHubKubeconfig(ParseResult r, Option<string?> kubeconfig, Option<string?> context) =>
        r.GetValue(kubeconfig) is not null || r.GetValue(context) is not null
        || HubConnection.KubeconfigFlag(r) is not null || HubConnection.ContextFlag(r) is not null
        || new[] { "FLOTILLA_HUB_KUBECONFIG", "FLOTILLA_HUB_CONTEXT", "KUBECONFIG" }.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    private static Command Install()
    {
        var context = ContextOption();
        var kubeconfig = KubeconfigOption();
        var controller = new Option<bool>("--controller") { Description = "Also run the hub in the cluster: ServiceAccount, least-privilege RBAC, Deployment, PodDisruptionBudget, Service" };
        var manifest = new ManifestOptions();
        var install = new Command("install", "Install or upgrade the flotilla.io CRDs and the flotilla-system namespace, and with --controller the hub itself (server-side apply; upgrade by running it again)")
        {
            context, kubeconfig, controller,
        };
        manifest.AddTo(install);
        install.SetAction(async (r, ct) =>
        {
            var (file, ctx) = Target(r, kubeconfig, context);
            if (!r.GetValue(controller) && manifest.NamesImage(r))
            {
                Console.Error.WriteLine("error: --image installs the hub itself: add --controller");
                return 2;
            }
            ControllerManifestOptions? options = null;
            if (r.GetValue(controller) && !manifest.TryRead(r, out options)) return 2;
            using var client = KubeClientFactory.FromUserKubeconfig(file, ctx);
            var timeout = TimeSpan.FromSeconds(60);
            var applied = options is null
                ? (await CrdInstaller.InstallAsync(client, timeout, ct)).Select(n => $"customresourcedefinition.apiextensions.k8s.io/{n}").ToList()
                : await ControllerInstaller.InstallAsync(client, options, timeout, ct);
            foreach (var name in applied) Console.WriteLine($"{name} serverside-applied");
            return 0;
        });
        return install;
    }

    private static Command Manifests()
    {
        var manifest = new ManifestOptions();
        var pdb = new Option<string>("--pdb-api-version")
        {
            Description = $"PodDisruptionBudget API version: {ControllerManifestOptions.PolicyV1} (Kubernetes 1.21+) or {ControllerManifestOptions.PolicyV1Beta1} (1.20 and older)",
            DefaultValueFactory = _ => ControllerManifestOptions.PolicyV1,
        };
        var command = new Command("manifests", "Print what 'hub install --controller' applies (Namespace, CRDs, ServiceAccount, RBAC, Service, PodDisruptionBudget, Deployment) as YAML") { pdb };
        manifest.AddTo(command);
        command.SetAction(r =>
        {
            if (!manifest.TryRead(r, out var options)) return 2;
            options.PodDisruptionBudgetApiVersion = r.GetValue(pdb)!;
            try
            {
                Console.Write(ControllerManifests.Yaml(options));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            return 0;
        });
        return command;
    }

    /// <summary>The flags <c>hub manifests</c> and <c>hub install --controller</c> share.</summary>
    private sealed class ManifestOptions
    {
        private readonly Option<string?> _image = new("--image") { Description = "The hub image (required with --controller), e.g. registry.example.com/flotilla:0.4.0" };
        private readonly Option<int> _replicas = new("--replicas") { Description = "Hub replicas (one leads, the others stand by)", DefaultValueFactory = _ => 2 };
        private readonly Option<string[]> _secretNamespaces = new("--secret-namespace")
        {
            Description = "A namespace besides flotilla-system whose Secrets the hub may read (GitRepository secrets, registered credentials); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        private readonly List<(CredentialAllowance Allowance, Option<bool> Option)> _allowances = Enum.GetValues<CredentialAllowance>()
            .Select(a => (a, new Option<bool>(CredentialAllowances.Flag(a)) { Description = $"Pass {CredentialAllowances.Flag(a)} to the hub (member credentials joined with it too may use it)" }))
            .ToList();

        public void AddTo(Command command)
        {
            command.Add(_image);
            command.Add(_replicas);
            command.Add(_secretNamespaces);
            foreach (var (_, option) in _allowances) command.Add(option);
        }

        public bool NamesImage(ParseResult r) => r.GetValue(_image) is not null;

        public bool TryRead(ParseResult r, out ControllerManifestOptions options)
        {
            options = new ControllerManifestOptions
            {
                Image = r.GetValue(_image) ?? "",
                Replicas = r.GetValue(_replicas),
                SecretNamespaces = r.GetValue(_secretNamespaces) ?? [],
                CredentialAllowances = _allowances.Where(a => r.GetValue(a.Option)).Select(a => a.Allowance).ToHashSet(),
            };
            try
            {
                options.Validate();
                return true;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return false;
            }
        }
    }

    private static Command Run()
    {
        var context = ContextOption();
        var kubeconfig = KubeconfigOption();
        var listen = new Option<string>("--listen") { Description = "Address for /healthz, /readyz, /metrics and the Git webhook", DefaultValueFactory = _ => "127.0.0.1:9440" };
        var interval = new Option<double>("--health-interval") { Description = "Seconds between health probes of each member", DefaultValueFactory = _ => 10 };
        var grace = new Option<double>("--unreachable-grace") { Description = "Seconds without a heartbeat before a member is Unreachable", DefaultValueFactory = _ => 30 };
        var heartbeats = new Option<double>("--heartbeat-record-interval")
        {
            Description = "Seconds between heartbeats written to a member's status while its health is unchanged (a change is written at once)",
            DefaultValueFactory = _ => 60,
        };
        var identity = new Option<string?>("--identity") { Description = "Leader-election identity (default: host name + pid)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Git caches and snapshots (default: ~/.flotilla/hub)" };
        var allowLocal = new Option<bool>("--allow-local-sources") { Description = "Accept file:// and local-path GitRepositories (the local fleet demo)" };
        var simulate = new Option<bool>("--simulate-workloads") { Description = "Mark workloads on members ready after a short delay (local fleet only: its members have no nodes)" };
        // The hub operator's consent; a cluster's credentials also need the same flag on its join.
        var allowances = Enum.GetValues<CredentialAllowance>().Select(a => (Allowance: a, Option: new Option<bool>(CredentialAllowances.Flag(a))
        {
            Description = $"Use member credentials that need {CredentialAllowances.Flag(a)} when the cluster was joined with it too",
        })).ToList();
        var helm = new Option<string?>("--helm") { Description = "The helm executable for charts (default: $FLOTILLA_HELM, the pinned helm of scripts/install-tools.sh, then PATH); a missing file stops the start" };
        var kubectl = new Option<string?>("--kubectl") { Description = "The kubectl executable for kustomize (default: $FLOTILLA_KUBECTL, the pinned kubectl of scripts/install-tools.sh, then PATH); a missing file stops the start" };
        var execTimeout = new Option<double>("--exec-timeout") { Description = "Seconds an exec credential plugin may run on the hub", DefaultValueFactory = _ => 10 };
        var run = new Command("run", "Run the hub's controllers (leader-elected through a Lease in flotilla-system)")
        {
            context, kubeconfig, listen, interval, grace, heartbeats, identity, dataDir, allowLocal, simulate, execTimeout, helm, kubectl,
        };
        foreach (var (_, option) in allowances) run.Add(option);
        run.SetAction(async (r, ct) =>
        {
            var options = new HubOptions { Listen = r.GetValue(listen)! };
            // In a pod, with no kubeconfig asked for, the hub uses its ServiceAccount.
            if (!NamesHubKubeconfig(r, kubeconfig, context) && ServiceAccountMount.IsPresent) options.InCluster = true;
            else (options.Kubeconfig, options.Context) = Target(r, kubeconfig, context);
            if (r.GetValue(identity) is { } id) options.Identity = id;
            if (r.GetValue(dataDir) is { } dir) options.DataDirectory = dir;
            options.AllowLocalSources = r.GetValue(allowLocal);
            options.SimulateWorkloads = r.GetValue(simulate);
            options.HelmPath = r.GetValue(helm);
            options.KubectlPath = r.GetValue(kubectl);
            options.CredentialAllowances = allowances.Where(a => r.GetValue(a.Option)).Select(a => a.Allowance).ToHashSet();
            options.ExecPluginTimeout = TimeSpan.FromSeconds(r.GetValue(execTimeout));
            options.Health.Interval = TimeSpan.FromSeconds(r.GetValue(interval));
            options.Health.UnreachableGrace = TimeSpan.FromSeconds(r.GetValue(grace));
            options.Health.HeartbeatRecordInterval = TimeSpan.FromSeconds(r.GetValue(heartbeats));
            options.Health.ProbeTimeout = TimeSpan.FromSeconds(Math.Min(5, r.GetValue(interval)));
            await HubHost.RunAsync(options, ct);
            return 0;
        });
        return run;
    }
}
