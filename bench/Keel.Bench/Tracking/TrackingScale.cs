namespace Keel.Bench.Tracking;

/// <summary>How big each workload is; <see cref="Quick"/> is the full size scaled down about 10x for a smoke run.</summary>
/// <remarks>
/// Warm-ups are long enough for the runtime's tiered JIT to finish: hot framework code passes through an
/// instrumented tier for dynamic PGO first, and the first ~15 history requests run 1.5-2x slower than steady state.
/// </remarks>
internal sealed record TrackingScale(
    string Mode,
    int IngestPoints,
    TimeSpan IngestTimeLimit,
    TimeSpan LogMetricDuration,
    int SearchRuns,
    int SearchWarmup,
    int SearchRequests,
    int HistoryPoints,
    int HistoryWarmup,
    int HistoryRequests)
{
    public const int BatchSize = 1000;
    public const int IngestConnections = 8;
    public const int IngestRuns = 8;
    public const int IngestKeys = 4;
    public const int LogMetricClients = 16;
    public const int LogMetricWarmupPerClient = 200;
    public const int SetupConnections = 8;

    public static TrackingScale Full { get; } = new(
        "full", 2_000_000, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(10), 10_000, 50, 200, 100_000, 30, 50);

    public static TrackingScale Quick { get; } = new(
        "quick", 200_000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), 1_000, 5, 20, 10_000, 2, 5);
}
