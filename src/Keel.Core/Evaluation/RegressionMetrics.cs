namespace Keel.Core.Evaluation;

/// <summary>A regressor's metrics as scikit-learn defines them, and the distribution of its residuals (actual − predicted).</summary>
internal sealed record RegressionMetrics(IReadOnlyDictionary<string, MetricValue> Values, ResidualSummary? Residuals)
{
    public static readonly string[] Names = ["mae", "rmse", "r2"];

    public static RegressionMetrics Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var values = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var n = actual.Length;
        if (n == 0)
        {
            foreach (var name in Names)
            {
                values[name] = MetricValue.Absent("no rows");
            }

            return new RegressionMetrics(values, null);
        }

        double absolute = 0, squared = 0, mean = 0;
        var residuals = new double[n];
        for (var i = 0; i < n; i++)
        {
            var residual = actual[i] - predicted[i];
            residuals[i] = residual;
            absolute += Math.Abs(residual);
            squared += residual * residual;
            mean += actual[i];
        }

        mean /= n;
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        values["mae"] = MetricValue.Of(absolute / n);
        values["rmse"] = MetricValue.Of(Math.Sqrt(squared / n));
        values["r2"] = n < 2
            ? MetricValue.Absent("R² is not defined for fewer than two rows")
            : MetricValue.Of(R2(squared, total));
        return new RegressionMetrics(values, ResidualSummary.Of(residuals));
    }

    /// <summary>R² alone (null under two rows), without the residual summary's sort.</summary>
    public static double? R2(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length < 2)
        {
            return null;
        }

        double mean = 0, squared = 0, total = 0;
        foreach (var value in actual)
        {
            mean += value;
        }

        mean /= actual.Length;
        for (var i = 0; i < actual.Length; i++)
        {
            squared += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        return R2(squared, total);
    }

    // r2_score's force_finite: a constant target gives 1 for a perfect fit and 0 otherwise, not NaN or −∞.
    private static double R2(double squared, double total) => total == 0 ? (squared == 0 ? 1 : 0) : 1 - squared / total;
}

/// <summary>Residual quantiles (numpy's linear interpolation) and a 10-bin histogram over their range (numpy.histogram).</summary>
internal sealed record ResidualSummary(IReadOnlyDictionary<string, double> Quantiles, double[] Edges, long[] Counts)
{
    public static readonly double[] Levels = [0.05, 0.25, 0.5, 0.75, 0.95];

    public static ResidualSummary Of(double[] residuals)
    {
        Array.Sort(residuals);
        var quantiles = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var level in Levels)
        {
            quantiles["p" + (level * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture)] = Quantile(residuals, level);
        }

        const int Bins = 10;
        double low = residuals[0], high = residuals[^1];
        if (low == high)
        {
            low -= 0.5;
            high += 0.5;
        }

        var edges = new double[Bins + 1];
        for (var i = 0; i <= Bins; i++)
        {
            edges[i] = low + (high - low) * i / Bins;
        }

        var counts = new long[Bins];
        foreach (var r in residuals)
        {
            var bin = (int)((r - low) / (high - low) * Bins);
            counts[Math.Clamp(bin, 0, Bins - 1)]++;
        }

        return new ResidualSummary(quantiles, edges, counts);
    }

    /// <summary><c>numpy.quantile(sorted, q)</c> with the default linear method.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
