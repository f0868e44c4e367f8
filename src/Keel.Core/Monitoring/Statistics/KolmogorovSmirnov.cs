namespace Keel.Core.Monitoring.Statistics;

/// <summary>The two-sided two-sample Kolmogorov–Smirnov test.</summary>
/// <param name="Statistic">The largest distance between the two empirical CDFs.</param>
/// <param name="PValue">The probability of a distance at least this large when both samples come from one distribution.</param>
/// <param name="Method"><c>exact</c> or <c>asymptotic</c>, chosen the way SciPy's <c>ks_2samp(method='auto')</c> chooses.</param>
internal readonly record struct KsResult(double Statistic, double PValue, string Method);

/// <summary>
/// Two-sample KS with the p-value of <c>scipy.stats.ks_2samp(a, b)</c>: exact (lattice-path counting after Hodges,
/// in the 1 − p recursion of Viehmann 2021) when both samples have at most 10,000 values, otherwise the exact
/// one-sample two-sided distribution at n = round(n1·n2/(n1+n2)) (<see cref="KolmogorovDistribution"/>).
/// </summary>
internal static class KolmogorovSmirnov
{
    private const int MaxExactSampleSize = 10_000;

    /// <summary>Both samples must be sorted ascending, non-empty, and free of NaN.</summary>
    public static KsResult Test(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.IsEmpty || sortedB.IsEmpty)
        {
            throw new ArgumentException("The KS test needs at least one value in each sample.");
        }

        long n1 = sortedA.Length, n2 = sortedB.Length;
        var d = Statistic(sortedA, sortedB);
        if (Math.Max(n1, n2) <= MaxExactSampleSize && TryExact(n1, n2, d, out var exact))
        {
            return new KsResult(exact.Statistic, exact.PValue, "exact");
        }

        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = Math.Round(m * n / (m + n), MidpointRounding.ToEven);
        return new KsResult(d, Math.Clamp(KolmogorovDistribution.Survival((long)en, d), 0, 1), "asymptotic");
    }

    /// <summary>sup |F_a − F_b| over every value of either sample, with right-continuous empirical CDFs (ties step together).</summary>
    public static double Statistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double n1 = a.Length, n2 = b.Length;
        int i = 0, j = 0;
        double max = 0, min = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == x)
            {
                i++;
            }

            while (j < b.Length && b[j] == x)
            {
                j++;
            }

            var diff = i / n1 - j / n2;
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }

        // Once one sample is used up the other's CDF only climbs towards 1, so the remaining differences
        // shrink towards 0 and the extremes are already known.
        return Math.Max(max, Math.Min(-min, 1));
    }

    private static bool TryExact(long n1, long n2, double d, out (double Statistic, double PValue) result)
    {
        var g = Gcd(n1, n2);
        var lcm = n1 / g * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        var rounded = (double)h / lcm;
        if (h == 0)
        {
            result = (rounded, 1.0);
            return true;
        }

        var p = n1 == n2 ? OutsideSquare(n1, h) : OutsideByInsideMethod(n1, n2, g, h);
        result = (rounded, p);
        return double.IsFinite(p) && p is >= 0 and <= 1;
    }

    /// <summary>
    /// P(D ≥ h/n) for equal sample sizes: the alternating sum 2·Σ (−1)^(k+1) C(2n, n−kh)/C(2n, n), evaluated
    /// innermost-first as 2·A1·(1 − A2·(1 − A3·(…))) so no large binomial is ever formed and nothing cancels.
    /// </summary>
    private static double OutsideSquare(long n, long h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var ratio = 1.0;
            for (long j = 0; j < h; j++)
            {
                ratio = (n - k * h - j) * ratio / (n + k * h + j + 1);
            }

            p = ratio * (1.0 - p);
        }

        return 2 * p;
    }

    /// <summary>
    /// The share of monotone lattice paths from (0,0) to (m,n) that touch |x/m − y/n| ≥ h/lcm, carried column by
    /// column over the band of y the boundary allows; each cell holds 1 − (share of paths to it that stay inside),
    /// which keeps every value in [0, 1] instead of growing like a binomial coefficient.
    /// </summary>
    private static double OutsideByInsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        long mg = m / g, ng = n / g;
        long minj = 0, maxj = Math.Min(CeilDiv(h, mg), n + 1);
        var curlen = maxj - minj;
        var a = new double[Math.Min(2 * maxj + 2, n + 1)];
        Array.Fill(a, 1.0);
        Array.Fill(a, 0.0, 0, (int)maxj);
        for (long i = 1; i <= m; i++)
        {
            long lastminj = minj, lastlen = curlen;
            minj = Math.Min(Math.Max(FloorDiv(ng * i - h, mg) + 1, 0), n);
            maxj = Math.Min(CeilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                Array.Fill(a, 1.0, (int)(maxj - minj), (int)(lastlen - curlen));
            }
        }

        return a[maxj - minj - 1];
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
