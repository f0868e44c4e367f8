using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Monitoring;

// The monitoring schema: monitors, one report row per evaluated window, ground-truth labels and alerts. The stores
// read and write it with portable SQL; these classes exist so that one EF model owns the schema and its migrations.

internal sealed class MonitorRow
{
    public required string Name { get; set; }
    public required string Deployment { get; set; }

    // data:/NAME@VERSION, or "training" for the data:/ inputs the serving version's source run logged.
    public required string Reference { get; set; }

    // "time" (WindowSize in milliseconds, windows aligned to multiples of it) or "count" (WindowSize predictions).
    public required string WindowKind { get; set; }
    public long WindowSize { get; set; }

    // MonitorSettings as JSON: column overrides, thresholds, performance and alert rules.
    public required string Settings { get; set; }
    public long CreationTime { get; set; }
}

/// <summary>
/// One window of one monitor. Its primary key is the claim: the replica whose insert succeeds computes the window,
/// so two replicas never compute one window twice.
/// </summary>
internal sealed class MonitorReportRow
{
    public required string Monitor { get; set; }
    public long WindowIndex { get; set; }

    // Time windows: [start, end) in Unix ms. Count windows: the predictions' seq range, [first, last + 1).
    public long RangeStart { get; set; }
    public long RangeEnd { get; set; }

    // CLAIMED while a replica computes it (ClaimTime says since when, so a dead replica's claim lapses), then DONE.
    public required string Status { get; set; }
    public long ClaimTime { get; set; }
    public long ComputedTime { get; set; }
    public long Rows { get; set; }
    public long Labelled { get; set; }
    public bool DatasetDrift { get; set; }
    public double DriftShare { get; set; }

    // A label arrived for a prediction in the window after it was computed: the next round computes it again.
    public bool Dirty { get; set; }
    public string? Report { get; set; }
}

/// <summary>The ground truth of one prediction; a later label for the same prediction replaces it.</summary>
internal sealed class PredictionLabelRow
{
    public required string PredictionId { get; set; }
    public required string Deployment { get; set; }

    // The label as JSON (a number, string or boolean).
    public required string Label { get; set; }
    public long Time { get; set; }
}

internal sealed class MonitorAlertRow
{
    public long AlertId { get; set; }
    public required string Monitor { get; set; }
    public required string Deployment { get; set; }
    public required string Rule { get; set; }

    // What the rule is about: the column of a feature-drift alert, "" for rules about the whole window.
    public required string Subject { get; set; }

    // "monitor/rule/subject" while the alert is open, null once resolved: its unique index allows one open alert per
    // monitor, rule and subject on every replica, with any number of resolved ones (NULLs are distinct on both engines).
    public string? OpenKey { get; set; }
    public required string Status { get; set; }
    public required string Message { get; set; }
    public double? Value { get; set; }
    public double? Threshold { get; set; }
    public long OpenedTime { get; set; }
    public long OpenedWindow { get; set; }
    public long? ResolvedTime { get; set; }
    public long? ResolvedWindow { get; set; }
}

internal static class MonitoringModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<MonitorRow>(e =>
        {
            e.ToTable("monitors").HasKey(x => x.Name);
            e.HasIndex(x => x.Deployment);
        });
        model.Entity<MonitorReportRow>(e =>
        {
            e.ToTable("monitor_reports").HasKey(x => new { x.Monitor, x.WindowIndex });
            e.HasOne<MonitorRow>().WithMany().HasForeignKey(x => x.Monitor).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PredictionLabelRow>(e => e.ToTable("prediction_labels").HasKey(x => x.PredictionId));
        model.Entity<MonitorAlertRow>(e =>
        {
            e.ToTable("monitor_alerts").HasKey(x => x.AlertId);
            e.HasIndex(x => x.OpenKey).IsUnique();
            e.HasIndex(x => new { x.Monitor, x.AlertId });
        });
    }
}
