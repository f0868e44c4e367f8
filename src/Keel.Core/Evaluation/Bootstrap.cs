namespace Keel.Core.Evaluation;

/// <summary>A paired bootstrap interval of candidate − baseline for one metric.</summary>
internal readonly record struct BootstrapInterval(double Low, double High, int Resamples);

/// <summary>
/// The paired bootstrap: resample the rows with replacement (both models see the same resample), compute the metric
/// difference on each, and take the 2.5th and 97.5th percentiles (numpy's linear interpolation). Resamples whose
/// metric is undefined (one class drawn) are skipped; the interval reports how many counted.
/// </summary>
internal static class Bootstrap
{
    public const int DefaultResamples = 1000;

    public static BootstrapInterval? PairedInterval(int rows, int resamples, int seed, Func<int[], double?> difference)
    {
        if (rows == 0)
        {
            return null;
        }

        var differences = new double?[resamples];
        Parallel.For(0, resamples, b =>
        {
            var random = new Random(HashCode.Combine(seed, b));
            var sample = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                sample[i] = random.Next(rows);
            }

            differences[b] = difference(sample);
        });

        var counted = differences.OfType<double>().Order().ToArray();
        return counted.Length == 0
            ? null
            : new BootstrapInterval(ResidualSummary.Quantile(counted, 0.025), ResidualSummary.Quantile(counted, 0.975), counted.Length);
    }
}
