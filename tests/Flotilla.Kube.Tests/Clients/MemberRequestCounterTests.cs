using System.Net;
using Flotilla.Kube.Clients;

namespace Flotilla.Kube.Tests.Clients;

public sealed class MemberRequestCounterTests
{
    private sealed class Answering(HttpStatusCode code) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            code == 0 ? throw new HttpRequestException("connection refused") : Task.FromResult(new HttpResponseMessage(code));
    }

    private static async Task SendAsync(MemberRequestCounter counter, HttpMethod method, string uri, HttpStatusCode code = HttpStatusCode.OK)
    {
        using var client = new HttpClient(new Wrapped(counter.Handler("member-1"), new Answering(code)));
        try { (await client.SendAsync(new HttpRequestMessage(method, uri))).Dispose(); }
        catch (HttpRequestException) { }
    }

    private sealed class Wrapped : DelegatingHandler
    {
        public Wrapped(DelegatingHandler counting, HttpMessageHandler inner)
        {
            counting.InnerHandler = inner;
            InnerHandler = counting;
        }
    }

    [Fact]
    public async Task Requests_are_counted_by_verb_and_code_and_both_spellings_of_a_watch_are_watches()
    {
        var counter = new MemberRequestCounter();
        await SendAsync(counter, HttpMethod.Get, "https://m/api/v1/configmaps?watch=1&resourceVersion=5");
        await SendAsync(counter, HttpMethod.Get, "https://m/api/v1/configmaps?watch=true");
        await SendAsync(counter, HttpMethod.Get, "https://m/api/v1/configmaps?limit=500");
        await SendAsync(counter, HttpMethod.Patch, "https://m/api/v1/namespaces/a/configmaps/b", HttpStatusCode.Conflict);
        await SendAsync(counter, HttpMethod.Delete, "https://m/api/v1/namespaces/a/configmaps/b", 0);

        Assert.Equal(2, counter.Count("member-1", "watch", "200"));
        Assert.Equal(1, counter.Count("member-1", "get", "200"));
        Assert.Equal(1, counter.Count("member-1", "patch", "409"));
        Assert.Equal(1, counter.Count("member-1", "delete", "error"));
    }
}
