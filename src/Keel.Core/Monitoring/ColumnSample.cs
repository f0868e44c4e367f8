namespace Keel.Core.Monitoring;

/// <summary>One column of the reference and the current table, typed and ready for the drift tests.</summary>
internal abstract record ColumnSample(string Name, long ReferenceMissing, long CurrentMissing, long CurrentTypeViolations);

/// <summary>
/// The present values of a numeric column (missing and unparseable values left out and counted). The report sorts
/// the arrays in place, once, and every numeric test reads the sorted arrays.
/// </summary>
internal sealed record NumericSample(string Name, double[] Reference, double[] Current, long ReferenceMissing, long CurrentMissing, long CurrentTypeViolations = 0)
    : ColumnSample(Name, ReferenceMissing, CurrentMissing, CurrentTypeViolations);

/// <summary>
/// Per-category counts of a categorical column, reference and current over the same labels; a label counted only in
/// the current table is an unseen category.
/// </summary>
internal sealed record CategoricalSample(string Name, string[] Labels, long[] ReferenceCounts, long[] CurrentCounts, long ReferenceMissing, long CurrentMissing, long CurrentTypeViolations = 0)
    : ColumnSample(Name, ReferenceMissing, CurrentMissing, CurrentTypeViolations)
{
    /// <summary>Counts dictionary codes (−1 = missing) of both tables against one shared label list.</summary>
    public static CategoricalSample FromCodes(string name, string[] labels, ReadOnlySpan<int> reference, ReadOnlySpan<int> current)
    {
        var referenceCounts = new long[labels.Length];
        var currentCounts = new long[labels.Length];
        var referenceMissing = Count(reference, referenceCounts);
        var currentMissing = Count(current, currentCounts);
        return new CategoricalSample(name, labels, referenceCounts, currentCounts, referenceMissing, currentMissing);
    }

    private static long Count(ReadOnlySpan<int> codes, long[] counts)
    {
        long missing = 0;
        foreach (var code in codes)
        {
            if (code < 0)
            {
                missing++;
            }
            else
            {
                counts[code]++;
            }
        }

        return missing;
    }
}
