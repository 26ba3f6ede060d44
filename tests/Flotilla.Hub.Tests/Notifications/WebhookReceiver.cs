using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Flotilla.Hub.Tests.Notifications;

/// <summary>A real HTTP receiver on loopback that records what it gets and answers <see cref="FailFirst"/> requests with 503.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _seen;

    public WebhookReceiver(int failFirst = 0)
    {
        FailFirst = failFirst;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public int FailFirst { get; }
    public string Url => $"http://127.0.0.1:{Port}/hook";
    public ConcurrentQueue<(string Body, string? Signature)> Received { get; } = new();
    public int Requests => Volatile.Read(ref _seen);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref _seen) <= FailFirst) context.Response.StatusCode = 503;
            else Received.Enqueue((body, context.Request.Headers["X-Flotilla-Signature"]));
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
