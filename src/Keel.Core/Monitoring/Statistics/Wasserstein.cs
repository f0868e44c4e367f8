namespace Keel.Core.Monitoring.Statistics;

/// <summary>
/// The first Wasserstein (earth mover's) distance between two samples, ∫|F_a − F_b|, as
/// <c>scipy.stats.wasserstein_distance(a, b)</c>, and its drift form normalised by the reference's standard deviation.
/// </summary>
internal static class Wasserstein
{
    /// <summary>The normaliser never falls below this, so a constant reference still gives a finite distance (as Evidently does).</summary>
    public const double MinimumStandardDeviation = 0.001;

    /// <summary>Both samples sorted ascending, non-empty, free of NaN.</summary>
    public static double Distance(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.IsEmpty || sortedB.IsEmpty)
        {
            throw new ArgumentException("The Wasserstein distance needs at least one value in each sample.");
        }

        // The quantile form ∫₀¹ |F_a⁻¹(u) − F_b⁻¹(u)| du, equal to ∫|F_a − F_b| dx: walk u across the breakpoints
        // i/n1 and j/n2. Choosing the next breakpoint compares integers in a regular pattern, which the branch
        // predictor learns, where merging the values themselves branches at random.
        long n1 = sortedA.Length, n2 = sortedB.Length;
        double total = n1 * n2;
        long i = 0, j = 0, position = 0;
        var distance = 0.0;
        while (i < n1 && j < n2)
        {
            long nextA = (i + 1) * n2, nextB = (j + 1) * n1;
            var next = Math.Min(nextA, nextB);
            distance += Math.Abs(sortedA[(int)i] - sortedB[(int)j]) * (next - position);
            position = next;
            i += nextA == next ? 1 : 0;
            j += nextB == next ? 1 : 0;
        }

        return distance / total;
    }

    /// <summary>The distance divided by max(population standard deviation of the reference, 0.001).</summary>
    public static double Normalised(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double referenceStandardDeviation) =>
        Distance(sortedReference, sortedCurrent) / Math.Max(referenceStandardDeviation, MinimumStandardDeviation);
}
