using System.CommandLine;

namespace Flotilla.Cli.Output;

/// <summary>The <c>-o</c> formats: table (default), wide, json, yaml.</summary>
public enum OutputFormat { Table, Wide, Json, Yaml }

/// <summary>The shared <c>-o/--output</c> option.</summary>
public static class OutputOption
{
    public static Option<OutputFormat> Create(bool wide = false)
    {
        var allowed = wide ? new[] { "wide", "json", "yaml" } : ["json", "yaml"];
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = $"Output format: {string.Join("|", allowed)} (default: a table)",
            CustomParser = r => r.Tokens.Single().Value switch
            {
                "wide" when wide => OutputFormat.Wide,
                "json" => OutputFormat.Json,
                "yaml" => OutputFormat.Yaml,
                var other => Fail(r, other, allowed),
            },
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        return option;
    }

    private static OutputFormat Fail(System.CommandLine.Parsing.ArgumentResult r, string value, string[] allowed)
    {
        r.AddError($"unknown output format \"{value}\": use one of {string.Join(", ", allowed)}");
        return OutputFormat.Table;
    }
}
