namespace Flotilla.Cli.Plan;

/// <summary>How the placement decided now compares with the bundle's recorded one, for one cluster.</summary>
public enum PlanMembership
{
    /// <summary>Placed now and placed by the new decision.</summary>
    Stays,

    /// <summary>Not placed now, placed by the new decision: the bundle would be applied there.</summary>
    Joins,

    /// <summary>Placed now, not placed by the new decision: the bundle would be removed from there.</summary>
    Leaves,
}
