namespace Flotilla.Git.Tests.Render;

/// <summary>A temporary directory tree for one test, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Directory.CreateTempSubdirectory("flotilla-render-test-").FullName;
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Join(Root, relative);

    public TempTree Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public TempTree WriteBytes(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return this;
    }

    public TempTree Link(string relative, string target)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return this;
    }

    /// <summary>Writes an executable /bin/sh script (these tests run where kubectl and a POSIX shell do).</summary>
    public string Script(string relative, string body)
    {
        Write(relative, "#!/bin/sh\n" + body + "\n");
        var path = PathOf(relative);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("stand-in executables are shell scripts");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
