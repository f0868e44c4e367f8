using System.Text.Json;

namespace Keel.Client;

/// <summary>
/// What produced one logged answer: the prediction, the deployment revision that served it, and the model version
/// with its history, source run and data.
/// </summary>
public sealed record PredictionTrace
{
    /// <summary>The prediction as the log holds it.</summary>
    public LoggedPrediction Prediction { get; init => field = value ?? new(); } = new();

    /// <summary>The revision that served it; null for a prediction logged outside a deployment or whose deployment was deleted.</summary>
    public DeploymentRevision? DeploymentRevision { get; init; }

    /// <summary>The model version's card (history of aliases and stages, source run, params, metrics, training data); null if the version was deleted.</summary>
    public ModelCard? ModelVersion { get; init; }

    /// <summary>The Keel dataset versions the source run logged as inputs.</summary>
    public IReadOnlyList<LineageDataVersion> DataVersions { get; init => field = value ?? []; } = [];
}

/// <summary>One row of the prediction log: an input row, the answer, and the model and revision that gave it.</summary>
public sealed record LoggedPrediction
{
    /// <summary>The prediction's id (a UUID; serving hosts return one per input row in <c>X-Keel-Prediction-Id</c>).</summary>
    public string PredictionId { get; init => field = value ?? ""; } = "";

    /// <summary>The registered model's name.</summary>
    public string ModelName { get; init => field = value ?? ""; } = "";

    /// <summary>The version that answered.</summary>
    public long ModelVersion { get; init; }

    /// <summary>The deployment, if a deployment served it.</summary>
    public string? Deployment { get; init; }

    /// <summary>The deployment's revision at the time.</summary>
    public long? Revision { get; init; }

    /// <summary>The client's <c>X-Keel-Request-Key</c>, if it sent one.</summary>
    public string? RequestKey { get; init; }

    /// <summary>The input row, as a JSON object of column to value.</summary>
    public JsonElement Inputs { get; init; }

    /// <summary>The model's answer for the row.</summary>
    public JsonElement Outputs { get; init; }

    /// <summary>How long the model call took, in microseconds.</summary>
    public long LatencyMicros { get; init; }

    /// <summary>When it was answered (Unix epoch milliseconds).</summary>
    public long Time { get; init; }

    /// <summary>Whether a shadow model gave it (logged, never returned).</summary>
    public bool Shadow { get; init; }
}
