using System.CommandLine;
using System.Text.Json.Nodes;
using Flotilla.Cli.Output;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Credentials;
using Flotilla.Kube.Health;
using Flotilla.Kube.Registry;
using k8s;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla cluster …</c>: the hub's registry of member clusters.</summary>
public static class ClusterCommands
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Register member clusters with the hub and edit their labels and taints");
        cluster.Add(Join());
        cluster.Add(List());
        cluster.Add(Label());
        cluster.Add(Taint());
        cluster.Add(ClusterRemoveCommand.Create());
        cluster.Add(ImportCapi());
        return cluster;
    }

    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Cluster name (DNS label: lowercase, digits, '-')" };

    private static Command Join()
    {
        var context = new Option<string?>("--context") { Description = "Context of the member in the kubeconfig (default: its current context)" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file holding the member's context (default: $KUBECONFIG or ~/.kube/config)" };
        var labels = new Option<string[]>("--label", "-l") { Description = "Label key=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var taints = new Option<string[]>("--taint") { Description = "Taint key[=value]:NoSelect|PreferNoSelect|NoSelectIfNew (repeatable)" };
        var allowExec = new Option<bool>("--allow-exec") { Description = "Accept an exec credential plugin. It runs on the hub, which uses it only when started with --allow-exec too" };
        var allowAuthProvider = new Option<bool>("--allow-auth-provider") { Description = "Accept an auth-provider plugin (the hub needs --allow-auth-provider too)" };
        var allowLocalFiles = new Option<bool>("--allow-local-files") { Description = "Read referenced certificate/key/token files here and store them inline (the hub never reads files)" };
        var allowInsecure = new Option<bool>("--allow-insecure") { Description = "Accept insecure-skip-tls-verify (the hub needs --allow-insecure too)" };
        var allowProxy = new Option<bool>("--allow-proxy") { Description = "Accept a proxy-url (the hub needs --allow-proxy too)" };
        var join = new Command("join", """
            Validate a member's credentials, store them in Secret NAME-kubeconfig (key 'value') on the hub, and create the Cluster.
            Credentials are self-contained and plain by default. An exec plugin, auth-provider, insecure-skip-tls-verify or
            proxy-url is accepted only with its --allow-… flag; the Cluster then records it (spec.credentialAllowances), and the
            hub uses such credentials only when `flotilla hub run` has the same flag: both consents are needed. Otherwise the
            Cluster is Available=False, reason InvalidCredentials, naming the missing flag.
            """)
        {
            NameArgument, context, kubeconfig, labels, taints, allowExec, allowAuthProvider, allowLocalFiles, allowInsecure, allowProxy,
        };
        join.SetAction(async (r, ct) =>
        {
            var name = r.GetValue(NameArgument)!;
            var labelChanges = (r.GetValue(labels) ?? []).Select(LabelChange.Parse).ToList();
            var taintChanges = (r.GetValue(taints) ?? []).Select(TaintChange.Parse).ToList();
            if (!LabelValidation.IsDnsLabel(name)) return Fail($"invalid cluster name \"{name}\": lowercase letters, digits and '-', at most 63 characters");
            var file = KubeClientFactory.UserKubeconfigFiles(r.GetValue(kubeconfig)).FirstOrDefault(f => r.GetValue(context) is not { } c || KubeClientFactory.Defines(f, c));
            if (file is null) return Fail("no kubeconfig defines that context: pass --kubeconfig FILE --context CTX");
            var policy = new CredentialPolicy
            {
                AllowExecPlugin = r.GetValue(allowExec),
                AllowAuthProvider = r.GetValue(allowAuthProvider),
                AllowLocalFiles = r.GetValue(allowLocalFiles),
                AllowInsecureSkipTlsVerify = r.GetValue(allowInsecure),
                AllowProxyUrl = r.GetValue(allowProxy),
            };
            var validator = new KubeconfigCredentialValidator(CredentialFileReader.Create(Path.GetDirectoryName(Path.GetFullPath(file))!));
            var result = validator.Validate(await File.ReadAllTextAsync(file, ct), r.GetValue(context), policy);
            if (!result.IsValid)
            {
                Console.Error.WriteLine($"error: credentials for cluster \"{name}\" refused ({file}):");
                foreach (var problem in result.Problems) Console.Error.WriteLine($"  - {problem.Message}");
                return 1;
            }
            var probe = await ProbeAsync(result.Kubeconfig!, ct);
            if (probe.Outcome != ProbeOutcome.Ready)
                Console.Error.WriteLine($"warning: {name} is not ready now ({probe.Outcome}: {probe.Error}); registering it anyway");
            // Only what the credentials use is recorded: a flag passed without need grants nothing to a later Secret edit.
            var used = CredentialAllowances.UsedBy(result.Kubeconfig!);
            using var hub = HubConnection.Connect(r);
            await new ClusterRegistry(hub).JoinAsync(name, result.Kubeconfig!, result.ServerUrl!, labelChanges, taintChanges, used, ct);
            Console.WriteLine($"cluster.flotilla.io/{name} joined");
            if (!used.IsEmpty)
                Console.Error.WriteLine($"note: the hub uses these credentials only when it runs with {string.Join(" ", used.Select(CredentialAllowances.Flag))}");
            return 0;
        });
        return join;
    }

    // The join's own check runs an exec plugin here, bounded like the hub's, instead of the client library's unbounded run.
    private static async Task<ProbeResult> ProbeAsync(string kubeconfig, CancellationToken ct)
    {
        try
        {
            var (member, _) = await MemberClientFactory.CreateAsync(kubeconfig, KubeClientFactory.DefaultRequestTimeout,
                MemberClientFactory.DefaultExecTimeout, TimeProvider.System, ct);
            using (member) return await ClusterProber.ProbeAsync(member, TimeSpan.FromSeconds(5), ct);
        }
        catch (InvalidCredentialsException e)
        {
            return new ProbeResult(ProbeOutcome.InvalidCredentials, null, null, e.Message);
        }
    }

    private static Command List()
    {
        var output = OutputOption.Create();
        var selector = new Option<string?>("--selector", "-l") { Description = "Only clusters matching this label selector (e.g. env=prod,region in (eu-west))" };
        var list = new Command("list", "List registered clusters with their health") { output, selector };
        list.Aliases.Add("ls");
        list.SetAction(async (r, ct) =>
        {
            var match = LabelSelector.Parse(r.GetValue(selector));
            using var hub = HubConnection.Connect(r);
            var clusters = (await new ClusterRegistry(hub).ListAsync(ct))
                .Where(c => match.Matches(c.Metadata.LabelMap())).ToList();
            var format = r.GetValue(output);
            if (format is OutputFormat.Json or OutputFormat.Yaml)
            {
                Serialization.Write(Console.Out, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "List",
                    ["items"] = new JsonArray(clusters.Select(c => JsonNode.Parse(KubernetesJson.Serialize(c))).ToArray()),
                }, format);
                return 0;
            }
            if (clusters.Count == 0)
            {
                Console.Error.WriteLine("No clusters registered.");
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            TableWriter.Write(Console.Out, ["NAME", "LABELS", "STATUS", "VERSION", "NODES", "LAST SEEN"], clusters.Select(c => (IReadOnlyList<string>)
            [
                c.Metadata.Name,
                c.Metadata.Labels is { Count: > 0 } l ? string.Join(",", l.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>",
                StatusText(c),
                c.Status?.KubernetesVersion ?? "<unknown>",
                c.Status?.NodeCount?.ToString() ?? "<unknown>",
                c.Status?.LastHeartbeatTime is { } seen ? Age.Format(seen, now) + " ago" : "never",
            ]));
            return 0;
        });
        return list;
    }

    /// <summary>
    /// Available, or the reason it is not (Unreachable, AuthFailed…), or Unknown before the first probe; a cluster being
    /// removed shows Removing, with the reason when it is not Available either.
    /// </summary>
    public static string StatusText(ClusterResource cluster)
    {
        var available = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == ClusterHealthEvaluator.AvailableType);
        var health = available switch
        {
            null => "Unknown",
            { Status: "True" } => "Available",
            { Reason: { Length: > 0 } reason } => reason,
            _ => available.Status,
        };
        return cluster.Metadata.DeletionTimestamp is null ? health : health == "Available" ? "Removing" : $"Removing ({health})";
    }

    private static Command Label()
    {
        var changes = new Argument<string[]>("LABEL") { Description = "key=value to set, key- to remove", Arity = ArgumentArity.OneOrMore };
        var label = new Command("label", "Set or remove labels of a registered cluster") { NameArgument, changes };
        label.SetAction(async (r, ct) =>
        {
            var parsed = r.GetValue(changes)!.Select(LabelChange.Parse).ToList();
            using var hub = HubConnection.Connect(r);
            await new ClusterRegistry(hub).LabelAsync(r.GetValue(NameArgument)!, parsed, ct);
            Console.WriteLine($"cluster.flotilla.io/{r.GetValue(NameArgument)} labeled");
            return 0;
        });
        return label;
    }

    private static Command Taint()
    {
        var changes = new Argument<string[]>("TAINT") { Description = "key[=value]:Effect to add, key- or key:Effect- to remove", Arity = ArgumentArity.OneOrMore };
        var taint = new Command("taint", "Add or remove taints of a registered cluster (Effect: NoSelect, PreferNoSelect, NoSelectIfNew)") { NameArgument, changes };
        taint.SetAction(async (r, ct) =>
        {
            var parsed = r.GetValue(changes)!.Select(TaintChange.Parse).ToList();
            using var hub = HubConnection.Connect(r);
            await new ClusterRegistry(hub).TaintAsync(r.GetValue(NameArgument)!, parsed, ct);
            Console.WriteLine($"cluster.flotilla.io/{r.GetValue(NameArgument)} tainted");
            return 0;
        });
        return taint;
    }

    private static Command ImportCapi()
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Hub namespace holding Cluster API kubeconfig Secrets", Required = true };
        var import = new Command("import-capi", $"Register every Cluster API kubeconfig Secret (label {FlotillaApi.CapiClusterNameLabel}, key 'value') of a hub namespace") { ns };
        import.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var importer = new CapiImporter(hub, StoredCredentials.Validator);
            var results = await importer.ImportAsync(r.GetValue(ns)!, ct);
            foreach (var result in results)
            {
                if (result.Error is null) Console.WriteLine($"cluster.flotilla.io/{result.Cluster} imported from Secret/{result.Secret}");
                else Console.Error.WriteLine($"error: Secret/{result.Secret}: {result.Error}");
            }
            if (results.Count == 0) Console.Error.WriteLine($"no Secrets labelled {FlotillaApi.CapiClusterNameLabel} in namespace {r.GetValue(ns)}");
            return results.Any(x => x.Error is not null) ? 1 : 0;
        });
        return import;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
