using System.Collections.Concurrent;
using System.Net;

namespace Flotilla.Kube.Tests.Simulation;

/// <summary>
/// Sits in front of the real API server: answers chosen requests itself with an error status, or runs an action
/// just before forwarding one, and records the status of every answer by request path.
/// </summary>
public sealed class FaultInjectingHandler : DelegatingHandler
{
    private readonly List<(HttpMethod Method, string PathEnd, HttpStatusCode Status)> _faults = [];
    private readonly List<(HttpMethod Method, string PathEnd, Func<Task> Action)> _before = [];

    public ConcurrentQueue<(HttpMethod Method, string Path, HttpStatusCode Status)> Answers { get; } = new();

    /// <summary>Every <paramref name="method"/> request whose path ends with <paramref name="pathEnd"/> gets <paramref name="status"/>.</summary>
    public FaultInjectingHandler Fail(HttpMethod method, string pathEnd, HttpStatusCode status)
    {
        _faults.Add((method, pathEnd, status));
        return this;
    }

    /// <summary>The first matching request runs <paramref name="action"/> before it is forwarded.</summary>
    public FaultInjectingHandler Before(HttpMethod method, string pathEnd, Func<Task> action)
    {
        _before.Add((method, pathEnd, action));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        HttpResponseMessage response;
        if (_faults.FirstOrDefault(f => f.Method == request.Method && path.EndsWith(f.PathEnd, StringComparison.Ordinal)) is { PathEnd: not null } fault)
        {
            response = new HttpResponseMessage(fault.Status)
            {
                RequestMessage = request,
                Content = new StringContent(
                    $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected by the test","reason":"{{fault.Status}}","code":{{(int)fault.Status}}}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
        }
        else
        {
            Func<Task>? action = null;
            lock (_before)
            {
                var index = _before.FindIndex(b => b.Method == request.Method && path.EndsWith(b.PathEnd, StringComparison.Ordinal));
                if (index >= 0)
                {
                    action = _before[index].Action;
                    _before.RemoveAt(index);
                }
            }
            if (action is not null) await action();
            response = await base.SendAsync(request, cancellationToken);
        }
        Answers.Enqueue((request.Method, path, response.StatusCode));
        return response;
    }
}
