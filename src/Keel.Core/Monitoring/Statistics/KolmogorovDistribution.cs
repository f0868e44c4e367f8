namespace Keel.Core.Monitoring.Statistics;

/// <summary>
/// The survival function P(D_n ≥ x) of the one-sample two-sided Kolmogorov statistic, choosing between the methods
/// the way SciPy's <c>kstwo.sf</c> does (Simard and L'Ecuyer 2011): Ruben–Gambino at the edges, twice the one-sided
/// Smirnov probability where the two tails cannot overlap or are negligible, otherwise 1 − CDF from the
/// Durbin matrix (Marsaglia–Tsang–Wang), Pomeranz's recursion, or the Pelz–Good expansion. Matching the choice,
/// not only the mathematics, is what makes the p-values agree with SciPy's to 1e-6.
/// </summary>
internal static partial class KolmogorovDistribution
{
    public static double Survival(long n, double x)
    {
        if (n <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5)
            {
                return 1.0;
            }

            return Clip(1.0 - RubenGambinoLow(n, t));
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * Smirnov(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                return Clip(1.0 - DurbinMatrix(n, x));
            }

            if (nxSquared <= 4)
            {
                return Clip(1.0 - Pomeranz(n, x));
            }

            return Clip(2 * Smirnov(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * Smirnov(n, x));
        }

        var cdf = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinMatrix(n, x) : PelzGood(n, x);
        return Clip(1.0 - cdf);
    }

    /// <summary>P(D_n ≤ x) = n!/n^n (2t − 1)^n for 1/(2n) ≤ x ≤ 1/n, with t = nx.</summary>
    private static double RubenGambinoLow(long n, double t)
    {
        if (n <= 140)
        {
            var p = 1.0;
            for (long i = 1; i <= n; i++)
            {
                p *= i * (1.0 / n) * (2 * t - 1);
            }

            return p;
        }

        return Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
    }

    /// <summary>log(n!/n^n) by Stirling's series.</summary>
    private static double LogFactorialOverPower(long n)
    {
        ReadOnlySpan<double> coefficients =
        [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ];
        var rn = 1.0 / n;
        var x = rn / n;
        var poly = 0.0;
        foreach (var c in coefficients)
        {
            poly = poly * x + c;
        }

        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    /// <summary>
    /// The one-sided P(D_n+ ≥ x) by the Birnbaum–Tingey sum x·Σ C(n,j)(x + j/n)^(j−1)(1 − x − j/n)^(n−j); every term
    /// is positive, so summing them in log space relative to the largest loses nothing to cancellation.
    /// </summary>
    internal static double Smirnov(long n, double x)
    {
        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var last = (long)Math.Floor(n * (1 - x));
        var max = double.NegativeInfinity;
        ForEachSmirnovLogTerm(n, x, last, term => max = Math.Max(max, term));
        var sum = 0.0;
        ForEachSmirnovLogTerm(n, x, last, term => sum += Math.Exp(term - max));
        return Math.Min(1.0, Math.Exp(Math.Log(x) + max + Math.Log(sum)));
    }

    private static void ForEachSmirnovLogTerm(long n, double x, long last, Action<double> visit)
    {
        var logBinomial = 0.0;
        for (long j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log(n - j + 1) - Math.Log(j);
            }

            var rest = (double)(n - j) / n - x;
            if (rest > 0)
            {
                visit(logBinomial + (j - 1) * Math.Log(x + (double)j / n) + (n - j) * Math.Log(rest));
            }
            else if (j == n)
            {
                // 0^0: the last term has no factor for the remaining points.
                visit(logBinomial + (j - 1) * Math.Log(x + (double)j / n));
            }
        }
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
