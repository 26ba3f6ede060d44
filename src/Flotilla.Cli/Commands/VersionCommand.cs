using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla version</c>: the version and commit stamped into the assembly's informational version at build
/// (<c>VERSION+COMMIT</c>; <c>scripts/release.sh</c> stamps <c>git describe</c> and the full commit).
/// </summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var version = new Command("version", "Print the CLI's version and the commit it was built from");
        version.SetAction(_ =>
        {
            var (number, commit) = Parse(typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            Console.WriteLine($"flotilla {number}");
            Console.WriteLine($"commit: {commit}");
            Console.WriteLine($"runtime: .NET {Environment.Version} {RuntimeInformation.RuntimeIdentifier}");
            return 0;
        });
        return version;
    }

    /// <summary>Splits <c>VERSION+COMMIT</c>; a build without a commit says <c>unknown</c>.</summary>
    public static (string Version, string Commit) Parse(string? informational) => informational?.Split('+', 2) switch
    {
        [var v, var c] when c.Length > 0 => (v, c),
        [var v, ..] when v.Length > 0 => (v, "unknown"),
        _ => ("unknown", "unknown"),
    };
}
