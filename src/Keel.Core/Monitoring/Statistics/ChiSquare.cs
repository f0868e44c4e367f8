using MathNet.Numerics;

namespace Keel.Core.Monitoring.Statistics;

/// <summary>A chi-square test of homogeneity: the statistic, its degrees of freedom and the upper-tail p-value.</summary>
internal readonly record struct ChiSquareResult(double Statistic, double PValue, int DegreesOfFreedom);

/// <summary>
/// Pearson's chi-square test of homogeneity on a 2 × k table (reference counts, current counts per category), without
/// Yates' continuity correction: <c>scipy.stats.chi2_contingency(table, correction=False)</c>. For k = 2 it is the
/// two-proportion z-test squared.
/// </summary>
internal static class ChiSquare
{
    /// <summary>Categories counted zero in both samples are left out (they add nothing and SciPy refuses them).</summary>
    public static ChiSquareResult Homogeneity(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Both rows of the table need the same categories.");
        }

        long referenceTotal = 0, currentTotal = 0;
        var categories = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            referenceTotal += reference[i];
            currentTotal += current[i];
            if (reference[i] + current[i] > 0)
            {
                categories++;
            }
        }

        if (referenceTotal == 0 || currentTotal == 0)
        {
            throw new ArgumentException("The chi-square test needs at least one value in each sample.");
        }

        var degreesOfFreedom = categories - 1;
        if (degreesOfFreedom == 0)
        {
            // One category: both samples are necessarily identical in distribution (SciPy answers 0 and 1 too).
            return new ChiSquareResult(0, 1, 0);
        }

        double total = referenceTotal + currentTotal;
        var statistic = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            double column = reference[i] + current[i];
            if (column == 0)
            {
                continue;
            }

            var expectedReference = column * referenceTotal / total;
            var expectedCurrent = column * currentTotal / total;
            statistic += Square(reference[i] - expectedReference) / expectedReference + Square(current[i] - expectedCurrent) / expectedCurrent;
        }

        return new ChiSquareResult(statistic, SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2), degreesOfFreedom);
    }

    private static double Square(double x) => x * x;
}
