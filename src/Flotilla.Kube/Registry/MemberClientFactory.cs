using System.Net;
using System.Text;
using Flotilla.Kube.Clients;
using Flotilla.Kube.KubeConfig;
using k8s;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Builds a member's API client from a validated, self-contained kubeconfig, honouring what the validation
/// allowed: an exec plugin runs through <see cref="ExecCredentialPlugin"/> (bounded, secrets kept out of errors;
/// tokens renewed by <see cref="ExecTokenSource"/>), and a <c>proxy-url</c> is really used (the client
/// library would ignore it and connect directly). TLS settings and auth-providers are the library's.
/// </summary>
public static class MemberClientFactory
{
    /// <summary>How long an exec plugin may run by default.</summary>
    public static readonly TimeSpan DefaultExecTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The client, and when it must be rebuilt (an exec plugin's client certificate expires then; null: never).
    /// Throws <see cref="InvalidCredentialsException"/> when the plugin fails or the kubeconfig is unusable.
    /// </summary>
    public static async Task<(Kubernetes Client, DateTimeOffset? RebuildAfter)> CreateAsync(
        string kubeconfig, TimeSpan requestTimeout, TimeSpan execTimeout, TimeProvider clock, CancellationToken ct, DelegatingHandler? counter = null)
    {
        k8s.KubeConfigModels.K8SConfiguration model;
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig)))
            model = await KubernetesClientConfiguration.LoadKubeConfigAsync(stream);
        var user = model.Users?.SingleOrDefault()?.UserCredentials
            ?? throw new InvalidCredentialsException("the kubeconfig has no single user");
        ExecTokenSource? tokens = null;
        DateTimeOffset? rebuildAfter = null;
        if (user.ExternalExecution is { } exec)
        {
            var plugin = new ExecCredentialPlugin(exec, execTimeout);
            var first = await plugin.RunAsync(ct);
            // The library would run the plugin again itself, unbounded: hand it the result instead.
            user.ExternalExecution = null;
            if (first.Token is { } token)
            {
                user.Token = token;
                tokens = new ExecTokenSource(plugin, first, clock);
            }
            if (first.ClientCertificatePem is { } certificate && first.ClientKeyPem is { } key)
            {
                user.ClientCertificateData = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate));
                user.ClientKeyData = Convert.ToBase64String(Encoding.ASCII.GetBytes(key));
                rebuildAfter = first.Expires;
            }
        }

        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigObject(model);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            // The library's messages name fields and users, not their values.
            throw new InvalidCredentialsException($"the kubeconfig is not usable: {e.Message}");
        }
        config.HttpClientTimeout = requestTimeout;
        if (tokens is not null) config.TokenProvider = tokens;
        if (ProxyUrl(kubeconfig) is { } proxy) config.FirstMessageHandlerSetup = handler => UseProxy(handler, proxy);
        return (Http2Transport.Client(config, counter is null ? [] : [counter]), rebuildAfter);
    }

    private static void UseProxy(HttpMessageHandler handler, Uri proxy)
    {
        if (handler is not SocketsHttpHandler sockets) throw new InvalidOperationException($"cannot set a proxy on {handler.GetType().Name}");
        var webProxy = new WebProxy(new UriBuilder(proxy) { UserName = "", Password = "" }.Uri);
        if (proxy.UserInfo.Split(':', 2) is [{ Length: > 0 } name, var password])
            webProxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(name), Uri.UnescapeDataString(password));
        sockets.Proxy = webProxy;
        sockets.UseProxy = true;
    }

    private static Uri? ProxyUrl(string kubeconfig)
    {
        var cluster = KubeconfigDocument.Parse(kubeconfig, allowAliases: false).Clusters.SingleOrDefault()?.Body;
        var text = cluster is null ? null : KubeconfigYaml.GetString(cluster, "proxy-url");
        if (string.IsNullOrEmpty(text)) return null;
        // Not quoted: a proxy URL may carry a password.
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "socks5"
            ? uri
            : throw new InvalidCredentialsException("proxy-url is not an absolute http, https or socks5 URL");
    }
}
