using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

public sealed class Http2TransportTests
{
    [Fact]
    public void A_silent_connection_is_pinged_after_30_s_and_dropped_15_s_later_and_the_callers_setup_still_runs()
    {
        HttpMessageHandler? seen = null;
        var config = new KubernetesClientConfiguration { Host = "https://127.0.0.1:1", FirstMessageHandlerSetup = h => seen = h };

        using var client = Http2Transport.Client(config);

        var sockets = Assert.IsType<SocketsHttpHandler>(seen);
        Assert.Equal(TimeSpan.FromSeconds(30), sockets.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(15), sockets.KeepAlivePingTimeout);
    }
}
