using System.Collections.Concurrent;
using System.Diagnostics;

namespace Keel.Core.Monitoring;

/// <summary>
/// Time per step of a drift report, summed over the columns (which run in parallel), for the benchmark. The clock
/// is the caller's: wall time by default, or a per-thread CPU clock so that a busy machine does not inflate steps.
/// </summary>
internal sealed class DriftTimings(Func<long>? clock = null, double ticksPerSecond = 0)
{
    private readonly Func<long> _clock = clock ?? Stopwatch.GetTimestamp;
    private readonly double _ticksPerSecond = clock is null ? Stopwatch.Frequency : ticksPerSecond;
    private readonly ConcurrentDictionary<string, long> _ticks = new();

    public long Now() => _clock();

    /// <summary>Charges the time since <paramref name="since"/> to <paramref name="step"/> and moves it to now.</summary>
    public void Add(string step, ref long since)
    {
        var now = _clock();
        var elapsed = now - since;
        _ticks.AddOrUpdate(step, elapsed, (_, total) => total + elapsed);
        since = now;
    }

    public IReadOnlyDictionary<string, double> Milliseconds =>
        _ticks.ToDictionary(p => p.Key, p => p.Value * 1000.0 / _ticksPerSecond);
}
