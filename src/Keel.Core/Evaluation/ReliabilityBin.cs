namespace Keel.Core.Evaluation;

/// <summary>One non-empty bin of a reliability curve: mean predicted probability, fraction of positives, row count.</summary>
internal readonly record struct ReliabilityBin(double MeanPredicted, double FractionPositive, long Count)
{
    public const int Bins = 10;

    /// <summary>
    /// <c>sklearn.calibration.calibration_curve(y, p, n_bins=10, strategy="uniform")</c>: a probability on an inner
    /// edge (0.1, 0.2, ...) falls in the lower bin, empty bins are left out.
    /// </summary>
    public static ReliabilityBin[] Curve(ReadOnlySpan<bool> actual, ReadOnlySpan<double> probability)
    {
        // numpy.linspace(0, 1, 11)[1:-1] is i * 0.1 in floating point (0.30000000000000004, ...); the same edges put
        // the same rows in the same bins.
        Span<double> edges = stackalloc double[Bins - 1];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = (i + 1) * 0.1;
        }

        Span<double> sumPredicted = stackalloc double[Bins];
        Span<double> sumActual = stackalloc double[Bins];
        Span<long> counts = stackalloc long[Bins];
        for (var row = 0; row < actual.Length; row++)
        {
            var p = probability[row];
            var bin = 0;
            while (bin < edges.Length && edges[bin] < p)
            {
                bin++;
            }

            sumPredicted[bin] += p;
            sumActual[bin] += actual[row] ? 1 : 0;
            counts[bin]++;
        }

        var curve = new List<ReliabilityBin>(Bins);
        for (var bin = 0; bin < Bins; bin++)
        {
            if (counts[bin] > 0)
            {
                curve.Add(new ReliabilityBin(sumPredicted[bin] / counts[bin], sumActual[bin] / counts[bin], counts[bin]));
            }
        }

        return [.. curve];
    }
}
