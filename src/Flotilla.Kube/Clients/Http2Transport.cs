using System.Net;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>
/// Every API client of Flotilla speaks HTTP/2 where the server offers it over TLS (ALPN), as client-go does: one
/// connection to an API server carries all the requests and watches to it, instead of a TLS connection per request in
/// flight and per watch (up to 32 requests at once and a watch per managed kind: some forty connections per member for
/// the hub, forty thousand at a thousand members). Over plain http, or with a server that does not offer it, requests
/// go as HTTP/1.1. Should a server cap its streams per connection below what is open at once, another connection is
/// opened rather than queueing behind long watches; and a connection is pinged when it has been silent for 30 s and
/// dropped when no answer comes within 15 s (client-go's HTTP/2 health check), since a half-open connection would now
/// stall every watch and request to that server at once.
/// </summary>
public static class Http2Transport
{
    public static readonly TimeSpan PingAfterSilence = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A client from <paramref name="config"/> (its first-handler setup kept) with <paramref name="handlers"/> in front.</summary>
    public static Kubernetes Client(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
    {
        var setup = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = handler =>
        {
            Configure(handler);
            setup?.Invoke(handler);
        };
        return new Kubernetes(config, [new PreferHttp2(), .. handlers]);
    }

    /// <summary>The connection settings above, on the client's own socket handler.</summary>
    public static void Configure(HttpMessageHandler handler)
    {
        if (handler is not SocketsHttpHandler sockets) return;
        sockets.EnableMultipleHttp2Connections = true;
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
