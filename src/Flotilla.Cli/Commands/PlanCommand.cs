using System.CommandLine;
using Flotilla.Cli.Plan;
using Flotilla.Controllers;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla plan</c>: what the fleet would do with a branch, commit or local directory before it is merged — for
/// every bundle in scope, the placement delta, overrides, per-cluster dry-run diffs (grouped where identical), prunes
/// and rollout stages (see <see cref="BundlePlanner"/>). Writes nothing. Exit code 0 no change, 1 changes, 2 failures.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var revision = new Option<string?>("--revision", "-r")
        {
            HelpName = "REF",
            Description = "Branch, tag or full commit SHA to plan, fetched from each bundle's GitRepository (default: the ref the source follows, i.e. what the next sync would do)",
        };
        var dir = new Option<string?>("--dir")
        {
            HelpName = "PATH",
            Description = "Local directory to plan instead of the repository's tree (a checkout of the repository: each bundle's spec.path is rendered inside it)",
        };
        var bundles = new Option<string[]>("--bundle") { HelpName = "NAME", Description = "Only this bundle (repeatable; default: every bundle in scope)", AllowMultipleArgumentsPerToken = false };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the bundles on the hub", DefaultValueFactory = _ => "default" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Bundles of every namespace" };
        var output = new Option<PlanFormat?>("--output", "-o")
        {
            Description = "table (default), json, or markdown (for a pull-request comment)",
            HelpName = "table|json|markdown",
            CustomParser = r => r.Tokens.Single().Value switch
            {
                "table" => PlanFormat.Table,
                "json" => PlanFormat.Json,
                "markdown" or "md" => PlanFormat.Markdown,
                var other => Invalid(r, other),
            },
        };
        var timeout = new Option<int>("--cluster-timeout") { HelpName = "SECONDS", Description = "Seconds each cluster's dry-run may take before that cluster is reported failed", DefaultValueFactory = _ => 30 };
        var plan = new Command("plan", """
            Preview what a branch, commit or local directory would do to the fleet, before it is merged. For every bundle
            that would change: which clusters it joins or leaves and why (placement), the override rules per cluster, the
            server-side dry-run diff per cluster (the sync's own planner; clusters with identical diffs grouped), what would
            be pruned or removed, and the rollout stage each changed cluster is in. Secret values are never shown.
            Nothing is written on the hub or any member.
            Exit code: 0 nothing would change, 1 something would change, 2 something failed (a render, an override, an
            unreachable cluster, an object the server would refuse).
            Examples:
              flotilla plan --revision my-feature -n shop
              flotilla plan --dir . --bundle web -o markdown > plan.md
            """)
        {
            revision, dir, bundles, ns, all, output, timeout,
        };
        plan.SetAction(async (r, ct) =>
        {
            if (r.GetValue(revision) is not null && r.GetValue(dir) is not null) return Fail("--revision and --dir exclude each other");
            if (r.GetValue(timeout) <= 0) return Fail("--cluster-timeout must be positive");
            PlanSource source;
            try
            {
                source = r.GetValue(dir) is { } path ? PlanSource.Local(path) : r.GetValue(revision) is { } text ? PlanSource.At(text) : PlanSource.Current;
            }
            catch (ArgumentException e)
            {
                return Fail($"--revision: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
            }
            if (source.Directory is { } local && !Directory.Exists(local)) return Fail($"--dir: {local} is not a directory");

            using var hub = HubConnection.Connect(r);
            var everyBundle = await HubLists.BundlesAsync(hub, ct);
            var names = r.GetValue(bundles) ?? [];
            var namespaceName = r.GetValue(all) ? null : r.GetValue(ns)!;
            var scope = everyBundle.Where(b => namespaceName is null || b.Metadata.NamespaceProperty == namespaceName)
                .Where(b => names.Length == 0 || names.Contains(b.Metadata.Name))
                .OrderBy(b => b.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(b => b.Metadata.Name, StringComparer.Ordinal).ToList();
            if (names.FirstOrDefault(n => scope.All(b => b.Metadata.Name != n)) is { } missing)
                return Fail($"bundle \"{missing}\" not found in {(namespaceName is null ? "any namespace" : $"namespace {namespaceName}")}");

            var clusters = (await new ClusterRegistry(hub).ListAsync(ct)).Where(c => c.Metadata.DeletionTimestamp is null).ToList();
            using var clients = new MemberClients(hub, TimeSpan.FromSeconds(15));
            using var members = new MemberPreviews(clients);
            var planner = new BundlePlanner(hub, members, new ChartPreviews(clients), clusters, everyBundle, source, TimeSpan.FromSeconds(r.GetValue(timeout)));
            var planned = new List<BundlePlan>();
            // One bundle after another: bundles of one repository share its fetch cache, which takes one fetch at a time.
            foreach (var bundle in scope) planned.Add(await planner.PlanAsync(bundle, ct));
            var fleetPlan = new FleetPlan(source.ToString(), [.. planned]);
            switch (r.GetValue(output) ?? PlanFormat.Table)
            {
                case PlanFormat.Table: PlanTableRenderer.Write(Console.Out, fleetPlan); break;
                case PlanFormat.Json: PlanJsonRenderer.Write(Console.Out, fleetPlan); break;
                case PlanFormat.Markdown: PlanMarkdownRenderer.Write(Console.Out, fleetPlan); break;
            }
            return fleetPlan.ExitCode;
        });
        return plan;
    }

    // Bad input is a failure of the plan (2), never mistaken for "something would change" (1).
    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    private static PlanFormat? Invalid(System.CommandLine.Parsing.ArgumentResult r, string value)
    {
        r.AddError($"unknown output format \"{value}\": use one of table, json, markdown");
        return PlanFormat.Table;
    }
}
