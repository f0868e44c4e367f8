using Keel.Core.Monitoring;
using Keel.Core.Monitoring.Statistics;
using Keel.Statistics;

namespace Keel.Core.DataValidation;

internal static partial class DataValidator
{
    /// <summary>
    /// The --target column against the reference distribution: by value when the reference gives one, by the
    /// reference's histogram bins otherwise (values outside them count in the end bins); null when it gives neither.
    /// PSI decides, with the shared definition monitoring and the data diff use; chi-square's p-value is reported.
    /// </summary>
    private static LabelShift? LabelDistribution(TableColumn column, ColumnSchema reference, double threshold)
    {
        double[] expected, actual;
        if (reference.Distribution is { Count: > 0 } distribution)
        {
            var index = distribution.Keys.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
            expected = [.. distribution.Values, 0];
            actual = new double[expected.Length];
            for (var row = 0; row < column.Length; row++)
            {
                if (column.Text(row) is { } value)
                {
                    // A value the reference never had lands in the last bucket, which the reference holds none of.
                    actual[index.TryGetValue(value, out var i) ? i : expected.Length - 1]++;
                }
            }
        }
        else if (reference.Histogram is { } histogram)
        {
            expected = [.. histogram.Counts];
            actual = new double[expected.Length];
            var edges = histogram.Edges;
            foreach (var value in column.Numbers.Where(v => !double.IsNaN(v)))
            {
                var bin = 0;
                while (bin < actual.Length - 1 && value >= edges[bin + 1])
                {
                    bin++;
                }

                actual[bin]++;
            }
        }
        else
        {
            return null;
        }

        var psi = PopulationStabilityIndex.FromCounts(expected, actual);
        double? pValue = expected.Sum() > 0 && actual.Sum() > 0 && expected.All(e => e == Math.Floor(e))
            ? ChiSquare.Homogeneity(expected.Select(e => (long)e).ToArray(), actual.Select(a => (long)a).ToArray()).PValue
            : null;
        return new LabelShift(column.Name, psi, pValue, threshold);
    }
}
