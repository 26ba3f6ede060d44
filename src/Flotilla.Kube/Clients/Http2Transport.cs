using System.Net;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>
/// API clients speak HTTP/2 wherever the server offers it over TLS (ALPN), as client-go does. The client library
/// asks for it on its own typed calls, but not on the requests Flotilla builds itself (<see cref="DynamicClient"/>: the
/// sync engine's dry-runs and applies, the watch caches, discovery), which went as HTTP/1.1 and so held a TLS connection
/// per request in flight and per watch: some forty per member for the hub (32 requests at once, a watch per managed
/// kind), forty thousand at a thousand members. Here every request asks for HTTP/2, so a member's requests and watches
/// share one connection (the library opens another past the server's stream cap rather than queue behind watches);
/// without ALPN's h2, or over plain http, it stays HTTP/1.1; <see cref="KubernetesClientConfiguration.DisableHttp2"/>
/// still turns it off. Because a half-open connection would now stall everything to that server at once, a connection
/// silent for 30 s is pinged and dropped after 15 s without an answer (client-go's HTTP/2 health check; the library's
/// own is 3 minutes).
/// </summary>
public static class Http2Transport
{
    private static readonly TimeSpan PingAfterSilence = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A client from <paramref name="config"/> with <paramref name="handlers"/> in front. Sets the config's
    /// <see cref="KubernetesClientConfiguration.FirstMessageHandlerSetup"/>, keeping what it did before (a proxy).
    /// </summary>
    public static Kubernetes Client(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
    {
        var setup = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = handler =>
        {
            Configure(handler);
            setup?.Invoke(handler);
        };
        return new Kubernetes(config, config.DisableHttp2 ? handlers : [new PreferHttp2(), .. handlers]);
    }

    /// <summary>The health check above, on the client's own socket handler.</summary>
    private static void Configure(HttpMessageHandler handler)
    {
        if (handler is not SocketsHttpHandler sockets) return;
        sockets.KeepAlivePingDelay = PingAfterSilence;
        sockets.KeepAlivePingTimeout = PingTimeout;
    }

    /// <summary>Asks for HTTP/2 on every request, HTTP/1.1 when the connection cannot have it.</summary>
    private sealed class PreferHttp2 : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            return base.SendAsync(request, ct);
        }
    }
}
