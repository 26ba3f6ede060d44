using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Kube.LocalFleet;

/// <summary>
/// The local fleet's read-only role on the hub: the viewer token's group (<see cref="Group"/>) may get, list and watch
/// Flotilla's objects and Events, and nothing else, so the dashboard shows it everything and refuses it every action.
/// </summary>
public static class LocalViewerRole
{
    public const string Group = "flotilla:viewers";
    public const string Name = "flotilla-viewer";

    public static async Task ApplyAsync(IKubernetes hub, CancellationToken ct)
    {
        var role = new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = Name },
            Rules =
            [
                new V1PolicyRule { ApiGroups = ["flotilla.io"], Resources = ["*"], Verbs = ["get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["events"], Verbs = ["get", "list", "watch"] },
            ],
        };
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = Name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = Group }],
        };
        try { await hub.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            await hub.RbacAuthorizationV1.ReplaceClusterRoleAsync(role, Name, cancellationToken: ct);
        }
        try { await hub.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
    }
}
