using System.Text;

namespace Flotilla.Kube.LocalFleet;

/// <summary>Writes kubeconfigs for the local fleet: CA embedded, TLS verification on, bearer tokens.</summary>
public static class LocalKubeconfig
{
    /// <summary>Writes the fleet kubeconfig (one context per cluster, current context the hub), mode 0600.</summary>
    public static void Write(LocalFleetState state)
    {
        var ca = Convert.ToBase64String(File.ReadAllBytes(state.CaPath));
        var text = new StringBuilder("apiVersion: v1\nkind: Config\npreferences: {}\n");
        text.Append($"current-context: {state.Hub.Name}\nclusters:\n");
        foreach (var c in state.Clusters)
            text.Append($"- name: {c.Name}\n  cluster:\n    server: {c.Server}\n    certificate-authority-data: {ca}\n");
        text.Append("contexts:\n");
        foreach (var c in state.Clusters)
            text.Append($"- name: {c.Name}\n  context:\n    cluster: {c.Name}\n    user: {c.Name}-admin\n");
        text.Append("users:\n");
        foreach (var c in state.Clusters)
            text.Append($"- name: {c.Name}-admin\n  user:\n    token: {c.AdminToken}\n");
        var temp = state.KubeconfigPath + ".tmp";
        LocalCertificateAuthority.WritePrivate(temp, text.ToString());
        File.Move(temp, state.KubeconfigPath, overwrite: true);
    }

    /// <summary>A kubeconfig with one context named <paramref name="name"/>.</summary>
    public static string Single(string name, string server, string caPem, string token) =>
        $"""
        apiVersion: v1
        kind: Config
        current-context: {name}
        clusters:
        - name: {name}
          cluster:
            server: {server}
            certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}
        contexts:
        - name: {name}
          context:
            cluster: {name}
            user: {name}
        users:
        - name: {name}
          user:
            token: {token}

        """;
}
