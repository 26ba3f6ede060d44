using Flotilla.Kube.KubeConfig;

namespace Flotilla.Kube.Tests.KubeConfig;

public sealed class KubeconfigStatePathsTests
{
    [Theory]
    [InlineData(null, "/home/me/.local/state/flotilla")]
    [InlineData("", "/home/me/.local/state/flotilla")]
    [InlineData("relative/state", "/home/me/.local/state/flotilla")]
    [InlineData("/var/state", "/var/state/flotilla")]
    public void State_lives_under_XDG_STATE_HOME_or_the_home_default(string? stateHome, string expectedDirectory)
    {
        var paths = KubeconfigStatePaths.FromEnvironment(
            name => name == "XDG_STATE_HOME" ? stateHome : throw new InvalidOperationException(name), "/home/me");

        Assert.Equal(new KubeconfigStatePaths($"{expectedDirectory}/kubectx", $"{expectedDirectory}/kubens"), paths);
    }
}
