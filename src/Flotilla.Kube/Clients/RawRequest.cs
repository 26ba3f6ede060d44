using System.Net.Http.Headers;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>
/// Raw HTTP requests through a <see cref="Kubernetes"/> client's own transport and credentials, for the
/// endpoints and dynamic kinds the typed API does not cover (/readyz, discovery, any group/version/resource).
/// </summary>
public static class RawRequest
{
    /// <summary>Sends a request to <paramref name="path"/> (e.g. <c>/readyz</c>); the caller disposes the response.</summary>
    /// <param name="asTable">Ask for the server-side Table form (kubectl's own columns), falling back to plain JSON.</param>
    public static async Task<HttpResponseMessage> SendAsync(this Kubernetes client, HttpMethod method, string path,
        CancellationToken ct, HttpContent? content = null, bool asTable = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path.TrimStart('/')));
        request.Content = content;
        if (asTable) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (client.Credentials is not null) await client.Credentials.ProcessHttpRequestAsync(request, ct);
        return await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }
}
