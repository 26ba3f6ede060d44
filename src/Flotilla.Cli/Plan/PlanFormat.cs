namespace Flotilla.Cli.Plan;

/// <summary>The <c>-o</c> formats of <c>flotilla plan</c>: a table (default), JSON for scripts, Markdown for a pull-request comment.</summary>
public enum PlanFormat { Table, Json, Markdown }
