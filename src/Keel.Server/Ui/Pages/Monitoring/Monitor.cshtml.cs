using System.Text.Json;
using Keel.Core;
using Keel.Core.Monitoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Monitoring;

/// <summary>
/// One monitor: drift over its recent windows per feature (a chart and a windows × features grid), one window's report
/// with reference and current distributions (the latest, or <c>?window=N</c>), performance over time once labels
/// arrive, and its alerts. Everything is read from the stored reports; nothing is computed again here.
/// </summary>
internal sealed class MonitorModel(MonitorStore store) : PageModel
{
    /// <summary>How many of the newest windows the chart and the grid show.</summary>
    public const int Windows = 60;

    public Keel.Core.Monitoring.Monitor Monitor { get; private set; } = null!;

    /// <summary>The newest windows, oldest first.</summary>
    public IReadOnlyList<(MonitorReport Stored, WindowReport Report)> Reports { get; private set; } = [];

    public IReadOnlyList<string> Features { get; private set; } = [];

    public (MonitorReport Stored, WindowReport Report)? Selected { get; private set; }

    public IReadOnlyList<MonitorAlert> Alerts { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, long? window, CancellationToken ct)
    {
        try
        {
            Monitor = await store.GetAsync(name, ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return NotFound();
        }

        Reports = (await store.ReportsAsync(name, null, Windows, ct)).Reverse().Select(r => (r, MonitorViews.Parse(r))).ToList();
        Features = Reports.SelectMany(r => r.Report.Drift?.Columns ?? []).Select(c => c.Column).Distinct(StringComparer.Ordinal).ToList();
        if (window is { } w)
        {
            try
            {
                var stored = await store.ReportAsync(name, w, ct);
                Selected = (stored, MonitorViews.Parse(stored));
            }
            catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
            {
                Error = e.Message;
            }
        }
        else if (Reports.Count > 0)
        {
            Selected = Reports[^1];
        }

        Alerts = await store.AlertsAsync(name, null, 100, null, null, await Authorisation.ScopeAsync(HttpContext, ct), ct);
        return Page();
    }

    public static ColumnDrift? Column(WindowReport report, string feature) => report.Drift?.Columns.FirstOrDefault(c => c.Column == feature);

    /// <summary>
    /// Per feature and window the number its rule compares (the p-value of KS and chi-square, else the distance), with
    /// one dashed line per distinct threshold: tests of both kinds share the chart, so each line is labelled with its rule.
    /// </summary>
    public string DriftChart()
    {
        var series = Features.Select(f => new ChartSeries(f, Reports.Select(r => Column(r.Report, f) is { } c ? c.PValue ?? c.Statistic : null).ToList(), false)).ToList();
        var thresholds = Reports.SelectMany(r => r.Report.Drift?.Columns ?? []).Where(c => c.Threshold is not null)
            .GroupBy(c => (c.Threshold, c.PValue is null)).Select(g => new ChartSeries(
                $"threshold {(g.Key.Item2 ? "distance ≥" : "p-value <")} {UiFormat.Number(g.Key.Threshold!.Value)}",
                Reports.Select(_ => g.Key.Threshold).ToList(), true));
        return Chart([.. series, .. thresholds]);
    }

    /// <summary>The window metrics per window and, when the monitor checks decay, the source run's value to compare with.</summary>
    public string? PerformanceChart()
    {
        if (Reports.Select(r => r.Report.Performance).OfType<WindowPerformance>().FirstOrDefault() is not { } first)
        {
            return null;
        }

        var series = MonitorViews.Metrics(first).Select(m => new ChartSeries(m, Reports.Select(r => r.Report.Performance?.Get(m)).ToList(), false)).ToList();
        if (Reports.Select(r => r.Report.Decay).OfType<DecayCheck>().LastOrDefault() is { } decay)
        {
            series.Add(new ChartSeries($"source run {decay.RunMetric}", Reports.Select(r => r.Report.Decay?.Baseline).ToList(), true));
        }

        return Chart(series);
    }

    private string Chart(IReadOnlyList<ChartSeries> series) => JsonSerializer.Serialize(new
    {
        x = Reports.Select(r => r.Stored.WindowIndex),
        series = series.Select(s => new { label = s.Label, values = s.Values.Select(v => v is { } d && double.IsFinite(d) ? v : null), dash = s.Dashed }),
    });

    private sealed record ChartSeries(string Label, IReadOnlyList<double?> Values, bool Dashed);
}
