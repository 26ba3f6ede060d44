using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.KubeConfigModels;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Runs a kubeconfig's <c>exec</c> credential plugin the way client-go does (arguments as a list, its <c>env</c>,
/// <c>KUBERNETES_EXEC_INFO</c>, no stdin) and reads the <c>ExecCredential</c> it prints, with a bounded time and a
/// bounded output. Failures are <see cref="InvalidCredentialsException"/>s that name the program only: never its
/// arguments, environment, output or error text, any of which may hold secrets.
/// </summary>
public sealed class ExecCredentialPlugin
{
    /// <summary>Largest output read from the plugin: far above any token or certificate.</summary>
    public const int MaxOutputBytes = 1024 * 1024;

    private readonly ExternalExecution _spec;
    private readonly TimeSpan _timeout;
    private readonly string _name;

    public ExecCredentialPlugin(ExternalExecution spec, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _spec = spec;
        _timeout = timeout;
        _name = $"exec plugin \"{Path.GetFileName(spec.Command ?? "")}\"";
    }

    /// <summary>Runs the plugin once; kills it (and its children) when it takes longer than the timeout.</summary>
    public async Task<ExecCredential> RunAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_spec.Command)) throw new InvalidCredentialsException("exec plugin has no command");
        if (string.IsNullOrWhiteSpace(_spec.ApiVersion)) throw new InvalidCredentialsException($"{_name} has no apiVersion");
        using var process = new Process { StartInfo = StartInfo() };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // The OS message ("No such file or directory") names no secret.
            throw new InvalidCredentialsException($"{_name} could not be started: {e.Message}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try
        {
            process.StandardInput.Close();
            var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, deadline.Token);
            // stderr is drained so the plugin never blocks on a full pipe, and dropped: it may echo secrets.
            var stderr = ReadBoundedAsync(process.StandardError.BaseStream, deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            var output = await stdout;
            await stderr;
            if (process.ExitCode != 0) throw new InvalidCredentialsException($"{_name} exited with code {process.ExitCode}");
            return Parse(output);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidCredentialsException($"{_name} did not finish within {_timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private ProcessStartInfo StartInfo()
    {
        var info = new ProcessStartInfo(_spec.Command!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _spec.Arguments ?? []) info.ArgumentList.Add(argument);
        foreach (var variable in _spec.EnvironmentVariables ?? [])
        {
            if (!variable.TryGetValue("name", out var name) || string.IsNullOrEmpty(name) || !variable.TryGetValue("value", out var value))
                throw new InvalidCredentialsException($"{_name} has an env entry without name or value");
            info.Environment[name] = value;
        }
        info.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject
        {
            ["apiVersion"] = _spec.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        }.ToJsonString();
        return info;
    }

    private async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxOutputBytes) throw new InvalidCredentialsException($"{_name} printed more than {MaxOutputBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private ExecCredential Parse(byte[] output)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(Encoding.UTF8.GetString(output));
        }
        catch (JsonException)
        {
            // The parser's message may quote the output; say only what is wrong.
            throw new InvalidCredentialsException($"{_name} did not print an ExecCredential (not JSON)");
        }
        if (root is not JsonObject credential || Text(credential, "kind") != "ExecCredential")
            throw new InvalidCredentialsException($"{_name} did not print an ExecCredential");
        if (Text(credential, "apiVersion") != _spec.ApiVersion)
            throw new InvalidCredentialsException($"{_name} answered with apiVersion \"{Text(credential, "apiVersion")}\", not \"{_spec.ApiVersion}\"");
        var status = credential["status"] as JsonObject;
        var token = status is null ? null : Text(status, "token");
        var certificate = status is null ? null : Text(status, "clientCertificateData");
        var key = status is null ? null : Text(status, "clientKeyData");
        if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key)))
            throw new InvalidCredentialsException($"{_name} gave neither a token nor a client certificate and key");
        DateTimeOffset? expires = null;
        if (status is not null && Text(status, "expirationTimestamp") is { } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new InvalidCredentialsException($"{_name} gave an expirationTimestamp that is not a time");
        }
        return new ExecCredential(string.IsNullOrEmpty(token) ? null : token, certificate, key, expires);
    }

    private static string? Text(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
