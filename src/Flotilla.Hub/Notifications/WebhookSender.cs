using System.Net;
using System.Net.Http.Headers;

namespace Flotilla.Hub.Notifications;

/// <summary>
/// POSTs a notification body, retrying a connection failure, a 429 or a 5xx with exponential backoff
/// (<see cref="FirstRetry"/>, doubling, <see cref="Attempts"/> tries in all); a 4xx other than 429 is final (the
/// receiver refuses it). Each try has its own <see cref="TryTimeout"/>, so one slow receiver cannot hold the rest.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider clock)
{
    public int Attempts { get; init; } = 5;
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan TryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The outcome: delivered or not, after how many tries, and the last failure (status code or error type; never the body).</summary>
    public async Task<(bool Delivered, int Tries, string? Failure)> SendAsync(string url, byte[] body, string? signature, CancellationToken ct)
    {
        string? failure = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1) await Task.Delay(FirstRetry * (1 << (attempt - 2)), clock, ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (signature is not null) request.Headers.Add(NotificationPayload.SignatureHeader, signature);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TryTimeout);
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return (true, attempt, null);
                failure = $"HTTP {(int)response.StatusCode}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500) return (false, attempt, failure);
            }
            catch (HttpRequestException e) { failure = e.HttpRequestError.ToString(); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { failure = "timed out"; }
        }
        return (false, Attempts, failure);
    }
}
