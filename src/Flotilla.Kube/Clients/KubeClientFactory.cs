using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>Creates API clients from kubeconfigs. One client per cluster, kept for the process's life by the caller.</summary>
public static class KubeClientFactory
{
    /// <summary>Default per-request timeout.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A client for <paramref name="context"/> (or the current context) of the user's own kubeconfig:
    /// <paramref name="kubeconfig"/> if given, else every file in <c>KUBECONFIG</c>, else <c>~/.kube/config</c>.
    /// </summary>
    public static Kubernetes FromUserKubeconfig(string? kubeconfig, string? context, TimeSpan? requestTimeout = null)
    {
        var files = UserKubeconfigFiles(kubeconfig);
        if (files.Length == 0)
            throw new FileNotFoundException("no kubeconfig found: pass --kubeconfig or set KUBECONFIG");
        // The package merges no file lists publicly: use the first file that defines the context (kubectl's rule
        // for a name defined twice); its cluster and user must live in that same file.
        context ??= files.Select(CurrentContextOf).FirstOrDefault(c => c is not null);
        var file = context is null ? files[0] : files.FirstOrDefault(f => Defines(f, context)) ?? files[0];
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context, useRelativePaths: true);
        config.HttpClientTimeout = requestTimeout ?? DefaultRequestTimeout;
        return Http2Transport.Client(config);
    }

    /// <summary>A client from a self-contained kubeconfig (already validated: inline data only, no plugins).</summary>
    public static Kubernetes FromKubeconfigText(string kubeconfig, string? context = null, TimeSpan? requestTimeout = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(stream, context);
        config.HttpClientTimeout = requestTimeout ?? DefaultRequestTimeout;
        return Http2Transport.Client(config);
    }

    /// <summary>
    /// A client of the pod's own API server (<see cref="ServiceAccountMount"/>): its service account token, read from
    /// its file for every request, and its CA.
    /// </summary>
    public static Kubernetes InCluster(TimeSpan? requestTimeout = null)
    {
        var server = ServiceAccountMount.Server
            ?? throw new InvalidOperationException("not in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
        var tokens = new ServiceAccountTokenFile(ServiceAccountMount.TokenPath);
        tokens.Token(); // a missing or empty token fails here, at start-up, not on the first request
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(ServiceAccountMount.CaPath);
        var config = new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            TokenProvider = tokens,
            SslCaCerts = authorities,
            HttpClientTimeout = requestTimeout ?? DefaultRequestTimeout,
        };
        return Http2Transport.Client(config);
    }

    private static string? CurrentContextOf(string file) =>
        KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: true).CurrentContext is { Length: > 0 } c ? c : null;

    /// <summary>True when the kubeconfig <paramref name="file"/> defines a context named <paramref name="context"/>.</summary>
    public static bool Defines(string file, string context) =>
        KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: true).Contexts?.Any(c => c.Name == context) == true;

    /// <summary>The kubeconfig files in effect, in precedence order.</summary>
    public static string[] UserKubeconfigFiles(string? kubeconfig)
    {
        if (!string.IsNullOrEmpty(kubeconfig)) return [kubeconfig];
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(env))
            return env.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToArray();
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }
}
