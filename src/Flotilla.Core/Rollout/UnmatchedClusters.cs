namespace Flotilla.Core.Rollout;

/// <summary>What a staged run does with placed clusters that match no stage.</summary>
public enum UnmatchedClusters
{
    /// <summary>They form an implicit last stage, <see cref="RolloutSpec.UnmatchedStageName"/>, after every named stage.</summary>
    Last,

    /// <summary>The run does not start (or stops moving) until every cluster matches a stage; the message names them.</summary>
    Error,
}
