namespace Keel.Bench.Reporting;

/// <summary>One measured number with what produced it, what it cost each side, and how it was checked.</summary>
internal sealed record Measurement(
    string Name,
    string Workload,
    IReadOnlyDictionary<string, object> Parameters,
    double Value,
    string Unit,
    LatencySummary? LatencyMs,
    PhaseCost Cost,
    string Verified,
    IReadOnlyList<GoalResult> Goals);
