namespace Keel.Client;

/// <summary>An experiment: a named group of runs.</summary>
public sealed record Experiment
{
    /// <summary>The experiment's id, a string on the wire even when it looks like a number.</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>The experiment's unique name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Where the experiment's artifacts are stored, such as <c>mlflow-artifacts:/1</c>.</summary>
    public string? ArtifactLocation { get; init; }

    /// <summary><c>active</c>, or <c>deleted</c> for an experiment that can still be restored.</summary>
    public string LifecycleStage { get; init => field = value ?? "active"; } = "active";

    /// <summary>When the experiment was created, in Unix epoch milliseconds.</summary>
    public long CreationTime { get; init; }

    /// <summary>When the experiment was last changed, in Unix epoch milliseconds.</summary>
    public long LastUpdateTime { get; init; }

    /// <summary>The experiment's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];
}
