namespace Keel.Statistics;

/// <summary>
/// The population stability index Σ (c − r)·ln(c / r) over buckets, from each bucket's share of the reference (r) and
/// of the current sample (c). An empty bucket counts as a share of 0.0001, so it costs a large but finite amount. One
/// definition for monitoring (buckets cut at the reference's deciles, from raw values) and the data diff (the older
/// version's histogram bins, from stored profiles), so both report the same number for the same buckets.
/// </summary>
internal static class PopulationStabilityIndex
{
    public const double EmptyShare = 0.0001;

    /// <summary>The index over buckets given as counts (re-binned, fractional counts are fine); 0 when either side is empty.</summary>
    public static double FromCounts(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Both samples need the same buckets.");
        }

        double referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            referenceTotal += reference[i];
            currentTotal += current[i];
        }

        if (referenceTotal == 0 || currentTotal == 0)
        {
            return 0;
        }

        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            psi += Term(reference[i] / referenceTotal, current[i] / currentTotal);
        }

        return psi;
    }

    /// <summary>One bucket's (c − r)·ln(c / r).</summary>
    public static double Term(double referenceShare, double currentShare)
    {
        var r = referenceShare == 0 ? EmptyShare : referenceShare;
        var c = currentShare == 0 ? EmptyShare : currentShare;
        return (c - r) * Math.Log(c / r);
    }
}
