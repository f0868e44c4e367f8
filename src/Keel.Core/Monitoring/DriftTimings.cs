using System.Collections.Concurrent;
using System.Diagnostics;

namespace Keel.Core.Monitoring;

/// <summary>CPU time per step of a drift report (summed over the columns, which run in parallel), for the benchmark.</summary>
internal sealed class DriftTimings
{
    private readonly ConcurrentDictionary<string, long> _ticks = new();

    /// <summary>Charges the clock's elapsed time to <paramref name="step"/> and restarts it.</summary>
    public void Add(string step, Stopwatch clock)
    {
        _ticks.AddOrUpdate(step, clock.ElapsedTicks, (_, total) => total + clock.ElapsedTicks);
        clock.Restart();
    }

    public IReadOnlyDictionary<string, double> Milliseconds =>
        _ticks.ToDictionary(p => p.Key, p => p.Value * 1000.0 / Stopwatch.Frequency);
}
