using System.Net;
using System.Net.Sockets;

namespace Flotilla.Git.Tests.Sources;

internal static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on right now (the OS picked it and it was released again).</summary>
    public static int Unused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
