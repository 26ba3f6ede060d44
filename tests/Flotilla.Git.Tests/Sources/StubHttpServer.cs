using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// A minimal HTTP listener on 127.0.0.1 for failure cases: it either answers every request with 401
/// (asking for Basic credentials) or accepts and never answers. It records whether the first client closed
/// its connection, which shows that a killed git really went away with its children.
/// </summary>
internal sealed class StubHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly bool _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstClientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstClientConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    private StubHttpServer(bool answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fleet.git";

    public Task FirstClientClosed => _firstClientClosed.Task;

    public Task FirstClientConnected => _firstClientConnected.Task;

    public static StubHttpServer Unauthorized() => new(answer: true);

    public static StubHttpServer Silent() => new(answer: false);

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _firstClientConnected.TrySetResult();
                clients.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }

        await Task.WhenAll(clients);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            try
            {
                if (_answer)
                {
                    // Read the request head; git sends no body with the first GET.
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0) return;
                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    var response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"fleet\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                    return;
                }

                while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                {
                    // Read and never answer.
                }

                _firstClientClosed.TrySetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Server stopping, or the client reset the connection: either way this client is done.
                if (!_answer && !_stop.IsCancellationRequested) _firstClientClosed.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
