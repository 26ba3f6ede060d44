using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Cli.Output;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Fleet;
using Flotilla.Kube.Registry;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla get KIND [NAME]</c>: one kubectl-style table across every matching registered cluster.</summary>
public static class GetCommand
{
    /// <summary>Annotation added to each item of <c>-o json|yaml</c> output naming the cluster it came from.</summary>
    public const string ClusterAnnotation = "flotilla.io/cluster";

    public static Command Create()
    {
        var kind = new Argument<string>("KIND") { Description = "Resource kind as kubectl takes it: pods, deploy, configmaps, deployments.apps …" };
        var name = new Argument<string?>("NAME") { Description = "One object's name", Arity = ArgumentArity.ZeroOrOne };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace (default: default)" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Every namespace" };
        var clusters = new Option<string?>("--clusters") { Description = "Only clusters whose labels match this selector (e.g. env=prod)" };
        var output = OutputOption.Create(wide: true);
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each cluster", DefaultValueFactory = _ => 10 };
        var get = new Command("get", "Get objects from every matching cluster in parallel, as one table with a CLUSTER column; failed clusters are listed after it")
        {
            kind, name, ns, all, clusters, output, timeout,
        };
        get.SetAction(async (r, ct) =>
        {
            var selector = LabelSelector.Parse(r.GetValue(clusters));
            var allNamespaces = r.GetValue(all);
            var namespaceName = allNamespaces ? null : r.GetValue(ns) ?? "default";
            var format = r.GetValue(output);
            using var hub = HubConnection.Connect(r);
            if (HubKinds.Contains(r.GetValue(kind)!.ToLowerInvariant()))
                return await GetFromHubAsync(hub, r.GetValue(kind)!, r.GetValue(name), namespaceName, format, allNamespaces, ct);
            var targets = (await new ClusterRegistry(hub).ListAsync(ct))
                .Where(c => selector.Matches(c.Metadata.LabelMap())).ToList();
            if (targets.Count == 0) return ClusterCommands.Fail($"no registered cluster matches \"{selector}\"");
            using var clients = new MemberClients(hub, TimeSpan.FromSeconds(r.GetValue(timeout)));
            var query = new FleetQuery(clients, parallelism: 16, TimeSpan.FromSeconds(r.GetValue(timeout)));
            var answers = await query.GetAsync(targets, r.GetValue(kind)!, r.GetValue(name), namespaceName,
                asTable: format is OutputFormat.Table or OutputFormat.Wide, ct);
            if (format is OutputFormat.Json or OutputFormat.Yaml) WriteList(answers, format);
            else WriteTable(answers, allNamespaces, format == OutputFormat.Wide, namespaceName);
            var failed = answers.Where(a => a.Error is not null).ToList();
            foreach (var failure in failed) Console.Error.WriteLine($"error: cluster {failure.Cluster}: {failure.Error}");
            return failed.Count == 0 ? 0 : 1;
        });
        return get;
    }

    /// <summary>Flotilla's own kinds live on the hub, not on members: <c>get bundles</c> reads them there.</summary>
    private static readonly HashSet<string> HubKinds = new(StringComparer.Ordinal)
    {
        "bundle", "bundles", "fb", "bundles.flotilla.io", "gitrepository", "gitrepositories", "fgr", "gitrepositories.flotilla.io",
        "cluster", "clusters", "fcl", "clusters.flotilla.io",
    };

    private static async Task<int> GetFromHubAsync(k8s.Kubernetes hub, string kind, string? name, string? ns, OutputFormat format, bool allNamespaces, CancellationToken ct)
    {
        var resource = await Flotilla.Kube.Discovery.ResourceResolver.ResolveAsync(hub, kind.Contains('.') ? kind : kind + ".flotilla.io", ct)
            ?? throw new InvalidOperationException("the hub has no Flotilla CRDs: run 'flotilla hub install'");
        var asTable = format is OutputFormat.Table or OutputFormat.Wide;
        var result = name is null
            ? await hub.GetAllAsync(resource.CollectionPath(ns), resource.Plural, asTable, ct)
            : await GetOneFromHubAsync(hub, resource.ObjectPath(ns, name), resource.Plural, asTable, ct);
        var answer = new[] { new ClusterAnswer("hub", result, null) };
        if (!asTable) Serialization.Write(Console.Out, answer[0].Result!, format);
        else WriteTable(answer, allNamespaces && resource.Namespaced, format == OutputFormat.Wide, ns, clusterColumn: false);
        return 0;
    }

    private static async Task<JsonObject> GetOneFromHubAsync(k8s.Kubernetes hub, string path, string subject, bool asTable, CancellationToken ct)
    {
        using var response = await hub.SendAsync(HttpMethod.Get, path, ct, asTable: asTable);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new KubeApiException(subject, response.StatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static void WriteTable(IReadOnlyList<ClusterAnswer> answers, bool allNamespaces, bool wide, string? ns, bool clusterColumn = true)
    {
        var tables = answers.Where(a => a.Result is not null).ToList();
        var first = tables.FirstOrDefault()?.Result;
        if (first is null) return;
        var columns = first["columnDefinitions"]!.AsArray()
            .Select(c => (Name: c!["name"]!.GetValue<string>(), Priority: c["priority"]?.GetValue<int>() ?? 0))
            .Where(c => wide || c.Priority == 0).Select(c => c.Name).ToList();
        var headers = clusterColumn ? new List<string> { "CLUSTER" } : [];
        if (allNamespaces) headers.Add("NAMESPACE");
        headers.AddRange(columns.Select(c => c.ToUpperInvariant()));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var answer in tables)
        {
            var definitions = answer.Result!["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
            foreach (var row in answer.Result["rows"]?.AsArray() ?? [])
            {
                var cells = row!["cells"]!.AsArray();
                var line = clusterColumn ? new List<string> { answer.Cluster } : [];
                if (allNamespaces) line.Add(row["object"]?["metadata"]?["namespace"]?.GetValue<string>() ?? "");
                line.AddRange(columns.Select(c => definitions.IndexOf(c) is var i and >= 0 && i < cells.Count ? Cell(cells[i]) : "<none>"));
                rows.Add(line);
            }
        }
        if (rows.Count == 0)
        {
            Console.Error.WriteLine(allNamespaces ? "No resources found." : $"No resources found in {ns} namespace.");
            return;
        }
        TableWriter.Write(Console.Out, headers, rows);
    }

    private static string Cell(JsonNode? cell) => cell switch
    {
        null => "<none>",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => cell.ToJsonString(),
    };

    private static void WriteList(IReadOnlyList<ClusterAnswer> answers, OutputFormat format)
    {
        var items = new JsonArray();
        foreach (var answer in answers.Where(a => a.Result is not null))
        {
            var objects = answer.Result!["items"] is JsonArray list ? list.Select(i => i!.DeepClone()) : [answer.Result.DeepClone()];
            foreach (var item in objects)
            {
                var metadata = item["metadata"]!.AsObject();
                if (metadata["annotations"] is not JsonObject annotations) metadata["annotations"] = annotations = new JsonObject();
                annotations[ClusterAnnotation] = answer.Cluster;
                items.Add(item);
            }
        }
        Serialization.Write(Console.Out, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }, format);
    }
}
