using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Monitoring;

/// <summary>A monitor: which deployment it watches, against which reference, over which windows, judged how.</summary>
internal sealed record Monitor(
    string Name, string Deployment, string Reference, string WindowKind, long WindowSize, MonitorSettings Settings, long CreationTime);

internal static class WindowKinds
{
    public const string Time = "time";
    public const string Count = "count";
}

/// <summary>
/// What a monitor stores besides its target: drift overrides (the defaults are <see cref="DriftOptions"/>'), how
/// performance is computed from labels and when its rules fire. Null means the default.
/// </summary>
internal sealed record MonitorSettings
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Per column: "numeric" or "categorical", overriding what the reference suggests.</summary>
    public Dictionary<string, ColumnKind>? ColumnTypes { get; init; }

    /// <summary>Per column: the threshold of whichever test the column gets (a p-value or a distance).</summary>
    public Dictionary<string, double>? ColumnThresholds { get; init; }

    public double? KsPValue { get; init; }
    public double? ChiSquarePValue { get; init; }
    public double? WassersteinDistance { get; init; }
    public double? JensenShannonDistance { get; init; }
    public double? DatasetDriftShare { get; init; }

    /// <summary>The data-quality rule fires when a column's missing, type-violating, out-of-range or unseen share exceeds this.</summary>
    public double? QualityShare { get; init; }

    /// <summary>The row-count rule fires when a window holds fewer predictions than this (time windows; an empty one included).</summary>
    public long? MinRows { get; init; }

    /// <summary>"classification" or "regression"; inferred from the labels when null.</summary>
    public string? Task { get; init; }

    /// <summary>The output compared with the label; the output named "prediction", else the first output, when null.</summary>
    public string? PredictionColumn { get; init; }

    /// <summary>The output holding the positive class's score or probability, for ROC AUC.</summary>
    public string? ScoreColumn { get; init; }

    /// <summary>The positive class of a binary classifier (as text); "1" or "true" when null.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>The metric key on the serving version's source run that the window's performance is compared with.</summary>
    public string? Metric { get; init; }

    /// <summary>Which window metric is compared with <see cref="Metric"/>; guessed from the key when null.</summary>
    public string? WindowMetric { get; init; }

    /// <summary>The decay rule fires when the window's metric is worse than the run's by more than this.</summary>
    public double? DecayThreshold { get; init; }

    /// <summary>The staleness rule fires when the serving version is older than this many milliseconds.</summary>
    public long? MaxModelAgeMs { get; init; }

    public DriftOptions DriftOptions()
    {
        var defaults = new DriftOptions();
        var names = (ColumnTypes?.Keys.AsEnumerable() ?? []).Concat(ColumnThresholds?.Keys.AsEnumerable() ?? []).Distinct(StringComparer.Ordinal);
        return defaults with
        {
            KsPValue = KsPValue ?? defaults.KsPValue,
            ChiSquarePValue = ChiSquarePValue ?? defaults.ChiSquarePValue,
            WassersteinDistance = WassersteinDistance ?? defaults.WassersteinDistance,
            JensenShannonDistance = JensenShannonDistance ?? defaults.JensenShannonDistance,
            DatasetDriftShare = DatasetDriftShare ?? defaults.DatasetDriftShare,
            Columns = names.ToDictionary(n => n, n => new ColumnDriftOptions(
                ColumnTypes?.TryGetValue(n, out var kind) == true ? kind : null,
                ColumnThresholds?.TryGetValue(n, out var threshold) == true ? threshold : null), StringComparer.Ordinal),
        };
    }

    public void Validate()
    {
        foreach (var (name, value) in new (string, double?)[]
        {
            ("ks_p_value", KsPValue), ("chi_square_p_value", ChiSquarePValue), ("dataset_drift_share", DatasetDriftShare), ("quality_share", QualityShare),
        })
        {
            if (value is < 0 or > 1 || value is double.NaN)
            {
                throw KeelException.InvalidParameter($"settings.{name} must be between 0 and 1, but got {value}.");
            }
        }

        foreach (var (name, value) in new (string, double?)[]
        {
            ("wasserstein_distance", WassersteinDistance), ("jensen_shannon_distance", JensenShannonDistance), ("decay_threshold", DecayThreshold),
        })
        {
            if (value is < 0 || value is double.NaN)
            {
                throw KeelException.InvalidParameter($"settings.{name} must not be negative, but got {value}.");
            }
        }

        if (Task is not (null or "classification" or "regression"))
        {
            throw KeelException.InvalidParameter($"settings.task must be classification or regression, but got '{Task}'.");
        }

        if (WindowMetric is not null && !Performance.Metrics.Contains(WindowMetric))
        {
            throw KeelException.InvalidParameter(
                $"settings.window_metric must be one of {string.Join(", ", Performance.Metrics)}, but got '{WindowMetric}'.");
        }

        if (MinRows is < 0)
        {
            throw KeelException.InvalidParameter($"settings.min_rows must not be negative, but got {MinRows}.");
        }

        if (MaxModelAgeMs is <= 0)
        {
            throw KeelException.InvalidParameter($"settings.max_model_age_ms must be positive, but got {MaxModelAgeMs}.");
        }
    }
}

/// <summary>A stored window report: its summary columns and the full report as JSON.</summary>
internal sealed record MonitorReport(
    string Monitor, long WindowIndex, long RangeStart, long RangeEnd, long ComputedTime, long Rows, long Labelled,
    bool DatasetDrift, double DriftShare, bool Dirty, JsonElement Report);

internal sealed record MonitorAlert(
    long AlertId, string Monitor, string Deployment, string Rule, string Subject, string Status, string Message, double? Value,
    double? Threshold, long OpenedTime, long OpenedWindow, long? ResolvedTime, long? ResolvedWindow);

internal static class AlertStatus
{
    public const string Open = "OPEN";
    public const string Resolved = "RESOLVED";
}
