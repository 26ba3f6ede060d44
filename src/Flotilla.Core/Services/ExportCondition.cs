namespace Flotilla.Core.Services;

/// <summary>One condition on a ServiceExport (Valid, Ready, Conflict) as the planner decides it.</summary>
public sealed record ExportCondition(string Type, string Status, string Reason, string Message);
