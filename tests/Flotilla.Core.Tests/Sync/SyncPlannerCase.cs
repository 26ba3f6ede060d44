using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Sync;

/// <summary>
/// One directory under <c>testdata/sync-planner/</c>, loaded into a <see cref="SyncPlanInput"/> and run the way
/// the executor runs the planner: plan, then the server's answers to the writes (a 409 conflict, a dry-run result)
/// folded back in through <see cref="SyncPlanner.Conflicted"/> and <see cref="SyncPlanner.AfterDryRun"/>.
/// The file formats are described in <c>testdata/sync-planner/README.md</c>.
/// </summary>
internal sealed class SyncPlannerCase
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "sync-planner");

    // Stands in for the member's discovery: these kinds are cluster-scoped, every other kind is namespaced.
    private static readonly HashSet<(string Group, string Kind)> ClusterScoped =
    [
        ("", "Namespace"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiregistration.k8s.io", "APIService"),
    ];

    private readonly string _directory;
    private readonly SyncPolicy _policy;
    private readonly string _owner;
    private readonly string _bundleName;
    private readonly HashSet<string> _held;

    private SyncPlannerCase(string name)
    {
        _directory = Path.Combine(Root, name);
        Assert.True(Directory.Exists(_directory), $"no fixture directory {_directory}");
        var policy = ReadObjects("policy.yaml").SingleOrDefault() ?? [];
        var bundle = (policy["bundle"]?.GetValue<string>() ?? "shop/web").Split('/');
        _bundleName = $"{bundle[0]}/{bundle[1]}";
        _owner = OwnershipLabels.ValueFor(bundle[0], bundle[1]);
        _policy = new SyncPolicy(
            Prune: policy["prune"]?.GetValue<bool>() ?? true,
            Drift: Enum.Parse<DriftMode>(policy["drift"]?.GetValue<string>() ?? nameof(DriftMode.Correct)),
            Force: policy["force"]?.GetValue<bool>() ?? false,
            AllowEmpty: policy["allowEmpty"]?.GetValue<bool>() ?? false,
            TargetNamespace: policy["targetNamespace"]?.GetValue<string>(),
            CreateNamespace: policy["createNamespace"]?.GetValue<bool>() ?? false);
        _held = (policy["held"] as JsonArray ?? []).Select(h => h!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }

    public static string[] Names() =>
        Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static SyncPlannerCase Load(string name) => new(name);

    /// <summary>The expected lines (<c>expect.txt</c> without comments and blank lines).</summary>
    public IReadOnlyList<string> Expected =>
        File.ReadAllLines(Path.Combine(_directory, "expect.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

    /// <summary>Plans the case and applies the simulated server answers, as the executor would.</summary>
    public ChangeSet Run()
    {
        var plan = SyncPlanner.Plan(Input());
        var conflicts = ReadObjects("server.yaml").SingleOrDefault()?["conflicts"] as JsonArray ?? [];
        var dryRuns = Patches("dryrun-patches.yaml");
        var stages = plan.Stages.Select(stage => stage with
        {
            Changes = stage.Changes.Select(change =>
            {
                if (!change.Writes) return change;
                // A forced server-side apply takes the fields: the server answers 409 only to an unforced one.
                var conflict = conflicts.OfType<JsonObject>().FirstOrDefault(c => c["ref"]!.GetValue<string>() == change.Ref.ToString());
                if (conflict is not null && !change.Force)
                    return SyncPlanner.Conflicted(change, conflict["message"]!.GetValue<string>(), conflict["manager"]?.GetValue<string>());
                // The server's dry-run answer: what was sent, changed the way the server changes it.
                return dryRuns.TryGetValue(change.Ref, out var patch)
                    ? SyncPlanner.AfterDryRun(change, MergePatch(change.Desired!, patch))
                    : change;
            }).ToList(),
        }).ToList();
        return plan with { Stages = stages };
    }

    private SyncPlanInput Input()
    {
        var desired = ReadObjects("desired.yaml").Select((body, i) => Prepare(body, "desired.yaml", i)).ToList();
        // As the executor does: spec.sync.createNamespace adds the target namespace as one of the bundle's objects.
        if (_policy is { CreateNamespace: true, TargetNamespace: { } target })
            desired.Insert(0, DesiredObjectFactory.TargetNamespace(target, _owner, _bundleName));

        var live = new Dictionary<ObjectRef, JsonObject>();
        var patches = Patches("live-patches.yaml");
        foreach (var applied in ReadObjects("applied.yaml").Select((body, i) => Prepare(body, "applied.yaml", i)))
            live[applied.Ref] = patches.Remove(applied.Ref, out var patch) ? MergePatch(applied.Body, patch) : applied.Body;
        Assert.True(patches.Count == 0, $"live-patches.yaml patches objects that applied.yaml does not hold: {string.Join(", ", patches.Keys)}");
        foreach (var other in ReadObjects("live.yaml"))
            Assert.True(live.TryAdd(RefOf(other), other), $"live.yaml repeats {RefOf(other)}, already in applied.yaml");

        var inventoryFile = Path.Combine(_directory, "inventory.txt");
        var inventory = File.Exists(inventoryFile) ? Inventory.Parse(File.ReadAllText(inventoryFile)) : Inventory.Empty;
        return new SyncPlanInput(desired, live, inventory, _owner, _policy) { Held = r => _held.Contains(r.ToString()) };
    }

    private DesiredObject Prepare(JsonObject body, string file, int document)
    {
        Assert.True(ManifestValidator.TryCreate(body, new SourceLocation(file, document), out var manifest, out var errors),
            $"{_directory}/{file}: {string.Join("; ", errors)}");
        var namespaced = !ClusterScoped.Contains((manifest!.Ref.Group, manifest.Ref.Kind));
        return DesiredObjectFactory.Create(manifest, namespaced, _policy, _owner, _bundleName);
    }

    private Dictionary<ObjectRef, JsonObject> Patches(string file) => ReadObjects(file).ToDictionary(RefOf);

    private List<JsonObject> ReadObjects(string file)
    {
        var path = Path.Combine(_directory, file);
        return File.Exists(path) ? YamlFixture.LoadObjects(File.ReadAllText(path)) : [];
    }

    private static ObjectRef RefOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var slash = apiVersion.IndexOf('/');
        return new ObjectRef(slash < 0 ? "" : apiVersion[..slash], apiVersion[(slash + 1)..], obj["kind"]!.GetValue<string>(),
            obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]!["name"]!.GetValue<string>());
    }

    /// <summary>RFC 7386 JSON merge patch: objects merge, null deletes, anything else (arrays too) replaces.</summary>
    private static JsonObject MergePatch(JsonObject target, JsonObject patch)
    {
        var result = target.DeepClone().AsObject();
        foreach (var (key, value) in patch)
        {
            if (value is null) result.Remove(key);
            else if (value is JsonObject inner && result[key] is JsonObject existing) result[key] = MergePatch(existing, inner);
            else result[key] = value.DeepClone();
        }
        return result;
    }
}
