namespace Flotilla.Git.Sources;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ChildProcessResult(int ExitCode, string Stdout, string Stderr);
