namespace Keel.Bench;

internal static class BenchClock
{
    /// <summary>A fixed epoch-millisecond base for generated timestamps, so each run's data is the same.</summary>
    public const long BaseTimestamp = 1_735_689_600_000; // 2025-01-01T00:00:00Z
}
