using Keel.Core.Monitoring.Statistics;

namespace Keel.Core.Monitoring;

/// <summary>
/// Computes a <see cref="DriftReport"/> from typed column samples, columns in parallel. Each numeric column is sorted
/// once and KS, Wasserstein, PSI, the range check and the plot all read the sorted arrays.
/// </summary>
internal static partial class DriftReporter
{
    public static DriftReport Compute(
        IReadOnlyList<ColumnSample> columns, long referenceRows, long currentRows, DriftOptions options,
        IReadOnlyList<string>? missingColumns = null, IReadOnlyList<string>? unexpectedColumns = null, DriftTimings? timings = null)
    {
        var small = referenceRows <= options.SmallReferenceRows;
        var results = new ColumnDrift[columns.Count];
        // One worker per core: more would only contend for the cores and each holds a sort buffer.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, columns.Count, parallel, i => results[i] = columns[i] switch
        {
            NumericSample numeric => Numeric(numeric, small, currentRows, options, timings),
            CategoricalSample categorical => Categorical(categorical, small, currentRows, options, timings),
            _ => throw new ArgumentException($"Unknown column sample {columns[i].GetType().Name}."),
        });

        var tested = results.Count(r => r.Drifted is not null);
        var drifted = results.Count(r => r.Drifted == true);
        var share = tested == 0 ? 0.0 : (double)drifted / tested;
        return new DriftReport(referenceRows, currentRows, tested > 0 && share >= options.DatasetDriftShare, drifted, tested, share,
            options.DatasetDriftShare, results, missingColumns ?? [], unexpectedColumns ?? []);
    }

    private static ColumnDrift Numeric(NumericSample sample, bool small, long currentRows, DriftOptions options, DriftTimings? timings)
    {
        var clock = timings?.Now() ?? 0;
        var reference = sample.Reference;
        var current = sample.Current;
        Sorting.Sort(reference);
        Sorting.Sort(current);
        timings?.Add("sort", ref clock);

        var quality = Quality(sample, currentRows, OutOfRange(reference, current), 0, 0);
        var distribution = NumericDistribution(reference, current);
        var threshold = options.For(sample.Name).Threshold;
        timings?.Add("quality", ref clock);
        if (Empty(reference.Length, current.Length) is { } reason)
        {
            return new ColumnDrift(sample.Name, "numeric", null, null, reference.Length, current.Length, null, null, null, null, null, null, reason, null, quality, distribution);
        }

        var psi = PopulationStability.Index(reference, current);
        timings?.Add("psi", ref clock);
        if (small)
        {
            var ks = KolmogorovSmirnov.Test(reference, current);
            timings?.Add("ks", ref clock);
            var alpha = threshold ?? options.KsPValue;
            return new ColumnDrift(sample.Name, "numeric", "ks", ks.Method, reference.Length, current.Length, ks.Statistic, ks.PValue, null,
                alpha, Rule($"p-value <= {alpha}"), ks.PValue <= alpha, null, psi, quality, distribution);
        }

        var distance = Wasserstein.Normalised(reference, current, StandardDeviation(reference));
        timings?.Add("wasserstein", ref clock);
        var limit = threshold ?? options.WassersteinDistance;
        return new ColumnDrift(sample.Name, "numeric", "wasserstein_normed", "divided by the reference's standard deviation", reference.Length, current.Length, distance, null, null,
            limit, Rule($"distance >= {limit}"), distance >= limit, null, psi, quality, distribution);
    }

    private static ColumnDrift Categorical(CategoricalSample sample, bool small, long currentRows, DriftOptions options, DriftTimings? timings)
    {
        var clock = timings?.Now() ?? 0;
        long referenceCount = 0, currentCount = 0, unseenRows = 0;
        var unseen = 0;
        for (var i = 0; i < sample.Labels.Length; i++)
        {
            referenceCount += sample.ReferenceCounts[i];
            currentCount += sample.CurrentCounts[i];
            if (sample.ReferenceCounts[i] == 0 && sample.CurrentCounts[i] > 0)
            {
                unseen++;
                unseenRows += sample.CurrentCounts[i];
            }
        }

        var quality = Quality(sample, currentRows, 0, unseen, unseenRows);
        var distribution = CategoricalDistribution(sample, referenceCount, currentCount);
        var threshold = options.For(sample.Name).Threshold;
        timings?.Add("quality", ref clock);
        if (Empty(referenceCount, currentCount) is { } reason)
        {
            return new ColumnDrift(sample.Name, "categorical", null, null, referenceCount, currentCount, null, null, null, null, null, null, reason, null, quality, distribution);
        }

        if (small)
        {
            var chi = ChiSquare.Homogeneity(sample.ReferenceCounts, sample.CurrentCounts);
            timings?.Add("chi_square", ref clock);
            var alpha = threshold ?? options.ChiSquarePValue;
            return new ColumnDrift(sample.Name, "categorical", "chi_square", null, referenceCount, currentCount, chi.Statistic, chi.PValue,
                chi.DegreesOfFreedom, alpha, Rule($"p-value < {alpha}"), chi.PValue < alpha, null, null, quality, distribution);
        }

        var distance = JensenShannon.Distance(sample.ReferenceCounts, sample.CurrentCounts);
        timings?.Add("jensen_shannon", ref clock);
        var limit = threshold ?? options.JensenShannonDistance;
        return new ColumnDrift(sample.Name, "categorical", "jensen_shannon", "natural log", referenceCount, currentCount, distance, null, null,
            limit, Rule($"distance >= {limit}"), distance >= limit, null, null, quality, distribution);
    }

    // Invariant: the rule is part of the report's record and must read the same on every machine.
    private static string Rule(FormattableString rule) => FormattableString.Invariant(rule);

    private static string? Empty(long referenceCount, long currentCount) => (referenceCount, currentCount) switch
    {
        (0, 0) => "no values in either table",
        (0, _) => "no values in the reference",
        (_, 0) => "no values in the current table (an empty window)",
        _ => null,
    };

    private static ColumnQuality Quality(ColumnSample sample, long currentRows, long outOfRange, int unseen, long unseenRows) =>
        new(sample.ReferenceMissing, sample.CurrentMissing, currentRows == 0 ? 0 : (double)sample.CurrentMissing / currentRows,
            sample.CurrentTypeViolations, outOfRange, unseen, unseenRows);

    private static long OutOfRange(double[] sortedReference, double[] sortedCurrent)
    {
        if (sortedReference.Length == 0 || sortedCurrent.Length == 0)
        {
            return 0;
        }

        var below = PopulationStability.UpperBound(sortedCurrent, Math.BitDecrement(sortedReference[0]));
        var above = sortedCurrent.Length - PopulationStability.UpperBound(sortedCurrent, sortedReference[^1]);
        return below + above;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        return Math.Sqrt(squares / values.Length);
    }
}
