using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Runtime;

/// <summary>
/// An in-process stand-in for the coordination.k8s.io/v1 Lease endpoints of one namespace, plugged into the
/// client as its last HTTP handler, so no request leaves the process. Just enough for the client's LeaseLock:
/// GET (404 until created), POST and PUT; <see cref="FailWrites"/> makes writes return 500, and <see cref="Hang"/>
/// makes every request wait until it is cancelled (a hub API server that stopped answering).
/// </summary>
internal sealed class FakeLeaseApi : DelegatingHandler
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, V1Lease> leases = new(StringComparer.Ordinal);
    private int resourceVersion;
    private volatile bool failWrites;
    private volatile bool hang;

    private readonly TaskCompletionSource requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first request arrives.</summary>
    public Task WhenRequested => requested.Task;

    public bool Hang
    {
        get => hang;
        set => hang = value;
    }

    public bool FailWrites
    {
        get => failWrites;
        set => failWrites = value;
    }

    public string? Holder(string name)
    {
        lock (gate)
        {
            return leases.TryGetValue(name, out var lease) ? lease.Spec.HolderIdentity : null;
        }
    }

    public Kubernetes CreateClient() =>
        new(new KubernetesClientConfiguration { Host = "https://hub.flotilla-test.invalid" }, this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        requested.TrySetResult();
        if (hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        // The client reads the request back from the response, as a real handler sets it.
        var response = await RespondAsync(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["apis", "coordination.k8s.io", "v1", "namespaces", _, "leases", ..])
        {
            return Status(HttpStatusCode.NotFound);
        }

        var name = segments.Length > 6 ? segments[6] : null;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (gate)
        {
            if (request.Method == HttpMethod.Get && name is not null)
            {
                return leases.TryGetValue(name, out var found) ? Json(HttpStatusCode.OK, found) : Status(HttpStatusCode.NotFound);
            }

            if (failWrites)
            {
                return Status(HttpStatusCode.InternalServerError);
            }

            var lease = KubernetesJson.Deserialize<V1Lease>(body!);
            if (request.Method == HttpMethod.Post)
            {
                if (leases.ContainsKey(lease.Metadata.Name))
                {
                    return Status(HttpStatusCode.Conflict);
                }

                return Store(lease, HttpStatusCode.Created);
            }

            if (request.Method == HttpMethod.Put && name is not null)
            {
                if (!leases.TryGetValue(name, out var current) || current.Metadata.ResourceVersion != lease.Metadata.ResourceVersion)
                {
                    return Status(HttpStatusCode.Conflict);
                }

                return Store(lease, HttpStatusCode.OK);
            }

            return Status(HttpStatusCode.MethodNotAllowed);
        }
    }

    private HttpResponseMessage Store(V1Lease lease, HttpStatusCode status)
    {
        lease.Metadata.ResourceVersion = (++resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        leases[lease.Metadata.Name] = lease;
        return Json(status, lease);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object value) => new(status)
    {
        Content = new StringContent(KubernetesJson.Serialize(value), Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Status(HttpStatusCode status) => new(status)
    {
        Content = new StringContent($$"""{"kind":"Status","apiVersion":"v1","code":{{(int)status}}}""", Encoding.UTF8, "application/json"),
    };
}
