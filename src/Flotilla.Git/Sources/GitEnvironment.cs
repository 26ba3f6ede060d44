using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>
/// The hermetic environment of one fetch: nothing inherited but PATH, proxy and CA settings; no system or
/// user config (<c>HOME</c> is a private 0700 directory); no prompts, askpass or ssh agent; only the allowed
/// transports. A token travels as an <c>http.extraHeader</c> through <c>GIT_CONFIG_*</c> variables and an
/// ssh key as a 0600 file in the private directory, so neither appears on a command line. A source's own CA is
/// a file there too, named by <c>http.sslCAInfo</c>. Dispose deletes the directory and with it the key.
/// </summary>
internal sealed class GitEnvironment : IDisposable
{
    private static readonly string[] Inherited =
    [
        "PATH", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "all_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
    ];

    private readonly DirectoryInfo _private;

    private GitEnvironment(DirectoryInfo privateDirectory, Dictionary<string, string> variables, IReadOnlyList<string> secrets)
    {
        _private = privateDirectory;
        Variables = variables;
        Secrets = secrets;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The private directory: git's working directory and HOME.</summary>
    public string Directory => _private.FullName;

    /// <summary>Strings that must never appear in a message (see <see cref="SecretRedactor"/>).</summary>
    public IReadOnlyList<string> Secrets { get; }

    public static GitEnvironment Create(GitCredentials credentials, string? certificateAuthority, bool allowLocal, string sshExecutable)
    {
        // CreateTempSubdirectory makes the directory 0700 on Unix.
        var directory = System.IO.Directory.CreateTempSubdirectory("flotilla-git-");
        try
        {
            return Build(directory, credentials, certificateAuthority, allowLocal, sshExecutable);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose() => _private.Delete(recursive: true);

    private static GitEnvironment Build(DirectoryInfo directory, GitCredentials credentials, string? certificateAuthority, bool allowLocal, string sshExecutable)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) variables[name] = value;
        }

        variables["HOME"] = directory.FullName;
        variables["XDG_CONFIG_HOME"] = Path.Combine(directory.FullName, ".config");
        variables["LC_ALL"] = "C";
        variables["GIT_CONFIG_NOSYSTEM"] = "1";
        variables["GIT_CONFIG_GLOBAL"] = "/dev/null";
        variables["GIT_TERMINAL_PROMPT"] = "0";
        variables["GIT_ASKPASS"] = "";
        variables["SSH_ASKPASS"] = "";
        variables["GIT_ALLOW_PROTOCOL"] = allowLocal ? "https:http:ssh:file" : "https:http:ssh";

        var config = new List<(string Key, string Value)>
        {
            ("init.defaultBranch", "main"),
            ("credential.helper", ""),
            // Auto-maintenance in the foreground, inside the timeout and the process tree we kill.
            ("gc.autoDetach", "false"),
            ("maintenance.autoDetach", "false"),
        };
        var secrets = new List<string>();
        if (certificateAuthority is not null)
        {
            // Replaces the system bundle for this fetch only; http.sslVerify keeps its default (on).
            var caFile = Path.Combine(directory.FullName, "ca.crt");
            WritePrivate(caFile, certificateAuthority);
            config.Add(("http.sslCAInfo", caFile));
        }

        switch (credentials.Kind)
        {
            case GitCredentialKind.None:
                break;
            case GitCredentialKind.HttpsToken:
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Token}"));
                config.Add(("http.extraHeader", "Authorization: Basic " + basic));
                secrets.Add(credentials.Token!);
                secrets.Add(basic);
                break;
            case GitCredentialKind.Ssh:
                variables["GIT_SSH_COMMAND"] = SshCommand(directory.FullName, credentials, sshExecutable);
                variables["GIT_SSH_VARIANT"] = "ssh";
                if (credentials.PrivateKey is { } key) secrets.AddRange(SecretRedactor.KeyFragments(key));
                break;
        }

        variables["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            variables[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
            variables[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
        }

        return new GitEnvironment(directory, variables, secrets);
    }

    private static string SshCommand(string directory, GitCredentials credentials, string sshExecutable)
    {
        var knownHosts = Path.Combine(directory, "known_hosts");
        WritePrivate(knownHosts, credentials.KnownHosts!);

        // -F /dev/null: no user or system ssh_config; only the given known_hosts; no agent.
        var command = new StringBuilder($"{Quote(sshExecutable)} -F /dev/null");
        if (credentials.PrivateKey is { } privateKey)
        {
            var keyFile = Path.Combine(directory, "identity");
            WritePrivate(keyFile, privateKey);
            command.Append($" -i {Quote(keyFile)}");
        }
        else
        {
            command.Append(" -o PubkeyAuthentication=no");
        }

        command.Append(" -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes");
        command.Append($" -o UserKnownHostsFile={Quote(knownHosts)} -o GlobalKnownHostsFile=/dev/null");
        command.Append(" -o UpdateHostKeys=no -o BatchMode=yes -o ConnectTimeout=10");
        return command.ToString();
    }

    /// <summary>Writes owner-only (0600) with LF line endings and a final newline, as ssh requires of keys.</summary>
    private static void WritePrivate(string path, string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!normalized.EndsWith('\n')) normalized += "\n";
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        stream.Write(new UTF8Encoding(false).GetBytes(normalized));
    }

    // GIT_SSH_COMMAND is run by a shell: single-quote every path.
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
