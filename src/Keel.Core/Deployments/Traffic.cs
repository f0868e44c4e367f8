namespace Keel.Core.Deployments;

/// <summary>
/// One minute of one model version's traffic in a deployment, as a serving host counted it: answered requests,
/// failed requests, and the answered requests' latencies in fixed buckets. Hosts send increments; the store sums them.
/// </summary>
/// <param name="Minute">The minute's start, Unix epoch milliseconds (a multiple of 60,000).</param>
/// <param name="LatencyBuckets">Answered requests per latency bucket: at most <see cref="LatencyBoundsMs"/>[i] ms, the last one above them all.</param>
internal sealed record TrafficMinute(string Deployment, long Minute, string ModelName, long ModelVersion, long Requests, long Errors, long[] LatencyBuckets)
{
    /// <summary>Upper bounds of the latency buckets, in milliseconds; a twelfth bucket takes everything slower.</summary>
    public static readonly double[] LatencyBoundsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

    public static int Buckets => LatencyBoundsMs.Length + 1;

    public static int BucketOf(double milliseconds)
    {
        var i = 0;
        while (i < LatencyBoundsMs.Length && milliseconds > LatencyBoundsMs[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// The q-quantile of the answered requests' latency, interpolated linearly inside its bucket as Prometheus's
    /// histogram_quantile does; the open top bucket answers its lower bound. Null without answered requests.
    /// </summary>
    public static double? Quantile(long[] buckets, double q)
    {
        var total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = q * total;
        var below = 0L;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (below + buckets[i] >= rank && buckets[i] > 0)
            {
                if (i == LatencyBoundsMs.Length)
                {
                    return LatencyBoundsMs[^1];
                }

                var lower = i == 0 ? 0 : LatencyBoundsMs[i - 1];
                return lower + ((LatencyBoundsMs[i] - lower) * (rank - below) / buckets[i]);
            }

            below += buckets[i];
        }

        return LatencyBoundsMs[^1];
    }
}

/// <summary>A deployment's answered and failed requests of one model version over a span of minutes.</summary>
internal sealed record TrafficTotal(string Deployment, string ModelName, long ModelVersion, long Requests, long Errors)
{
    public double? ErrorRate => Requests + Errors == 0 ? null : (double)Errors / (Requests + Errors);
}
