namespace Keel.Client;

/// <summary>What used a dataset version: the runs that logged it as an input and the model versions registered from them.</summary>
public sealed record DatasetLineage
{
    /// <summary>The version.</summary>
    public DatasetVersion Version { get; init => field = value ?? new(); } = new();

    /// <summary>Its input URI, <c>data:/NAME@VERSION</c>.</summary>
    public string Uri { get; init => field = value ?? ""; } = "";

    /// <summary>Runs that logged the version as an input, oldest first; deleted runs are listed with their lifecycle stage.</summary>
    public IReadOnlyList<DatasetLineageRun> Runs { get; init => field = value ?? []; } = [];

    /// <summary>Registered model versions whose source run is one of <see cref="Runs"/>.</summary>
    public IReadOnlyList<DatasetLineageModelVersion> ModelVersions { get; init => field = value ?? []; } = [];
}

/// <summary>A run that used a dataset version.</summary>
public sealed record DatasetLineageRun
{
    /// <summary>The run's id.</summary>
    public string RunId { get; init => field = value ?? ""; } = "";

    /// <summary>The run's name.</summary>
    public string RunName { get; init => field = value ?? ""; } = "";

    /// <summary>Its experiment's id.</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>RUNNING, FINISHED, FAILED, ...</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string LifecycleStage { get; init => field = value ?? ""; } = "";

    /// <summary>When the run started (Unix epoch milliseconds).</summary>
    public long StartTime { get; init; }
}

/// <summary>A registered model version trained by a run that used a dataset version.</summary>
public sealed record DatasetLineageModelVersion
{
    /// <summary>The registered model's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The model version.</summary>
    public string Version { get; init => field = value ?? ""; } = "";

    /// <summary>The run it was registered from.</summary>
    public string RunId { get; init => field = value ?? ""; } = "";

    /// <summary>Its stage (MLflow's legacy stages; <c>None</c> when unused).</summary>
    public string CurrentStage { get; init => field = value ?? ""; } = "";
}
