using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Client;

/// <summary>A monitor: a deployment watched over windows against a reference.</summary>
public sealed record ModelMonitor
{
    /// <summary>The monitor's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The deployment it watches.</summary>
    public string Deployment { get; init => field = value ?? ""; } = "";

    /// <summary><c>data:/NAME@VERSION</c>, or <c>training</c> for the data the serving version's source run logged.</summary>
    public string Reference { get; init => field = value ?? ""; } = "";

    /// <summary><c>time</c> (windows of <see cref="WindowSize"/> milliseconds) or <c>count</c> (windows of <see cref="WindowSize"/> predictions).</summary>
    public string WindowKind { get; init => field = value ?? ""; } = "";

    /// <summary>The window's length in milliseconds or predictions.</summary>
    public long WindowSize { get; init; }

    /// <summary>Column type overrides, thresholds and rule settings, as the server stores them.</summary>
    public JsonElement Settings { get; init; }

    /// <summary>When it was created (Unix epoch milliseconds).</summary>
    public long CreationTime { get; init; }
}

/// <summary>The report of one window. <see cref="Report"/> holds drift, quality and performance in full (absent in lists).</summary>
public sealed record MonitorReport
{
    /// <summary>The window's index: time windows count from the Unix epoch, count windows from the deployment's first prediction.</summary>
    public long Window { get; init; }

    /// <summary>Start of the window: Unix ms for time windows, the first prediction's log position for count windows.</summary>
    public long RangeStart { get; init; }

    /// <summary>End of the window (exclusive), in the same unit as <see cref="RangeStart"/>.</summary>
    public long RangeEnd { get; init; }

    /// <summary>When the report was computed (Unix epoch milliseconds).</summary>
    public long ComputedTime { get; init; }

    /// <summary>Predictions in the window.</summary>
    public long Rows { get; init; }

    /// <summary>Predictions in the window with a label.</summary>
    public long Labelled { get; init; }

    /// <summary>Whether the share of drifted features reached the dataset-drift threshold.</summary>
    public bool DatasetDrift { get; init; }

    /// <summary>Drifted features / tested features.</summary>
    public double DriftShare { get; init; }

    /// <summary>A label arrived after the report was computed; the next evaluation computes it again.</summary>
    public bool Dirty { get; init; }

    /// <summary>The full report as JSON.</summary>
    public JsonElement? Report { get; init; }
}

/// <summary>What an evaluation computed.</summary>
/// <param name="ComputedWindows">The windows computed by this call (closed new windows, and windows with late labels).</param>
/// <param name="Latest">The newest report after the call, if any.</param>
public sealed record MonitorEvaluation(IReadOnlyList<long> ComputedWindows, MonitorReport? Latest);

/// <summary>An alert: a rule that fired on a window, open until a later window clears it.</summary>
public sealed record MonitorAlert
{
    /// <summary>The alert's id.</summary>
    public long AlertId { get; init; }

    /// <summary>The monitor whose rule fired.</summary>
    public string Monitor { get; init => field = value ?? ""; } = "";

    /// <summary>The monitored deployment.</summary>
    public string Deployment { get; init => field = value ?? ""; } = "";

    /// <summary><c>dataset_drift</c>, <c>feature_drift</c>, <c>data_quality</c>, <c>decay</c> or <c>staleness</c>.</summary>
    public string Rule { get; init => field = value ?? ""; } = "";

    /// <summary>The feature of a <c>feature_drift</c> alert; empty otherwise.</summary>
    public string Subject { get; init => field = value ?? ""; } = "";

    /// <summary><c>OPEN</c> or <c>RESOLVED</c>.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>Why the rule fired, with the numbers.</summary>
    public string Message { get; init => field = value ?? ""; } = "";

    /// <summary>The value the rule judged.</summary>
    public double? Value { get; init; }

    /// <summary>The rule's threshold.</summary>
    public double? Threshold { get; init; }

    /// <summary>When the alert opened (Unix epoch milliseconds).</summary>
    public long OpenedTime { get; init; }

    /// <summary>The window that opened it.</summary>
    public long OpenedWindow { get; init; }

    /// <summary>When it was resolved, if it was.</summary>
    public long? ResolvedTime { get; init; }

    /// <summary>The window that resolved it, if one did.</summary>
    public long? ResolvedWindow { get; init; }
}

/// <summary>The ground truth of one prediction.</summary>
/// <param name="PredictionId">The prediction's id (the serving host's response header, or the log's prediction_id).</param>
/// <param name="Label">The true label: a number, string or boolean.</param>
public sealed record PredictionLabel(string PredictionId, JsonNode Label);

/// <summary>A label the server refused, and why.</summary>
/// <param name="PredictionId">The id sent.</param>
/// <param name="Reason">Why: unknown prediction id, another deployment's prediction, a bad label.</param>
public sealed record RejectedLabel(string? PredictionId, string Reason);

/// <summary>What the server made of a batch of labels.</summary>
/// <param name="Accepted">Labels stored.</param>
/// <param name="Rejected">Labels refused, each with its reason.</param>
public sealed record FeedbackResult(int Accepted, IReadOnlyList<RejectedLabel> Rejected);
