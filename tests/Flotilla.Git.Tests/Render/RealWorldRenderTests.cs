using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync.Normalization;
using Flotilla.Git.Render;

namespace Flotilla.Git.Tests.Render;

/// <summary>
/// Every entry point of the real public manifest sets in <c>../shared/realworld/manifests</c> (plain YAML files and
/// directories, kustomize trees) renders with the default limits and the real <c>kubectl kustomize</c>. The expected
/// counts are the corpus README's; the only errors expected are the ones the corpus documents as upstream defects.
/// </summary>
public sealed class RealWorldRenderTests
{
    /// <summary>(entry point, objects, namespaces dropped from cluster-scoped objects, expected error codes).</summary>
    public static TheoryData<string, int, int, string> EntryPoints() => new()
    {
        { "kubernetes-dashboard", 14, 0, "" },
        { "flux2", 27, 0, "" },
        { "metallb", 17, 2, "" }, // kustomize; both PodSecurityPolicies carry namespace metallb-system
        { "metallb/metallb.yaml", 16, 2, "" },
        { "knative-serving/1-serving-crds.yaml", 12, 0, "" },
        { "knative-serving/2-serving-core.yaml", 58, 0, "" },
        { "knative-serving/3-serving-hpa.yaml", 2, 0, "" },
        // The Job has only generateName, which cannot be applied declaratively.
        { "knative-serving/4-serving-post-install-jobs.yaml", 0, 0, "InvalidObject" },
        // The whole directory repeats the 12 CRDs of file 1 in file 2 (as upstream ships it), plus the Job above.
        { "knative-serving", 0, 0, "DuplicateObject*12,InvalidObject" },
        { "keda/config/default", 16, 0, "" }, // includes the 472,237-byte ScaledJob CRD
        { "keda/config/samples", 3, 0, "" },
        { "descheduler/kubernetes/cronjob", 5, 1, "" }, // the ClusterRoleBinding carries namespace kube-system
        { "descheduler/kubernetes/job", 5, 1, "" },
        { "node-problem-detector/deployment/node-problem-detector.yaml", 1, 0, "" },
        // Both DaemonSet files define kube-system/node-problem-detector.
        { "node-problem-detector/deployment", 0, 0, "DuplicateObject" },
        { "external-dns/kustomize", 4, 0, "" },
        { "kustomize-examples/examples/helloWorld", 3, 0, "" },
        { "kustomize-examples/examples/multibases", 3, 0, "" },
        { "kustomize-examples/examples/ldap/base", 3, 0, "" },
        { "kustomize-examples/examples/ldap/overlays/staging", 4, 0, "" },
        { "kustomize-examples/examples/ldap/overlays/production", 3, 0, "" },
        { "flagger/kustomize/kubernetes", 14, 0, "" },
        { "flagger/kustomize/contour", 14, 0, "" },
        { "flagger/kustomize/istio", 7, 0, "" },
        { "flagger/kustomize/linkerd", 7, 0, "" },
        { "flagger/kustomize/appmesh", 7, 0, "" },
        { "flagger/kustomize/tester", 2, 0, "" },
    };

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public async Task Entry_point_renders_with_the_default_limits(string path, int objects, int namespaceWarnings, string errors)
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default));

        var result = await renderer.RenderAsync(RealWorldCorpus.Manifests, path, CancellationToken.None);

        Assert.Equal(errors, Summarise(result.Errors));
        if (errors.Length > 0)
        {
            return;
        }

        Assert.Equal(objects, result.Manifests!.Count);
        var warnings = result.Manifests.Warnings;
        Assert.Equal(namespaceWarnings, warnings.Count);
        Assert.All(warnings, w => Assert.Matches("^namespace [a-z-]+ ignored: [^ ]+ is cluster-scoped$", w.Message));
        Assert.All(warnings, w => Assert.Equal("", w.Object.Namespace));
    }

    /// <summary>(entry point, ports without protocol: Service ports + container ports, counted in the files).</summary>
    public static TheoryData<string, int> PortsWithoutProtocol() => new()
    {
        { "kubernetes-dashboard", 2 },
        { "flux2", 8 },
        { "metallb", 3 },
        { "knative-serving/2-serving-core.yaml", 15 + 17 }, // the corpus README says 17 + 19; the file has 15 + 17
        { "kustomize-examples/examples/helloWorld", 1 },
        { "kustomize-examples/examples/ldap/base", 1 + 1 },
    };

    [Theory]
    [MemberData(nameof(PortsWithoutProtocol))]
    public async Task Normalising_the_rendered_set_leaves_no_port_without_protocol_and_no_status(string path, int defaulted)
    {
        var renderer = new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default));
        var result = await renderer.RenderAsync(RealWorldCorpus.Manifests, path, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));

        var before = result.Manifests.Sum(m => PortsMissingProtocol(m.Object));
        var normalized = result.Manifests.Select(m => ManifestNormalizer.Normalize(m.Object, clusterScoped: m.Ref.Namespace.Length == 0).Object).ToList();

        Assert.Equal(defaulted, before);
        Assert.All(normalized, o => Assert.Equal(0, PortsMissingProtocol(o)));
        Assert.All(normalized, o => Assert.False(o.ContainsKey("status")));
        Assert.All(normalized, o => Assert.False(o["metadata"]!.AsObject().ContainsKey("creationTimestamp")));
    }

    /// <summary>Port mappings without <c>protocol</c> anywhere in the object: any <c>ports</c> list of mappings with a port number.</summary>
    private static int PortsMissingProtocol(JsonNode? node) => node switch
    {
        JsonObject o => o.Sum(p => p.Key == "ports" && p.Value is JsonArray ports
            ? ports.OfType<JsonObject>().Count(port => (port.ContainsKey("port") || port.ContainsKey("containerPort")) && port["protocol"] is null)
            : PortsMissingProtocol(p.Value)),
        JsonArray a => a.Sum(PortsMissingProtocol),
        _ => 0,
    };

    private static string Summarise(IReadOnlyList<ManifestError> errors) =>
        string.Join(",", errors.GroupBy(e => e.Code).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Key.ToString() : $"{g.Key}*{g.Count()}"));
}
