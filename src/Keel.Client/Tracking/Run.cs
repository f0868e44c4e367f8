namespace Keel.Client;

/// <summary>A run with its metadata, data and inputs.</summary>
public sealed record Run
{
    /// <summary>The run's metadata.</summary>
    public RunInfo Info { get; init => field = value ?? new(); } = new();

    /// <summary>The run's latest metrics, parameters and tags.</summary>
    public RunData Data { get; init => field = value ?? new(); } = new();

    /// <summary>The datasets the run used.</summary>
    public RunInputs Inputs { get; init => field = value ?? new(); } = new();
}

/// <summary>A run's metadata.</summary>
public sealed record RunInfo
{
    /// <summary>The run's id.</summary>
    public string RunId { get; init => field = value ?? ""; } = "";

    /// <summary>The run's display name.</summary>
    public string RunName { get; init => field = value ?? ""; } = "";

    /// <summary>The id of the experiment the run belongs to.</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>The user who started the run (MLflow deprecates this in favour of the <c>mlflow.user</c> tag).</summary>
    public string? UserId { get; init; }

    /// <summary>The run's status.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When the run started, in Unix epoch milliseconds.</summary>
    public long StartTime { get; init; }

    /// <summary>When the run ended, in Unix epoch milliseconds; null while it runs.</summary>
    public long? EndTime { get; init; }

    /// <summary>Where the run's artifacts live, such as <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts</c>.</summary>
    public string ArtifactUri { get; init => field = value ?? ""; } = "";

    /// <summary><c>active</c>, or <c>deleted</c> for a run that can still be restored.</summary>
    public string LifecycleStage { get; init => field = value ?? "active"; } = "active";
}

/// <summary>A run's data: the latest value of each metric, its parameters and its tags.</summary>
public sealed record RunData
{
    /// <summary>The latest value of each metric; <see cref="KeelClient.GetMetricHistoryAsync"/> returns all of them.</summary>
    public IReadOnlyList<Metric> Metrics { get; init => field = value ?? []; } = [];

    /// <summary>The run's parameters.</summary>
    public IReadOnlyList<Param> Params { get; init => field = value ?? []; } = [];

    /// <summary>The run's tags, including MLflow's system tags such as <c>mlflow.runName</c>.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];
}

/// <summary>What a run consumed.</summary>
public sealed record RunInputs
{
    /// <summary>The datasets the run used, each with tags such as <c>mlflow.data.context</c>.</summary>
    public IReadOnlyList<DatasetInput> DatasetInputs { get; init => field = value ?? []; } = [];
}
