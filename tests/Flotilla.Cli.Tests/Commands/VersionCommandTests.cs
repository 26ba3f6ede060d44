using Flotilla.Cli.Commands;

namespace Flotilla.Cli.Tests.Commands;

public sealed class VersionCommandTests
{
    [Theory]
    [InlineData("0.3.0-2-gabc1234+abc1234def", "0.3.0-2-gabc1234", "abc1234def")]
    [InlineData("1.0.0", "1.0.0", "unknown")]
    [InlineData("1.0.0+", "1.0.0", "unknown")]
    [InlineData(null, "unknown", "unknown")]
    public void The_informational_version_splits_into_version_and_commit(string? informational, string version, string commit) =>
        Assert.Equal((version, commit), VersionCommand.Parse(informational));

    [Fact]
    public void This_build_carries_its_commit()
    {
        var informational = typeof(VersionCommand).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Matches("^[0-9a-f]{40}$", VersionCommand.Parse(informational).Commit);
    }
}
