using System.Net;
using System.Security.Authentication;
using Flotilla.Core.Clusters;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Autorest;

namespace Flotilla.Kube.Health;

/// <summary>
/// Probes one member: <c>/readyz</c>, server version, node count — all under one deadline so a dead or slow
/// member costs at most <c>timeout</c>. Errors are classified by HTTP status or exception type, never by text.
/// </summary>
public static class ClusterProber
{
    public static async Task<ProbeResult> ProbeAsync(Kubernetes member, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using (var ready = await member.SendAsync(HttpMethod.Get, "/readyz", deadline.Token))
            {
                if (Classify(ready.StatusCode) is { } failure) return failure;
                if (!ready.IsSuccessStatusCode)
                    return new ProbeResult(ProbeOutcome.NotReady, null, null, $"/readyz answered {(int)ready.StatusCode}");
            }
            var version = await member.Version.GetCodeAsync(deadline.Token);
            var nodes = await member.CoreV1.ListNodeAsync(limit: 500, cancellationToken: deadline.Token);
            var count = nodes.Items.Count + (int)(nodes.Metadata?.RemainingItemCount ?? 0);
            return new ProbeResult(ProbeOutcome.Ready, version.GitVersion, count, null);
        }
        catch (HttpOperationException e)
        {
            return Classify(e.Response.StatusCode)
                ?? new ProbeResult(ProbeOutcome.NotReady, null, null, $"API answered {(int)e.Response.StatusCode}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.Unreachable, null, null, $"no answer within {timeout.TotalSeconds:0}s");
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return new ProbeResult(ProbeOutcome.Unreachable, null, null, "TLS handshake failed (server certificate not trusted?)");
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(ProbeOutcome.Unreachable, null, null, e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "connection refused or reset",
                HttpRequestError.NameResolutionError => "host name not resolved",
                HttpRequestError.SecureConnectionError => "TLS handshake failed",
                _ => $"request failed ({e.HttpRequestError})",
            });
        }
    }

    private static ProbeResult? Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => new ProbeResult(ProbeOutcome.AuthFailed, null, null, "401 Unauthorized: the credentials were rejected"),
        HttpStatusCode.Forbidden => new ProbeResult(ProbeOutcome.AuthFailed, null, null, "403 Forbidden: the identity may not read /readyz, version or nodes"),
        _ => null,
    };
}
