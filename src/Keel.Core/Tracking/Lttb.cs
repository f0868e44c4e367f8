namespace Keel.Core.Tracking;

/// <summary>
/// Largest-Triangle-Three-Buckets (Steinarsson 2013): thins a series to a number of points for a chart while
/// keeping its shape. The first and last points stay; each bucket in between keeps the point that makes the
/// largest triangle with the point kept before it and the next bucket's average, which is what keeps spikes.
/// </summary>
internal static class Lttb
{
    /// <summary>At most <paramref name="points"/> of the series (x ascending); all of it when it is already that short.</summary>
    public static (double[] X, double[] Y) Downsample(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int points)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length.", nameof(y));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var n = x.Length;
        if (n <= points)
        {
            return (x.ToArray(), y.ToArray());
        }

        var outX = new double[points];
        var outY = new double[points];
        outX[0] = x[0];
        outY[0] = y[0];
        // The first and last points are kept as they are, so n - 2 points share points - 2 buckets.
        var bucket = (double)(n - 2) / (points - 2);
        var kept = 0;
        for (var i = 0; i < points - 2; i++)
        {
            var start = (int)(i * bucket) + 1;
            var end = (int)((i + 1) * bucket) + 1;
            var nextStart = end;
            var nextEnd = Math.Min((int)((i + 2) * bucket) + 1, n);
            double avgX = 0, avgY = 0;
            for (var j = nextStart; j < nextEnd; j++)
            {
                avgX += x[j];
                avgY += y[j];
            }

            var count = nextEnd - nextStart;
            avgX /= count;
            avgY /= count;
            double best = -1;
            var chosen = start;
            for (var j = start; j < end; j++)
            {
                var area = Math.Abs(((x[kept] - avgX) * (y[j] - y[kept])) - ((x[kept] - x[j]) * (avgY - y[kept])));
                if (area > best)
                {
                    best = area;
                    chosen = j;
                }
            }

            outX[i + 1] = x[chosen];
            outY[i + 1] = y[chosen];
            kept = chosen;
        }

        outX[points - 1] = x[n - 1];
        outY[points - 1] = y[n - 1];
        return (outX, outY);
    }
}
