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

        double n1 = sortedA.Length, n2 = sortedB.Length;
        int i = 0, j = 0;
        var previous = Math.Min(sortedA[0], sortedB[0]);
        var distance = 0.0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var x = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            distance += Math.Abs(i / n1 - j / n2) * (x - previous);
            while (i < sortedA.Length && sortedA[i] == x)
            {
                i++;
            }

            while (j < sortedB.Length && sortedB[j] == x)
            {
                j++;
            }

            previous = x;
        }

        return distance;
    }

    /// <summary>The distance divided by max(population standard deviation of the reference, 0.001).</summary>
    public static double Normalised(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double referenceStandardDeviation) =>
        Distance(sortedReference, sortedCurrent) / Math.Max(referenceStandardDeviation, MinimumStandardDeviation);
}
