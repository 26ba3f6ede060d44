using System.Diagnostics;
using Flotilla.Kube.Registry;
using k8s.KubeConfigModels;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kube.Tests.Registry;

/// <summary>Real plugins: small bash scripts written by each test and run as processes.</summary>
public sealed class ExecCredentialPluginTests : IDisposable
{
    private const string ApiVersion = "client.authentication.k8s.io/v1beta1";
    private readonly string _dir = Directory.CreateTempSubdirectory("flotilla-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ExternalExecution Script(string body, params string[] args)
    {
        var path = Path.Combine(_dir, $"plugin-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ExternalExecution { ApiVersion = ApiVersion, Command = path, Arguments = args.ToList() };
    }

    private static string Credential(string status) =>
        "echo '{\"apiVersion\":\"" + ApiVersion + "\",\"kind\":\"ExecCredential\",\"status\":{" + status + "}}'";

    [Fact]
    public async Task Reads_the_token_and_expiry_and_passes_arguments_env_and_exec_info()
    {
        var spec = Script("""
            [ "$1" = "two words" ] && [ "$2" = "--region" ] && [ "$MY_VAR" = "v" ] || exit 9
            case "$KUBERNETES_EXEC_INFO" in *'"kind":"ExecCredential"'*'"interactive":false'*) ;; *) exit 8 ;; esac
            """ + "\n" + Credential("\"token\":\"tok-123\",\"expirationTimestamp\":\"2030-01-02T03:04:05Z\""), "two words", "--region");
        spec.EnvironmentVariables = [new Dictionary<string, string> { ["name"] = "MY_VAR", ["value"] = "v" }];

        var credential = await new ExecCredentialPlugin(spec, TimeSpan.FromSeconds(10)).RunAsync(CancellationToken.None);

        Assert.Equal("tok-123", credential.Token);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), credential.Expires);
        Assert.DoesNotContain("tok-123", credential.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo 's3cr3t on stderr' >&2; echo 's3cr3t on stdout'; exit 3", "exited with code 3")]
    [InlineData("echo '{\"s3cr3t\": '", "did not print an ExecCredential (not JSON)")]
    [InlineData("echo '{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":\"s3cr3t\"}'", "did not print an ExecCredential")]
    [InlineData("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"s3cr3t\"}}'", "answered with apiVersion \"client.authentication.k8s.io/v1\", not \"client.authentication.k8s.io/v1beta1\"")]
    [InlineData("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"s3cr3t\"}}'", "gave neither a token nor a client certificate and key")]
    public async Task A_failing_plugin_is_a_clean_error_that_quotes_none_of_its_output(string body, string expected)
    {
        var spec = Script(body, "--secret", "s3cr3t-arg");

        var e = await Assert.ThrowsAsync<InvalidCredentialsException>(() => new ExecCredentialPlugin(spec, TimeSpan.FromSeconds(10)).RunAsync(CancellationToken.None));

        Assert.StartsWith($"exec plugin \"{Path.GetFileName(spec.Command)}\" ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_plugin_is_killed_at_its_timeout()
    {
        var pidFile = Path.Combine(_dir, "pid");
        var spec = Script($"echo $$ > {pidFile}; exec sleep 300");
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<InvalidCredentialsException>(() => new ExecCredentialPlugin(spec, TimeSpan.FromSeconds(1)).RunAsync(CancellationToken.None));

        Assert.EndsWith("did not finish within 1 s", e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(Running(pid), $"plugin process {pid} still running");
    }

    // A killed process may linger as a zombie until reaped; only a live one counts.
    private static bool Running(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    [Fact]
    public async Task A_missing_program_is_a_clean_error()
    {
        var spec = new ExternalExecution { ApiVersion = ApiVersion, Command = Path.Combine(_dir, "no-such-plugin") };

        var e = await Assert.ThrowsAsync<InvalidCredentialsException>(() => new ExecCredentialPlugin(spec, TimeSpan.FromSeconds(5)).RunAsync(CancellationToken.None));

        Assert.StartsWith("exec plugin \"no-such-plugin\" could not be started", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_reused_until_shortly_before_expiry_then_the_plugin_runs_again()
    {
        var counter = Path.Combine(_dir, "runs");
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var spec = Script($$"""
            echo x >> {{counter}}; n=$(wc -l < {{counter}})
            printf '%s' '{"apiVersion":"{{ApiVersion}}","kind":"ExecCredential","status":' ; printf '{"token":"tok-%s","expirationTimestamp":"2030-01-01T00:10:00Z"}' "$n"; echo '}'

            """);
        var plugin = new ExecCredentialPlugin(spec, TimeSpan.FromSeconds(10));
        var tokens = new ExecTokenSource(plugin, await plugin.RunAsync(CancellationToken.None), clock);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("tok-1", (await tokens.GetAuthenticationHeaderAsync(CancellationToken.None)).Parameter);
        clock.Advance(TimeSpan.FromSeconds(40)); // within 30 s of expiry
        Assert.Equal("tok-2", (await tokens.GetAuthenticationHeaderAsync(CancellationToken.None)).Parameter);
        Assert.Equal(2, File.ReadAllLines(counter).Length);
    }
}
