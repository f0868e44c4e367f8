using Keel.Statistics;

namespace Keel.Client.Data;

/// <summary>Compares two profiles of one table; the older one is the reference whose bins both sides are measured on.</summary>
internal static class TableDiffer
{
    internal const double Moderate = 0.1;
    internal const double Major = 0.25;

    public static TableDiff Compare(TableProfile old, TableProfile current)
    {
        var before = old.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var after = current.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var typeChanges = new List<ColumnTypeChange>();
        var shifts = new List<ColumnShift>();
        foreach (var column in old.Columns.Where(c => after.ContainsKey(c.Name)))
        {
            var next = after[column.Name];
            if (column.Type != next.Type)
            {
                typeChanges.Add(new ColumnTypeChange { Column = column.Name, OldType = column.Type, NewType = next.Type });
            }
            else if (Psi(column, old.Rows, next, current.Rows) is { } psi)
            {
                shifts.Add(new ColumnShift { Column = column.Name, Psi = psi, Level = Level(psi) });
            }
        }

        return new TableDiff
        {
            Path = current.Path,
            OldRows = old.Rows,
            NewRows = current.Rows,
            AddedColumns = current.Columns.Where(c => !before.ContainsKey(c.Name)).Select(c => c.Name).ToList(),
            RemovedColumns = old.Columns.Where(c => !after.ContainsKey(c.Name)).Select(c => c.Name).ToList(),
            TypeChanges = typeChanges,
            Shifts = shifts,
        };
    }

    public static string Level(double psi) => psi < Moderate ? "stable" : psi < Major ? "moderate" : "major";

    private static double? Psi(ColumnProfile old, long oldRows, ColumnProfile current, long currentRows)
    {
        if (old.Histogram is { } reference && current.Histogram is { } histogram)
        {
            return Psi(reference.Counts.Select(c => (double)c).ToArray(), Rebin(histogram, reference.Edges));
        }

        if (old.Type is "string" or "boolean")
        {
            return Psi(Categories(old, oldRows, old.TopValues), Categories(current, currentRows, old.TopValues));
        }

        return null;
    }

    /// <summary>Counts of the reference's top values, then of everything else.</summary>
    private static double[] Categories(ColumnProfile column, long rows, IReadOnlyList<ValueCount> reference)
    {
        var counts = column.TopValues.ToDictionary(v => v.Value, v => v.Count, StringComparer.Ordinal);
        var result = reference.Select(v => (double)counts.GetValueOrDefault(v.Value)).ToList();
        result.Add(Math.Max(0, rows - column.Nulls - result.Sum()));
        return [.. result];
    }

    /// <summary>
    /// Spreads a histogram's counts over other edges, assuming values are uniform within each bin; what falls below the
    /// first edge or above the last counts in the first or last bin, as in profiling.
    /// </summary>
    internal static double[] Rebin(Histogram histogram, IReadOnlyList<double> edges)
    {
        var bins = edges.Count - 1;
        var result = new double[bins];
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            var (lo, hi, count) = (histogram.Edges[i], histogram.Edges[i + 1], (double)histogram.Counts[i]);
            if (count == 0)
            {
                continue;
            }

            if (hi <= lo)
            {
                result[TableProfiler.Bin(edges, lo)] += count;
                continue;
            }

            for (var j = 0; j < bins; j++)
            {
                var from = j == 0 ? double.NegativeInfinity : edges[j];
                var to = j == bins - 1 ? double.PositiveInfinity : edges[j + 1];
                var overlap = Math.Min(hi, to) - Math.Max(lo, from);
                if (overlap > 0)
                {
                    result[j] += count * overlap / (hi - lo);
                }
            }
        }

        return result;
    }

    // Monitoring's definition, so a shift reads the same in a diff and in a drift report.
    internal static double Psi(double[] expected, double[] actual) => PopulationStabilityIndex.FromCounts(expected, actual);
}
