using System.Threading.Channels;
using Flotilla.Hub.Api.Auth;
using Microsoft.AspNetCore.Http;

namespace Flotilla.Hub.Api;

/// <summary>
/// Server-sent events at <c>/api/v1/stream</c>: one <c>change</c> event naming the kinds that changed (e.g.
/// <c>bundle,cluster</c>), at most every <see cref="Coalesce"/>, so a busy fleet does not flood a page; a comment every
/// <see cref="KeepAlive"/> keeps proxies from closing the stream. Names of objects are not sent (the page refetches
/// what it shows, through the same access checks), so the stream tells no one about objects they may not read.
/// </summary>
public static class LiveUpdates
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext http, FleetView view, RequestAuth auth)
    {
        var (caller, _) = await auth.IdentifyAsync(http);
        if (await auth.CheckAsync(caller, [AccessCheck.ListBundles()], http.RequestAborted) is { } denial)
        {
            http.Response.StatusCode = denial.StatusCode;
            await http.Response.WriteAsync(denial.Message, http.RequestAborted);
            return;
        }
        var changes = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnChange(string kind, string key) => changes.Writer.TryWrite(kind);
        view.Changed += OnChange;
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.WriteAsync(": connected\n\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            var ct = http.RequestAborted;
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(KeepAlive);
                string first;
                try { first = await changes.Reader.ReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                await Task.Delay(Coalesce, ct);
                var kinds = new SortedSet<string>(StringComparer.Ordinal) { first };
                while (changes.Reader.TryRead(out var more)) kinds.Add(more);
                await http.Response.WriteAsync($"event: change\ndata: {string.Join(",", kinds)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
        finally { view.Changed -= OnChange; }
    }
}
