using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>
/// Reads a whole collection page by page with <c>limit</c> and <c>continue</c>, as kubectl does, so a list is never
/// cut at one page. Works for plain lists (pages joined by <c>items</c>) and server-side Tables (joined by
/// <c>rows</c>, the first page's column definitions kept).
/// </summary>
public static class PagedList
{
    /// <summary>Items per request: kubectl's own chunk size.</summary>
    public const int DefaultPageSize = 500;

    /// <summary>
    /// Gets every page of <paramref name="collectionPath"/> and returns them as one list or Table without a
    /// <c>continue</c> token. A continue token that expires between pages (410 Gone: the server no longer holds the
    /// snapshot the first page came from) throws a <see cref="KubeApiException"/> that says so and how far it got.
    /// </summary>
    /// <param name="subject">What is being listed, for error messages (e.g. <c>configmaps</c>).</param>
    public static async Task<JsonObject> GetAllAsync(this Kubernetes client, string collectionPath, string subject, bool asTable,
        CancellationToken ct, int pageSize = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var separator = collectionPath.Contains('?') ? '&' : '?';
        JsonObject? whole = null;
        string? token = null;
        var pages = 0;
        do
        {
            var path = $"{collectionPath}{separator}limit={pageSize.ToString(CultureInfo.InvariantCulture)}"
                + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}");
            using var response = await client.SendAsync(HttpMethod.Get, path, ct, asTable: asTable);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Gone && token is not null)
            {
                var read = Entries(whole!).Count;
                throw new KubeApiException(
                    $"{subject}: the list changed too much while it was read page by page (continue token expired after {pages} pages, {read} items); run the command again",
                    response.StatusCode, body);
            }
            if (!response.IsSuccessStatusCode) throw new KubeApiException(subject, response.StatusCode, body);
            var page = JsonNode.Parse(body)!.AsObject();
            pages++;
            token = page["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
            if (whole is null) whole = page;
            else
            {
                var added = Entries(page);
                var moved = added.ToList();
                added.Clear();
                var entries = Entries(whole);
                foreach (var entry in moved) entries.Add(entry);
            }
        }
        while (token is not null);
        if (whole["metadata"] is JsonObject metadata)
        {
            metadata.Remove("continue");
            metadata.Remove("remainingItemCount");
        }
        return whole;
    }

    private static JsonArray Entries(JsonObject list)
    {
        // Decided per answer: a server that cannot make a Table falls back to a plain list.
        var key = list["kind"]?.GetValue<string>() == "Table" ? "rows" : "items";
        // An empty list may come back with "items": null.
        if (list[key] is not JsonArray entries) list[key] = entries = new JsonArray();
        return entries;
    }
}
