using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

public sealed class DeployKeyGeneratorTests
{
    [Fact]
    public async Task Generates_a_fresh_ed25519_pair_whose_public_half_matches_the_private_one()
    {
        var key = await DeployKeyGenerator.GenerateAsync("flotilla@hub/team-a/fleet", CancellationToken.None);
        var other = await DeployKeyGenerator.GenerateAsync("flotilla@hub/team-a/fleet", CancellationToken.None);

        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", key.PrivateKeyOpenSsh);
        Assert.EndsWith("-----END OPENSSH PRIVATE KEY-----\n", key.PrivateKeyOpenSsh);
        Assert.Matches(@"^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ flotilla@hub/team-a/fleet$", key.PublicKeyLine);
        Assert.NotEqual(key.PublicKeyLine, other.PublicKeyLine);
        Assert.Equal(string.Join(' ', key.PublicKeyLine.Split(' ').Take(2)), await DerivePublicKeyAsync(key.PrivateKeyOpenSsh));
        Assert.DoesNotContain("PRIVATE", key.ToString());
    }

    [Fact]
    public async Task A_multi_line_comment_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => DeployKeyGenerator.GenerateAsync("a\nb", CancellationToken.None));

    private static async Task<string> DerivePublicKeyAsync(string privateKey)
    {
        var directory = Directory.CreateTempSubdirectory("flotilla-keycheck-");
        try
        {
            var path = Path.Combine(directory.FullName, "key");
            await File.WriteAllTextAsync(path, privateKey);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var derived = await TestProcess.RunAsync(directory.FullName, "ssh-keygen", "-y", "-f", path);
            return string.Join(' ', derived.Split(' ').Take(2));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
