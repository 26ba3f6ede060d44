using Flotilla.Core.Sync;

namespace Flotilla.Integration.Tests;

/// <summary>Reads what a bundle left on a member of the fleet: its objects and its inventory ConfigMap.</summary>
public sealed class MemberObjects(FleetFixture fleet)
{
    public async Task<bool> ConfigMapExistsAsync(string cluster, string ns, string name)
    {
        using var member = fleet.Member(cluster);
        try { await member.CoreV1.ReadNamespacedConfigMapAsync(name, ns); return true; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return false; }
    }

    /// <summary>The entries of the bundle's inventory on <paramref name="cluster"/>, or null when there is none.</summary>
    public async Task<string?> InventoryAsync(string cluster, string bundleNamespace, string bundle)
    {
        using var member = fleet.Member(cluster);
        try
        {
            var map = await member.CoreV1.ReadNamespacedConfigMapAsync($"inv-{OwnershipLabels.ValueFor(bundleNamespace, bundle)}", "flotilla-system");
            return map.Data?["entries"] ?? "";
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }
}
