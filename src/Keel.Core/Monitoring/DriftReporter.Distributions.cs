using System.Globalization;
using Keel.Core.Monitoring.Statistics;

namespace Keel.Core.Monitoring;

internal static partial class DriftReporter
{
    private const int PlotBins = 20;
    private const int PlotCategories = 10;

    private static ColumnDistribution NumericDistribution(double[] sortedReference, double[] sortedCurrent)
    {
        if (sortedReference.Length == 0 && sortedCurrent.Length == 0)
        {
            return new ColumnDistribution([], [], [], []);
        }

        var low = Math.Min(First(sortedReference, double.PositiveInfinity), First(sortedCurrent, double.PositiveInfinity));
        var high = Math.Max(Last(sortedReference, double.NegativeInfinity), Last(sortedCurrent, double.NegativeInfinity));
        var bins = high > low ? PlotBins : 1;
        var edges = new double[bins + 1];
        for (var b = 0; b <= bins; b++)
        {
            edges[b] = b == bins ? high : low + (high - low) * b / bins;
        }

        return new ColumnDistribution(
            Enumerable.Range(0, bins).Select(b => edges[b].ToString("G4", CultureInfo.InvariantCulture)).ToArray(),
            edges, BinShares(sortedReference, edges), BinShares(sortedCurrent, edges));
    }

    /// <summary>Shares per bin [edge_b, edge_(b+1)), the last bin closed so the maximum is counted.</summary>
    private static double[] BinShares(double[] sorted, double[] edges)
    {
        var shares = new double[edges.Length - 1];
        if (sorted.Length == 0)
        {
            return shares;
        }

        var below = 0;
        for (var b = 0; b < shares.Length; b++)
        {
            var upTo = b == shares.Length - 1 ? sorted.Length : PopulationStability.UpperBound(sorted, Math.BitDecrement(edges[b + 1]));
            shares[b] = (double)(upTo - below) / sorted.Length;
            below = upTo;
        }

        return shares;
    }

    private static ColumnDistribution CategoricalDistribution(CategoricalSample sample, long referenceCount, long currentCount)
    {
        var order = Enumerable.Range(0, sample.Labels.Length)
            .Where(i => sample.ReferenceCounts[i] + sample.CurrentCounts[i] > 0)
            .OrderByDescending(i => sample.ReferenceCounts[i] + sample.CurrentCounts[i])
            .ThenBy(i => sample.Labels[i], StringComparer.Ordinal)
            .ToArray();
        var shown = order.Take(PlotCategories).ToList();
        var labels = shown.Select(i => sample.Labels[i]).ToList();
        var reference = shown.Select(i => Share(sample.ReferenceCounts[i], referenceCount)).ToList();
        var current = shown.Select(i => Share(sample.CurrentCounts[i], currentCount)).ToList();
        if (order.Length > PlotCategories)
        {
            var rest = order.Skip(PlotCategories).ToArray();
            labels.Add($"other ({rest.Length})");
            reference.Add(Share(rest.Sum(i => sample.ReferenceCounts[i]), referenceCount));
            current.Add(Share(rest.Sum(i => sample.CurrentCounts[i]), currentCount));
        }

        return new ColumnDistribution(labels, null, reference, current);
    }

    private static double Share(long count, long total) => total == 0 ? 0 : (double)count / total;

    private static double First(double[] sorted, double empty) => sorted.Length == 0 ? empty : sorted[0];

    private static double Last(double[] sorted, double empty) => sorted.Length == 0 ? empty : sorted[^1];
}
