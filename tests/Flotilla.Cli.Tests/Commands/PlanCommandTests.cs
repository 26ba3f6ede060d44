using System.CommandLine;
using Flotilla.Cli.Commands;
using Flotilla.Cli.Plan;

namespace Flotilla.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    private static ParseResult Parse(string args) => PlanCommand.Create().Parse(args);

    [Fact]
    public void By_default_it_plans_every_bundle_of_the_default_namespace_as_a_table_at_each_sources_own_ref()
    {
        var r = Parse("");
        Assert.Empty(r.Errors);
        Assert.Null(r.GetValue<string?>("--revision"));
        Assert.Null(r.GetValue<string?>("--dir"));
        Assert.Equal("default", r.GetValue<string>("--namespace"));
        Assert.Null(r.GetValue<PlanFormat?>("--output"));
        Assert.Equal(30, r.GetValue<int>("--cluster-timeout"));
    }

    [Theory]
    [InlineData("-o json", PlanFormat.Json)]
    [InlineData("-o markdown", PlanFormat.Markdown)]
    [InlineData("-o md", PlanFormat.Markdown)]
    [InlineData("--output table", PlanFormat.Table)]
    public void Three_output_forms(string args, PlanFormat format)
    {
        var r = Parse(args);
        Assert.Empty(r.Errors);
        Assert.Equal(format, r.GetValue<PlanFormat?>("--output"));
    }

    [Fact]
    public void Bundles_are_repeatable() => Assert.Equal(["web", "db"], Parse("--bundle web --bundle db").GetValue<string[]>("--bundle")!);

    [Fact]
    public void An_unknown_output_form_is_a_clear_error() =>
        Assert.Contains(Parse("-o yaml").Errors, e => e.Message.Contains("unknown output format \"yaml\": use one of table, json, markdown"));

    [Fact]
    public void Help_states_the_exit_codes_and_that_nothing_is_written()
    {
        var description = PlanCommand.Create().Description!;
        Assert.Contains("0 nothing would change, 1 something would change, 2 something failed", description);
        Assert.Contains("Nothing is written on the hub or any member", description);
    }
}
