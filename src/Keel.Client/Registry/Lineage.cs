namespace Keel.Client;

/// <summary>Where a model version came from: the version, the run that produced it, and where it is deployed.</summary>
public sealed record ModelVersionLineage
{
    /// <summary>The version.</summary>
    public ModelVersion ModelVersion { get; init => field = value ?? new(); } = new();

    /// <summary>The run that produced the version; null when it was registered from a location outside any run.</summary>
    public LineageRun? Run { get; init; }

    /// <summary>The Keel dataset versions the run logged as inputs (<c>data:/NAME@VERSION</c>), in the order it logged them.</summary>
    public IReadOnlyList<LineageDataVersion> DataVersions { get; init => field = value ?? []; } = [];

    /// <summary>The deployments whose latest revision serves the version, once per role (primary, canary, shadow).</summary>
    public IReadOnlyList<LineageDeployment> Deployments { get; init => field = value ?? []; } = [];
}

/// <summary>The run behind a model version, with what it was trained on and how it scored.</summary>
public sealed record LineageRun
{
    /// <summary>The run's id.</summary>
    public string RunId { get; init => field = value ?? ""; } = "";

    /// <summary>The run's display name.</summary>
    public string RunName { get; init => field = value ?? ""; } = "";

    /// <summary>The id of the run's experiment.</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>The name of the run's experiment, if it still exists.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>The run's status.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When the run started, in Unix epoch milliseconds.</summary>
    public long StartTime { get; init; }

    /// <summary>When the run ended, in Unix epoch milliseconds; null while it runs.</summary>
    public long? EndTime { get; init; }

    /// <summary>Who ran it: the <c>mlflow.user</c> tag, else the run's user id.</summary>
    public string? User { get; init; }

    /// <summary><c>active</c>, or <c>deleted</c>.</summary>
    public string LifecycleStage { get; init => field = value ?? "active"; } = "active";

    /// <summary>The run's artifact root.</summary>
    public string ArtifactUri { get; init => field = value ?? ""; } = "";

    /// <summary>The run's parameters.</summary>
    public IReadOnlyList<Param> Params { get; init => field = value ?? []; } = [];

    /// <summary>The latest value of each of the run's metrics.</summary>
    public IReadOnlyList<Metric> Metrics { get; init => field = value ?? []; } = [];

    /// <summary>The datasets the run used.</summary>
    public IReadOnlyList<LineageDataset> Datasets { get; init => field = value ?? []; } = [];
}

/// <summary>A dataset a run used.</summary>
public sealed record LineageDataset
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>A hash of its content.</summary>
    public string Digest { get; init => field = value ?? ""; } = "";

    /// <summary>The kind of source, such as <c>local</c> or <c>s3</c>.</summary>
    public string SourceType { get; init => field = value ?? ""; } = "";

    /// <summary>Where the data came from, as MLflow's JSON string.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>What the run used it for: its <c>mlflow.data.context</c> tag, such as <c>training</c>.</summary>
    public string? Context { get; init; }
}

/// <summary>A Keel dataset version a model version's run was trained or evaluated on.</summary>
public sealed record LineageDataVersion
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The version number.</summary>
    public long Version { get; init; }

    /// <summary>The SHA-256 of the version's manifest, as <see cref="DatasetVersion.Digest"/>.</summary>
    public string Digest { get; init => field = value ?? ""; } = "";

    /// <summary>The URI the run logged: <c>data:/NAME@VERSION</c>.</summary>
    public string Uri { get; init => field = value ?? ""; } = "";

    /// <summary>What the run used it for: its <c>mlflow.data.context</c> tag, such as <c>training</c>.</summary>
    public string? Context { get; init; }
}

/// <summary>A deployment serving a model version, by the version its latest revision resolved when it was made.</summary>
public sealed record LineageDeployment
{
    /// <summary>The deployment's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The deployment's latest revision.</summary>
    public long Revision { get; init; }

    /// <summary>That revision's status: PENDING, LIVE or FAILED.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>How the revision serves the version: <c>primary</c>, <c>canary</c> or <c>shadow</c>.</summary>
    public string Role { get; init => field = value ?? ""; } = "";

    /// <summary>The share of traffic the version answers, in percent; null for a shadow, which answers none.</summary>
    public long? Percent { get; init; }
}

/// <summary>A model card: what a reader needs to know before using a model version.</summary>
public sealed record ModelCard
{
    /// <summary>The model-version tag holding the card's intended-use text.</summary>
    public const string IntendedUseTag = "keel.card.intended_use";

