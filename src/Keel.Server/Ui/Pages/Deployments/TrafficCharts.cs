using System.Globalization;
using System.Text.Json;
using Keel.Core.Deployments;

namespace Keel.Server.Ui.Pages.Deployments;

/// <summary>
/// A deployment's last hour of traffic as the inline charts' JSON: one point per minute (epoch seconds, uPlot's time
/// axis), one series per model version. Minutes nobody counted are 0 requests and no latency.
/// </summary>
internal sealed class TrafficCharts
{
    public const int Minutes = 60;

    private readonly long[] _minutes;
    private readonly List<IGrouping<(string Model, long Version), TrafficMinute>> _byVersion;

    public TrafficCharts(IReadOnlyList<TrafficMinute> rows, long lastMinute)
    {
        _minutes = Enumerable.Range(0, Minutes).Select(i => lastMinute - ((Minutes - 1 - i) * 60_000L)).ToArray();
        _byVersion = rows.GroupBy(r => (r.ModelName, r.ModelVersion)).OrderBy(g => g.Key.ModelName, StringComparer.Ordinal).ThenBy(g => g.Key.ModelVersion).ToList();
        Requests = rows.Sum(r => r.Requests);
        Errors = rows.Sum(r => r.Errors);
        P95 = TrafficMinute.Quantile(Sum(rows.Select(r => r.LatencyBuckets)), 0.95);
    }

    public static long Since(long lastMinute) => lastMinute - ((Minutes - 1) * 60_000L);

    public long Requests { get; }

    public long Errors { get; }

    public double? P95 { get; }

    public bool Empty => _byVersion.Count == 0;

    public string RequestsChart() => Chart(m => m.Requests);

    public string ErrorsChart() => Chart(m => m.Errors);

    public string LatencyChart() => Chart(m => m.Requests == 0 ? null : TrafficMinute.Quantile(m.LatencyBuckets, 0.95), missing: null);

    private string Chart(Func<TrafficMinute, double?> value, double? missing = 0) => JsonSerializer.Serialize(new
    {
        x = _minutes.Select(m => m / 1000),
        series = _byVersion.Select(g =>
        {
            var byMinute = g.ToDictionary(m => m.Minute);
            return new
            {
                label = string.Create(CultureInfo.InvariantCulture, $"{g.Key.Model} v{g.Key.Version}"),
                values = _minutes.Select(m => byMinute.TryGetValue(m, out var row) ? value(row) : missing),
                dash = false,
            };
        }),
    });

    private static long[] Sum(IEnumerable<long[]> buckets)
    {
        var total = new long[TrafficMinute.Buckets];
        foreach (var b in buckets)
        {
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += b[i];
            }
        }

        return total;
    }
}
