using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

public sealed class Http2TransportTests
{
    [Fact]
    public void The_socket_handler_opens_another_connection_rather_than_queue_pings_a_silent_one_and_keeps_the_callers_setup()
    {
        HttpMessageHandler? seen = null;
        var config = new KubernetesClientConfiguration { Host = "https://127.0.0.1:1", FirstMessageHandlerSetup = h => seen = h };

        using var client = Http2Transport.Client(config);

        var sockets = Assert.IsType<SocketsHttpHandler>(seen);
        Assert.True(sockets.EnableMultipleHttp2Connections);
        Assert.Equal(Http2Transport.PingAfterSilence, sockets.KeepAlivePingDelay);
        Assert.Equal(Http2Transport.PingTimeout, sockets.KeepAlivePingTimeout);
    }
}
