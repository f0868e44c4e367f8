using System.Diagnostics;

namespace Keel.Bench;

/// <summary>Latency percentiles in milliseconds (nearest rank over every sample).</summary>
internal sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>Summarises Stopwatch timestamp differences.</summary>
    public static LatencySummary FromTicks(IReadOnlyCollection<long> ticks)
    {
        if (ticks.Count == 0)
        {
            throw new BenchmarkException("No request completed, so there is no latency to report.");
        }

        var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new LatencySummary(ms.Length, ms.Average(), Percentile(ms, 50), Percentile(ms, 95), Percentile(ms, 99), ms[^1]);
    }

    /// <summary>The nearest-rank percentile of ascending <paramref name="sorted"/>: the smallest value with at least p% at or below it.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
