namespace Flotilla.Git.Sources;

/// <summary>Creates deploy keys with <c>ssh-keygen -t ed25519</c> in a private directory that is deleted afterwards.</summary>
public static class DeployKeyGenerator
{
    /// <summary>
    /// Generates a key pair without passphrase. <paramref name="comment"/> ends up in the public key line
    /// (e.g. <c>flotilla@hub/ns/repo</c>); it must be one line.
    /// </summary>
    public static async Task<DeployKey> GenerateAsync(string comment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(comment);
        if (comment.Any(char.IsControl)) throw new ArgumentException("a key comment must be a single line without control characters", nameof(comment));

        var directory = Directory.CreateTempSubdirectory("flotilla-keygen-"); // 0700
        try
        {
            var keyFile = Path.Combine(directory.FullName, "key");
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
                ["HOME"] = directory.FullName,
                ["LC_ALL"] = "C",
            };
            var result = await ChildProcess.RunAsync(
                "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", keyFile], environment, directory.FullName, ct);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"ssh-keygen failed with exit code {result.ExitCode}: {result.Stderr.Trim()}");
            }

            var privateKey = await File.ReadAllTextAsync(keyFile, ct);
            var publicKey = (await File.ReadAllTextAsync(keyFile + ".pub", ct)).Trim();
            return new DeployKey(privateKey, publicKey);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
