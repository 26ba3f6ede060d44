using System.CommandLine;
using Flotilla.Controllers;

namespace Flotilla.Cli.Commands;

/// <summary>An option that takes a positive duration the way kubectl does (<c>90s</c>, <c>5m</c>, <c>1h30m</c>).</summary>
public static class DurationOption
{
    public static Option<TimeSpan> Create(string name, string description, string defaultValue) => new(name)
    {
        Description = $"{description} (e.g. 90s, 5m)",
        DefaultValueFactory = _ => Durations.Parse(defaultValue)!.Value,
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            try
            {
                if (Durations.Parse(text) is { } parsed && parsed > TimeSpan.Zero) return parsed;
                r.AddError($"{name} must be a positive duration (e.g. 5m), was \"{text}\"");
            }
            catch (ArgumentException e)
            {
                r.AddError($"{name}: {e.Message}");
            }
            return TimeSpan.Zero;
        },
    };
}
