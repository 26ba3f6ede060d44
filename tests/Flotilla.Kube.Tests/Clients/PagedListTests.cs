using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Flotilla.Kube.Clients;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

/// <summary>Paging against a stand-in API that serves a collection in pages and keeps a consistent snapshot, like the real one.</summary>
public sealed class PagedListTests
{
    [Theory]
    [InlineData(false, 1200, 500, 3)]
    [InlineData(true, 1200, 500, 3)]
    [InlineData(false, 1000, 500, 2)]
    [InlineData(true, 0, 500, 1)]
    [InlineData(false, 7, 3, 3)]
    public async Task Every_page_is_read_and_joined_in_order_without_a_continue_token(bool asTable, int count, int pageSize, int requests)
    {
        using var api = new PagingApi(count);
        using var client = api.CreateClient();

        var list = await client.GetAllAsync("/api/v1/namespaces/ns/configmaps", "configmaps", asTable, CancellationToken.None, pageSize);

        var entries = list[asTable ? "rows" : "items"]!.AsArray();
        var names = entries.Select(e => (asTable ? e!["object"]!["metadata"]!["name"] : e!["metadata"]!["name"])!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(PagingApi.Name), names);
        Assert.Equal(requests, api.Requests.Count);
        Assert.All(api.Requests, r => Assert.Equal(pageSize.ToString(), HttpUtility.ParseQueryString(r.Query)["limit"]));
        Assert.Null(list["metadata"]!["continue"]);
        if (asTable) Assert.Equal("Name", list["columnDefinitions"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_continue_token_that_expires_between_pages_is_reported_as_such()
    {
        using var api = new PagingApi(1200) { ExpireAfterPages = 2 };
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<KubeApiException>(
            () => client.GetAllAsync("/api/v1/configmaps", "configmaps", asTable: true, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Gone, error.StatusCode);
        Assert.Contains("continue token expired after 2 pages, 1000 items", error.Message);
        Assert.Contains("run the command again", error.Message);
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task A_failing_first_page_is_the_servers_error()
    {
        using var api = new PagingApi(10) { FirstStatus = HttpStatusCode.Forbidden };
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<KubeApiException>(
            () => client.GetAllAsync("/api/v1/secrets", "secrets", asTable: false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.StartsWith("secrets: 403", error.Message);
    }

    /// <summary>Serves <c>count</c> ConfigMaps in pages of the asked <c>limit</c>; the continue token is the next index.</summary>
    private sealed class PagingApi(int count) : DelegatingHandler
    {
        public List<Uri> Requests { get; } = [];

        public int? ExpireAfterPages { get; init; }

        public HttpStatusCode? FirstStatus { get; init; }

        public static string Name(int i) => $"cm-{i:D5}";

        public Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = "https://member.flotilla-test.invalid" }, this);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var limit = int.Parse(query["limit"]!);
            var start = query["continue"] is { } token ? int.Parse(token.Split(':')[1]) : 0;
            var asTable = request.Headers.Accept.Any(a => a.Parameters.Any(p => p.Name == "as" && p.Value == "Table"));
            if (FirstStatus is { } status) return Task.FromResult(Answer(request, status, new JsonObject { ["kind"] = "Status", ["message"] = "forbidden by the test" }));
            if (ExpireAfterPages is { } pages && start >= pages * limit)
                return Task.FromResult(Answer(request, HttpStatusCode.Gone, new JsonObject
                {
                    ["kind"] = "Status",
                    ["reason"] = "Expired",
                    ["message"] = "The provided continue parameter is too old to display a consistent list result.",
                }));
            var end = Math.Min(count, start + limit);
            var entries = new JsonArray();
            for (var i = start; i < end; i++)
            {
                var item = new JsonObject { ["metadata"] = new JsonObject { ["name"] = Name(i) } };
                entries.Add(asTable ? new JsonObject { ["cells"] = new JsonArray(Name(i)), ["object"] = item } : item);
            }
            var metadata = new JsonObject { ["resourceVersion"] = "42" };
            if (end < count)
            {
                metadata["continue"] = $"rv42:{end}";
                metadata["remainingItemCount"] = count - end;
            }
            var body = asTable
                ? new JsonObject { ["kind"] = "Table", ["metadata"] = metadata, ["columnDefinitions"] = new JsonArray(new JsonObject { ["name"] = "Name" }), ["rows"] = entries }
                : new JsonObject { ["kind"] = "ConfigMapList", ["metadata"] = metadata, ["items"] = count == 0 ? null : entries };
            return Task.FromResult(Answer(request, HttpStatusCode.OK, body));
        }

        private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status, JsonObject body) => new(status)
        {
            RequestMessage = request,
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }
}
