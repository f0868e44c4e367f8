namespace Keel.Core.Monitoring.Statistics;

/// <summary>
/// The Jensen–Shannon distance (the square root of the divergence) between two category frequency vectors, in
/// natural-log units like <c>scipy.spatial.distance.jensenshannon(p, q)</c> and Evidently, whose 0.1 drift threshold
/// assumes that base. Its range is [0, √ln 2 ≈ 0.833]; the base-2 distance is this value / √ln 2.
/// </summary>
internal static class JensenShannon
{
    public static double Distance(ReadOnlySpan<long> p, ReadOnlySpan<long> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Both frequency vectors need the same categories.");
        }

        double pTotal = 0, qTotal = 0;
        for (var i = 0; i < p.Length; i++)
        {
            pTotal += p[i];
            qTotal += q[i];
        }

        if (pTotal == 0 || qTotal == 0)
        {
            throw new ArgumentException("The Jensen–Shannon distance needs at least one value in each sample.");
        }

        var divergence = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            double pi = p[i] / pTotal, qi = q[i] / qTotal, mi = (pi + qi) / 2;
            divergence += RelativeEntropy(pi, mi) + RelativeEntropy(qi, mi);
        }

        return Math.Sqrt(Math.Max(divergence / 2, 0));
    }

    private static double RelativeEntropy(double x, double y) => x > 0 ? x * Math.Log(x / y) : 0;
}