    /// <summary>The model-version tag holding the card's limitations text.</summary>
    public const string LimitationsTag = "keel.card.limitations";

    /// <summary>The registered model's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The version number.</summary>
    public long Version { get; init; }

    /// <summary>The version's description.</summary>
    public string? Description { get; init; }

    /// <summary>The version's stage.</summary>
    public string CurrentStage { get; init => field = value ?? ModelStages.None; } = ModelStages.None;

    /// <summary>The aliases pointing at the version.</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];

    /// <summary>Where the version was registered from.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>The run that produced the version, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The version's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>Who registered the version, from the registry's change log.</summary>
    public string? RegisteredBy { get; init; }

    /// <summary>When it was registered, in Unix epoch milliseconds.</summary>
    public long? RegisteredAt { get; init; }

    /// <summary>What the version is meant for: the <see cref="IntendedUseTag"/> tag.</summary>
    public string? IntendedUse { get; init; }

    /// <summary>Where it should not be relied on: the <see cref="LimitationsTag"/> tag.</summary>
    public string? Limitations { get; init; }

    /// <summary>The signature from the version's MLmodel file; null when the server has no MLmodel with one.</summary>
    public ModelCardSignature? Signature { get; init; }

    /// <summary>The run behind the version; null when it came from outside any run.</summary>
    public LineageRun? Run { get; init; }

    /// <summary>The datasets the run used.</summary>
    public IReadOnlyList<LineageDataset> TrainingData { get; init => field = value ?? []; } = [];

    /// <summary>The run's latest metrics.</summary>
    public IReadOnlyList<Metric> Metrics { get; init => field = value ?? []; } = [];

    /// <summary>The run's parameters.</summary>
    public IReadOnlyList<Param> Params { get; init => field = value ?? []; } = [];

    /// <summary>Stage transitions and alias changes that concerned the version, oldest first.</summary>
    public IReadOnlyList<ModelVersionHistoryEntry> History { get; init => field = value ?? []; } = [];
}

/// <summary>A model's input, output and parameter schema as a model card shows it, from its MLmodel file.</summary>
public sealed record ModelCardSignature
{
    /// <summary>The input fields.</summary>
    public IReadOnlyList<SignatureField> Inputs { get; init => field = value ?? []; } = [];

    /// <summary>The output fields.</summary>
    public IReadOnlyList<SignatureField> Outputs { get; init => field = value ?? []; } = [];

    /// <summary>The inference parameters.</summary>
    public IReadOnlyList<SignatureField> Params { get; init => field = value ?? []; } = [];
}

/// <summary>One field of a signature.</summary>
/// <param name="Name">The field's name; null for an unnamed tensor.</param>
/// <param name="Type">MLflow's type, such as <c>double</c>, <c>tensor float32 (-1, 4)</c> or <c>array&lt;string&gt;</c>.</param>
/// <param name="Required">False for an optional column.</param>
public sealed record SignatureField(string? Name, string Type, bool Required = true);

/// <summary>A stage transition or alias change of a model version, from the registry's change log.</summary>
public sealed record ModelVersionHistoryEntry
{
    /// <summary>The change-log event's id; ids grow with time.</summary>
    public long Id { get; init; }

    /// <summary>When it happened, in Unix epoch milliseconds.</summary>
    public long Time { get; init; }

    /// <summary>Who did it (the <c>X-Keel-User</c> header until authentication exists).</summary>
    public string Actor { get; init => field = value ?? ""; } = "";

    /// <summary>The event, such as <c>MODEL_VERSION_ALIAS_CREATED</c> or <c>MODEL_VERSION_TRANSITIONED_STAGE</c>.</summary>
    public string EventType { get; init => field = value ?? ""; } = "";

    /// <summary>The change in words, such as <c>stage None → Production</c>.</summary>
    public string Change { get; init => field = value ?? ""; } = "";

    /// <summary>The alias, for alias events.</summary>
    public string? Alias { get; init; }

    /// <summary>The version the event is about (where an alias went).</summary>
    public long? Version { get; init; }

    /// <summary>The version an alias pointed at before it moved.</summary>
    public long? PreviousVersion { get; init; }

    /// <summary>The stage before a transition.</summary>
    public string? FromStage { get; init; }

    /// <summary>The stage after a transition.</summary>
    public string? ToStage { get; init; }
}
