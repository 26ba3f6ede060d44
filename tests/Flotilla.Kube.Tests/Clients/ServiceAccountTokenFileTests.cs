using Flotilla.Kube.Clients;

namespace Flotilla.Kube.Tests.Clients;

public sealed class ServiceAccountTokenFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flotilla-sa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Replaces the file the way the kubelet does: a new file renamed over the old one.</summary>
    private void Replace(string path, string token)
    {
        var next = Path.Combine(_dir, "token.next");
        File.WriteAllText(next, token);
        File.Move(next, path, overwrite: true);
    }

    [Fact]
    public async Task Every_request_carries_the_token_the_file_holds_at_that_moment()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "first-token\n");
        var tokens = new ServiceAccountTokenFile(path);
        Assert.Equal("Bearer first-token", (await tokens.GetAuthenticationHeaderAsync(CancellationToken.None)).ToString());

        Replace(path, "second-token-longer");
        Assert.Equal("second-token-longer", tokens.Token());

        // Same length, replaced at once: no file-time granularity hides it.
        Replace(path, "third--token-longer");
        Assert.Equal("third--token-longer", tokens.Token());
    }

    [Fact]
    public void A_missing_or_empty_token_file_is_a_clear_error_naming_the_file()
    {
        var path = Path.Combine(_dir, "token");
        var missing = Assert.Throws<InvalidOperationException>(() => new ServiceAccountTokenFile(path).Token());
        Assert.Contains(path, missing.Message);
        File.WriteAllText(path, "\n");
        Assert.Contains("empty", Assert.Throws<InvalidOperationException>(() => new ServiceAccountTokenFile(path).Token()).Message);
    }
}
