namespace Flotilla.Cli.Output;

/// <summary>kubectl's short human durations: 45s, 3m12s, 5h, 12d.</summary>
public static class Age
{
    public static string Format(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null) return "<unknown>";
        var d = now - since.Value;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d.TotalSeconds < 120 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 10 ? $"{(int)d.TotalMinutes}m{d.Seconds}s"
            : d.TotalHours < 3 ? $"{(int)d.TotalMinutes}m"
            : d.TotalDays < 2 ? $"{(int)d.TotalHours}h"
            : $"{(int)d.TotalDays}d";
    }
}
