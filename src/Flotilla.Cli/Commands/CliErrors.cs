using System.CommandLine;
using System.Net;
using Flotilla.Kube.Clients;
using k8s.Autorest;

namespace Flotilla.Cli.Commands;

/// <summary>Runs the command line and turns failures into one clear <c>error:</c> line and exit code 1, never a stack trace.</summary>
public static class CliErrors
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e)
        {
            // Known failures get their own words; anything else still ends as one line, never a stack trace.
            Console.Error.WriteLine($"error: {Describe(e) ?? $"{e.GetType().Name}: {e.Message}"}");
            if (Environment.GetEnvironmentVariable("FLOTILLA_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static string? Describe(Exception e) => e switch
    {
        HttpOperationException h when h.Response.StatusCode == HttpStatusCode.NotFound && h.Response.Content.Contains("the server could not find the requested resource")
            => "the hub has no Flotilla CRDs: run 'flotilla hub install'",
        HttpOperationException h => $"{(int)h.Response.StatusCode} {h.Response.ReasonPhrase}: {StatusMessage(h.Response.Content)}",
        HttpRequestException h => $"cannot reach the API server: {h.Message}",
        KubeApiException k => k.Message,
        FormatException or ArgumentException or KeyNotFoundException or InvalidOperationException or FileNotFoundException
            or k8s.Exceptions.KubeConfigException or TimeoutException => e.Message,
        _ => null,
    };

    private static string StatusMessage(string body)
    {
        try { return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() ?? body; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException) { return body; }
    }
}
