namespace Keel.Core.Monitoring.Statistics;

/// <summary>
/// The population stability index Σ (c − r)·ln(c / r) over buckets cut at the reference's deciles (NumPy's default
/// linear interpolation), so each bucket holds about a tenth of the reference; a bucket is (edge_(k−1), edge_k], and
/// edges that coincide (heavy ties) merge. A share of zero becomes 0.0001 so an empty bucket costs a large but
/// finite amount.
/// </summary>
internal static class PopulationStability
{
    public const int Buckets = 10;
    public const double EmptyShare = 0.0001;

    /// <summary>Both samples sorted ascending, non-empty, free of NaN.</summary>
    public static double Index(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        if (sortedReference.IsEmpty || sortedCurrent.IsEmpty)
        {
            throw new ArgumentException("PSI needs at least one value in each sample.");
        }

        Span<double> edges = stackalloc double[Buckets - 1];
        var count = 0;
        for (var k = 1; k < Buckets; k++)
        {
            var edge = Quantile(sortedReference, (double)k / Buckets);
            if (count == 0 || edge > edges[count - 1])
            {
                edges[count++] = edge;
            }
        }

        var psi = 0.0;
        int referenceBelow = 0, currentBelow = 0;
        for (var b = 0; b <= count; b++)
        {
            var referenceUpTo = b < count ? UpperBound(sortedReference, edges[b]) : sortedReference.Length;
            var currentUpTo = b < count ? UpperBound(sortedCurrent, edges[b]) : sortedCurrent.Length;
            var r = Share(referenceUpTo - referenceBelow, sortedReference.Length);
            var c = Share(currentUpTo - currentBelow, sortedCurrent.Length);
            psi += (c - r) * Math.Log(c / r);
            (referenceBelow, currentBelow) = (referenceUpTo, currentUpTo);
        }

        return psi;
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between order statistics (NumPy's default).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The number of values ≤ x.</summary>
    internal static int UpperBound(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double Share(int count, int total) => count == 0 ? EmptyShare : (double)count / total;
}
