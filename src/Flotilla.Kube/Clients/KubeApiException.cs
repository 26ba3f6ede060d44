using System.Net;
using System.Text.Json;

namespace Flotilla.Kube.Clients;

/// <summary>
/// A non-success answer from a Kubernetes API, classified by HTTP status (never by message text).
/// <see cref="Message"/> carries the server's Status message, which Kubernetes never fills with secret values.
/// </summary>
public sealed class KubeApiException(string subject, HttpStatusCode status, string body)
    : Exception($"{subject}: {(int)status} {StatusMessage(body) ?? status.ToString()}")
{
    public HttpStatusCode StatusCode { get; } = status;

    /// <summary>The Status reason (e.g. <c>Invalid</c>, <c>Conflict</c>, <c>NotFound</c>) when the body is a Status.</summary>
    public string? Reason { get; } = StatusField(body, "reason");

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    private static string? StatusMessage(string body) => StatusField(body, "message");

    private static string? StatusField(string body, string field)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty(field, out var value) ? value.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
