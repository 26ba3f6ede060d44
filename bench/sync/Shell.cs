using System.Diagnostics;

namespace Flotilla.Bench.Sync;

public static class Shell
{
    public static Task RunAsync(string file, params string[] args) => OutputAsync(file, null, args);

    /// <summary>Runs <paramref name="file"/> with <paramref name="input"/> (if any) on its stdin; its stdout as bytes, or an error with its stderr.</summary>
    public static async Task<byte[]> OutputAsync(string file, string? input, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        if (input is not null)
        {
            await p.StandardInput.WriteAsync(input);
            p.StandardInput.Close();
        }
        await copy;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {await err}");
        return output.ToArray();
    }

    public static Process Start(string log, string file, params string[] args) => Start(log, new Dictionary<string, string>(), file, args);

    /// <summary>As <see cref="Start(string, string, string[])"/>, with <paramref name="environment"/> added to the child's environment.</summary>
    public static Process Start(string log, IReadOnlyDictionary<string, string> environment, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var p = Process.Start(info)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
