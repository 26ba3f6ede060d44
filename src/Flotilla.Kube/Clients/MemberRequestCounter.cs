using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Flotilla.Kube.Clients;

/// <summary>
/// Counts the hub's requests to members as <c>flotilla_member_requests_total{cluster,verb,code}</c>: verb is the
/// HTTP method in lower case, or <c>watch</c> for a watch; code the HTTP status, or <c>error</c> when no answer came.
/// Cardinality: members × about 6 verbs × the codes seen (a handful).
/// </summary>
public sealed class MemberRequestCounter
{
    private readonly ConcurrentDictionary<(string Cluster, string Verb, string Code), long> _counts = new();

    /// <summary>A handler to put in front of one member's client.</summary>
    public DelegatingHandler Handler(string cluster) => new Counting(this, cluster);

    public long Count(string cluster, string verb, string code) => _counts.GetValueOrDefault((cluster, verb, code));

    public void Render(StringBuilder text)
    {
        text.Append("# HELP flotilla_member_requests_total Requests the hub sent to member API servers.\n# TYPE flotilla_member_requests_total counter\n");
        foreach (var ((cluster, verb, code), count) in _counts.OrderBy(c => c.Key.Cluster, StringComparer.Ordinal).ThenBy(c => c.Key.Verb, StringComparer.Ordinal).ThenBy(c => c.Key.Code, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"flotilla_member_requests_total{{cluster=\"{cluster}\",verb=\"{verb}\",code=\"{code}\"}} {count}\n");
    }

    // The hub's own watches ask with watch=1, the Kubernetes client's with watch=true.
    private static bool IsWatch(string? query) =>
        query is not null && (query.Contains("watch=1", StringComparison.Ordinal) || query.Contains("watch=true", StringComparison.Ordinal));

    private void Add(string cluster, string verb, string code) => _counts.AddOrUpdate((cluster, verb, code), 1, (_, n) => n + 1);

    private sealed class Counting(MemberRequestCounter counter, string cluster) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var verb = IsWatch(request.RequestUri?.Query) ? "watch" : request.Method.Method.ToLowerInvariant();
            try
            {
                var response = await base.SendAsync(request, ct);
                counter.Add(cluster, verb, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                return response;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                counter.Add(cluster, verb, "error");
                throw;
            }
        }
    }
}
