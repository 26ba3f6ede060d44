using System.Reflection;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Installs or upgrades Flotilla's CRDs on a hub with server-side apply and waits until they are Established.</summary>
public static class CrdInstaller
{
    /// <summary>The CRD manifests shipped in this assembly, ordered by name.</summary>
    public static IReadOnlyList<(string Name, string Yaml)> Manifests()
    {
        var assembly = typeof(CrdInstaller).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("crds/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n["crds/".Length..^".yaml".Length], Read(assembly, n)))
            .ToList();
    }

    /// <summary>Applies every CRD (field manager <c>flotilla</c>) and the system namespace; returns the CRD names.</summary>
    public static async Task<IReadOnlyList<string>> InstallAsync(IKubernetes hub, TimeSpan timeout, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var (name, yaml) in Manifests())
        {
            await hub.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml), V1Patch.PatchType.ApplyPatch), name,
                fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
            names.Add(name);
        }
        var ns = KubernetesJson.Serialize(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = FlotillaApi.SystemNamespace } });
        await hub.CoreV1.PatchNamespaceAsync(new V1Patch(ns, V1Patch.PatchType.ApplyPatch), FlotillaApi.SystemNamespace,
            fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
        foreach (var name in names) await WaitEstablishedAsync(hub, name, timeout, ct);
        return names;
    }

    private static async Task WaitEstablishedAsync(IKubernetes hub, string name, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var crd = await hub.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"CustomResourceDefinition/{name} not Established after {timeout.TotalSeconds:0} s");
            await Task.Delay(200, ct);
        }
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
