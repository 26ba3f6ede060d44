namespace Flotilla.Kube.Clients;

/// <summary>
/// Where a pod finds its service account (<c>token</c>, <c>ca.crt</c>, <c>namespace</c>) and its API server
/// (<c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>). The directory is <c>$FLOTILLA_SERVICEACCOUNT_DIR</c> when set
/// (tests lay out a temporary one), else <see cref="StandardDirectory"/>.
/// </summary>
public static class ServiceAccountMount
{
    public const string StandardDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string DirectoryVariable = "FLOTILLA_SERVICEACCOUNT_DIR";

    public static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir : StandardDirectory;

    public static string TokenPath => Path.Combine(Directory, "token");

    public static string CaPath => Path.Combine(Directory, "ca.crt");

    /// <summary>The API server's URL from the service environment Kubernetes gives every pod, or null outside a pod.</summary>
    public static Uri? Server
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
            var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
            if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port)) return null;
            // An IPv6 service address needs brackets in a URL.
            return new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        }
    }

    /// <summary>True inside a pod: the service environment is set and the token file is there.</summary>
    public static bool IsPresent => Server is not null && File.Exists(TokenPath);
}
