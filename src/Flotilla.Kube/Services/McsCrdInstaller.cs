using System.Reflection;
using Flotilla.Kube.Api;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Services;

/// <summary>
/// Installs the Multi-Cluster Services API's CRDs (ServiceExport, ServiceImport, <c>multicluster.x-k8s.io/v1alpha1</c>)
/// on a member with server-side apply and waits until they are Established.
/// </summary>
public static class McsCrdInstaller
{
    private const string Prefix = "member-crds/";

    /// <summary>The CRD manifests shipped in this assembly, ordered by name.</summary>
    public static IReadOnlyList<(string Name, string Yaml)> Manifests()
    {
        var assembly = typeof(McsCrdInstaller).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[Prefix.Length..^".yaml".Length], Read(assembly, n)))
            .ToList();
    }

    public static async Task InstallAsync(IKubernetes member, TimeSpan timeout, CancellationToken ct)
    {
        foreach (var (name, yaml) in Manifests())
            await member.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml), V1Patch.PatchType.ApplyPatch), name,
                fieldManager: FlotillaApi.FieldManager, force: true, cancellationToken: ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        foreach (var (name, _) in Manifests())
        {
            try
            {
                while (true)
                {
                    var crd = await member.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: deadline.Token);
                    if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true) break;
                    await Task.Delay(100, deadline.Token);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"CustomResourceDefinition/{name} not Established after {timeout.TotalSeconds:0} s");
            }
        }
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
