using System.Text;
using Flotilla.Controllers;
using Flotilla.Controllers.Runtime;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Hub.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Flotilla.Hub;

/// <summary>
/// <c>POST /hooks/git/{namespace}/{name}</c>: a push notification that makes the hub fetch that GitRepository now.
/// The body is capped at 1 MiB and must be signed (HMAC-SHA256, header X-Hub-Signature-256) with the key
/// <c>webhookSecret</c> of the repository's Secret; anything else is refused without a hint. A push asks the hub API
/// server nothing while the hub's watches know the repository and its Secret (<see cref="FleetView"/>,
/// <see cref="HubSecrets"/>): it is a signature check and a queued fetch.
/// </summary>
public static class GitWebhook
{
    public const int MaxBodyBytes = 1 << 20;

    public static async Task<IResult> HandleAsync(HttpContext http, IKubernetes hub, FleetView fleet, HubSecrets secrets, string ns, string name,
        WorkQueue<string> sources, CancellationToken ct)
    {
        // The server itself stops at the cap too: past it Kestrel neither reads nor drains the rest of the body.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        if (http.Request.ContentLength > MaxBodyBytes) return TooLarge(http);
        var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (body.Length + read > MaxBodyBytes) return TooLarge(http);
                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(http);
        }

        var secret = await WebhookSecretAsync(hub, fleet, secrets, ns, name, ct);
        var signature = http.Request.Headers["X-Hub-Signature-256"].ToString();
        if (secret is null || !WebhookSignature.Verify(secret, body.ToArray(), signature)) return Results.Unauthorized();
        sources.Add(ObjectKey.Of(ns, name));
        return Results.Accepted();
    }

    // The connection is closed after the answer, so the rest of an oversized body is never read.
    private static IResult TooLarge(HttpContext http)
    {
        http.Response.Headers.Connection = "close";
        return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
    }

    // A repository the view has not seen yet (created a moment ago) is read from the hub API server.
    private static async Task<string?> WebhookSecretAsync(IKubernetes hub, FleetView fleet, HubSecrets secrets, string ns, string name, CancellationToken ct)
    {
        try
        {
            var repository = fleet.Source(ns, name) ?? await FlotillaObjects.FindAsync<GitRepositoryResource>(hub, ns, GitRepositoryResource.Plural, name, ct);
            if (repository?.Spec.SecretRef is not { Name.Length: > 0 } reference) return null;
            var secret = await secrets.ReadAsync(ns, reference.Name, ct);
            return secret.Data is not null && secret.Data.TryGetValue("webhookSecret", out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }
        catch (k8s.Autorest.HttpOperationException) { return null; }
    }
}
