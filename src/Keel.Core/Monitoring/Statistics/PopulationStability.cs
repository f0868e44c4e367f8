using Keel.Statistics;

namespace Keel.Core.Monitoring.Statistics;

/// <summary>
/// The population stability index (<see cref="PopulationStabilityIndex"/>) over buckets cut at the reference's deciles
/// (NumPy's default linear interpolation), so each bucket holds about a tenth of the reference; a bucket is
/// (edge_(k−1), edge_k], and edges that coincide (heavy ties) merge.
/// </summary>
internal static class PopulationStability
{
    public const int Buckets = 10;

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
            psi += PopulationStabilityIndex.Term(
                (double)(referenceUpTo - referenceBelow) / sortedReference.Length, (double)(currentUpTo - currentBelow) / sortedCurrent.Length);
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
}
