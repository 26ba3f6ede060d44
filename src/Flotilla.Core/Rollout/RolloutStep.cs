namespace Flotilla.Core.Rollout;

/// <summary>Where the current stage of a run is.</summary>
public enum RolloutStep
{
    /// <summary>Passing the stage's gates before any of its clusters moves.</summary>
    Before,

    /// <summary>Moving the stage's clusters, then baking.</summary>
    Rolling,

    /// <summary>Passing the stage's gates after it is done and baked.</summary>
    After,
}
