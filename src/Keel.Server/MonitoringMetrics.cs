using System.Text.Json;
using Keel.Core.Monitoring;
using Prometheus;

namespace Keel.Server;

/// <summary>
/// Prometheus gauges of every monitor's latest report, per deployment. They are read from the database at scrape
/// time rather than kept in memory, so every replica answers the same and a replica that computed nothing still
/// reports what others computed. Series of features or metrics a newer report no longer has are dropped.
/// </summary>
internal sealed class MonitoringMetrics
{
    private static readonly string[] PerformanceMetrics = Performance.Metrics;

    private readonly Gauge _share;
    private readonly Gauge _drift;
    private readonly Gauge _rows;
    private readonly Gauge _statistic;
    private readonly Gauge _featureDrifted;
    private readonly Gauge _performance;
    private readonly Gauge _openAlerts;

    // The store is resolved at scrape time, not here: building the server must not open the database, so that a bad
    // --db is reported by start-up as one line.
    public MonitoringMetrics(IServiceProvider services, CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(Registry);
        string[] labels = ["deployment", "monitor"];
        _share = factory.CreateGauge("keel_monitor_drift_share", "Share of drifted features in the latest window.", labels);
        _drift = factory.CreateGauge("keel_monitor_dataset_drift", "1 when the latest window has dataset drift.", labels);
        _rows = factory.CreateGauge("keel_monitor_window_rows", "Predictions in the latest window.", labels);
        _statistic = factory.CreateGauge("keel_monitor_feature_statistic",
            "The latest window's test statistic per feature (KS D, chi-square, normalised Wasserstein or Jensen-Shannon distance).", [.. labels, "feature", "test"]);
        _featureDrifted = factory.CreateGauge("keel_monitor_feature_drifted", "1 when the feature drifted in the latest window.", [.. labels, "feature"]);
        _performance = factory.CreateGauge("keel_monitor_performance", "The latest window's performance on labelled predictions.", [.. labels, "metric"]);
        _openAlerts = factory.CreateGauge("keel_monitor_open_alerts", "Open alerts of the monitor.", labels);
        Registry.AddBeforeCollectCallback(async ct => await RefreshAsync(services.GetRequiredService<MonitorStore>(), ct));
    }

    public CollectorRegistry Registry { get; }

    private async Task RefreshAsync(MonitorStore store, CancellationToken ct)
    {
        var reports = await store.LatestReportsAsync(ct);
        var monitors = (await store.ListAsync(ct: ct)).ToDictionary(m => m.Name, StringComparer.Ordinal);
        var open = (await store.AlertsAsync(null, AlertStatus.Open, 1000, null, null, ct: ct)).GroupBy(a => a.Monitor).ToDictionary(g => g.Key, g => g.Count());
        foreach (var gauge in new[] { _share, _drift, _rows, _statistic, _featureDrifted, _performance, _openAlerts })
        {
            foreach (var values in gauge.GetAllLabelValues().ToList())
            {
                gauge.RemoveLabelled(values);
            }
        }

        foreach (var r in reports)
        {
            if (!monitors.TryGetValue(r.Monitor, out var monitor))
            {
                continue;
            }

            var d = monitor.Deployment;
            _share.WithLabels(d, r.Monitor).Set(r.DriftShare);
            _drift.WithLabels(d, r.Monitor).Set(r.DatasetDrift ? 1 : 0);
            _rows.WithLabels(d, r.Monitor).Set(r.Rows);
            _openAlerts.WithLabels(d, r.Monitor).Set(open.GetValueOrDefault(r.Monitor));
            if (r.Report.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (r.Report.TryGetProperty("drift", out var drift) && drift.TryGetProperty("columns", out var columns))
            {
                foreach (var c in columns.EnumerateArray())
                {
                    var feature = c.GetProperty("column").GetString()!;
                    if (c.TryGetProperty("statistic", out var statistic) && statistic.ValueKind == JsonValueKind.Number)
                    {
                        _statistic.WithLabels(d, r.Monitor, feature, c.GetProperty("test").GetString() ?? "").Set(statistic.GetDouble());
                    }

                    if (c.TryGetProperty("drifted", out var drifted) && drifted.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        _featureDrifted.WithLabels(d, r.Monitor, feature).Set(drifted.GetBoolean() ? 1 : 0);
                    }
                }
            }

            if (r.Report.TryGetProperty("performance", out var performance))
            {
                foreach (var metric in PerformanceMetrics)
                {
                    if (performance.TryGetProperty(metric, out var value) && value.ValueKind == JsonValueKind.Number)
                    {
                        _performance.WithLabels(d, r.Monitor, metric).Set(value.GetDouble());
                    }
                }
            }
        }
    }
}
