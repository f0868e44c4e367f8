using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Monitoring;

namespace Keel.Server.Ui.Pages.Monitoring;

/// <summary>How the monitoring pages read stored window reports and say what they mean in a table cell.</summary>
internal static class MonitorViews
{
    // The shape MonitorEvaluator stores: snake_case, NaN and infinities as named literals.
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static WindowReport Parse(MonitorReport report) => report.Report.Deserialize<WindowReport>(ReportJson)
        ?? throw new InvalidOperationException($"Monitor '{report.Monitor}' stored an empty report for window {report.WindowIndex}.");

    public static string Window(Keel.Core.Monitoring.Monitor m) => m.WindowKind == WindowKinds.Count
        ? $"every {m.WindowSize.ToString("N0", CultureInfo.InvariantCulture)} predictions"
        : TimeSpan.FromMilliseconds(m.WindowSize) switch
        {
            { TotalDays: >= 1 } d when d.TotalDays % 1 == 0 => $"{d.TotalDays} d",
            { TotalHours: >= 1 } h when h.TotalHours % 1 == 0 => $"{h.TotalHours} h",
            { TotalMinutes: >= 1 } m2 when m2.TotalMinutes % 1 == 0 => $"{m2.TotalMinutes} min",
            var s => $"{s.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        };

    /// <summary>The drift verdict of a window: which features drifted, or why nothing was tested.</summary>
    public static (string Text, string Css) Drift(WindowReport report)
    {
        if (report.Drift is not { } drift)
        {
            return (report.Message ?? "not tested", "none");
        }

        var drifted = drift.Columns.Where(c => c.Drifted == true).Select(c => c.Column).ToList();
        return drifted.Count == 0
            ? ($"no drift ({drift.TestedColumns} tested)", "ok")
            : ($"drift in {string.Join(", ", drifted)}" + (drift.DatasetDrift ? " (dataset drift)" : ""), "drift");
    }

    /// <summary>The metrics a window's performance is shown by: accuracy and F1 for classification, MAE and RMSE for regression.</summary>
    public static IReadOnlyList<string> Metrics(WindowPerformance p) => p.Task == "regression" ? ["mae", "rmse"] : ["accuracy", "f1"];

    public static (string Text, string Css) Performance(WindowReport report)
    {
        if (report.Performance is not { } p)
        {
            return ("no labels", "none");
        }

        var text = string.Join(", ", Metrics(p).Select(m => p.Get(m) is { } v ? $"{m} {UiFormat.Number(Math.Round(v, 4))}" : null).OfType<string>());
        return report.Decay is { Decayed: true } d
            ? ($"{text}; decayed ({d.WindowMetric} {UiFormat.Number(Math.Round(d.Window, 4))} vs run {UiFormat.Number(Math.Round(d.Baseline, 4))})", "drift")
            : (text, "ok");
    }

    public static string CellClass(bool? drifted) => drifted switch { true => "drift", false => "ok", null => "none" };
}
