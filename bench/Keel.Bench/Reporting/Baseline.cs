namespace Keel.Bench.Reporting;

/// <summary>
/// The goals of the tracking benchmark and MLflow's numbers for the same workloads. The MLflow numbers were
/// measured earlier on this machine kind (2 cores), not by this program: they are constants, for comparison.
/// </summary>
internal static class Baseline
{
    public const string Source =
        "MLflow 2.10.2 tracking server, SQLite backend, 4 workers, same machine kind; measured earlier, not in this run.";

    public static Target IngestPointsPerSecond { get; } =
        new("log-batch ingest throughput", "points/s", HigherIsBetter: true, Goal: 500_000, Baseline: 26_449);

    // With the database on the same two cores as the server and the client.
    public static Target PostgresIngestPointsPerSecond { get; } =
        new("log-batch ingest throughput [PostgreSQL]", "points/s", HigherIsBetter: true, Goal: 300_000, Baseline: 26_449);

    public static Target LogMetricRequestsPerSecond { get; } =
        new("single log-metric throughput", "requests/s", HigherIsBetter: true, Goal: 20_000, Baseline: 403);

    public static Target SearchP95 { get; } =
        new("search p95 latency (metric filter, metric order)", "ms", HigherIsBetter: false, Goal: 20, Baseline: 683);

    // MLflow's run covered the query only; the second query shares the goal but has no baseline.
    public static Target SearchByTagP95 { get; } =
        new("search p95 latency (tag LIKE filter, param order)", "ms", HigherIsBetter: false, Goal: 20, Baseline: null);

    // Judged on p95 rather than the median, so a goal reads as met only when slow outliers meet it too.
    public static Target HistoryP95 { get; } =
        new("100,000-point get-history p95 latency", "ms", HigherIsBetter: false, Goal: 100, Baseline: 3_032);

    public static IReadOnlyDictionary<string, double> Numbers { get; } = new Dictionary<string, double>
    {
        ["log_batch_points_per_second"] = 26_449,
        ["log_metric_requests_per_second"] = 403,
        ["search_p95_ms"] = 683,
        ["history_100k_points_ms"] = 3_032,
    };
}
