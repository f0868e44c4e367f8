using System.Globalization;

namespace Keel.Core.Monitoring;

/// <summary>The columns of a reference and a current table, typed for the drift tests, and how their schemas differ.</summary>
internal sealed record TypedColumns(IReadOnlyList<ColumnSample> Samples, IReadOnlyList<string> MissingColumns, IReadOnlyList<string> UnexpectedColumns);

/// <summary>
/// Decides each reference column's kind and turns both tables into <see cref="ColumnSample"/>s. A column is numeric
/// when every present reference value is a number (invariant culture), categorical otherwise, and categorical too
/// when it has at most <see cref="DriftOptions.MaxDistinctForCategorical"/> distinct numbers; a per-column
/// <see cref="ColumnDriftOptions.Kind"/> overrides both. A current value that is not a number in a numeric column is
/// a type violation and is left out of the tests; empty fields and NA, N/A, NaN, nan, null, NULL, None are missing.
/// </summary>
internal static class ColumnTyping
{
    public static TypedColumns Prepare(DriftTable reference, DriftTable current, DriftOptions options)
    {
        var samples = new List<ColumnSample>();
        var missing = new List<string>();
        foreach (var column in reference.Columns)
        {
            var other = current.Column(column.Name);
            if (other is null)
            {
                missing.Add(column.Name);
            }

            var kind = options.For(column.Name).Kind ?? Infer(column, options.MaxDistinctForCategorical);
            samples.Add(kind == ColumnKind.Numeric
                ? Numeric(column, other, current.Rows)
                : Categorical(column, other, current.Rows));
        }

        var unexpected = current.Columns.Select(c => c.Name).Where(name => reference.Column(name) is null).ToList();
        return new TypedColumns(samples, missing, unexpected);
    }

    private static ColumnKind Infer(TableColumn column, int maxDistinctForCategorical)
    {
        var distinct = new HashSet<double>();
        if (column.Numbers is { } numbers)
        {
            foreach (var value in numbers)
            {
                if (!double.IsNaN(value) && distinct.Add(value) && distinct.Count > maxDistinctForCategorical)
                {
                    return ColumnKind.Numeric;
                }
            }

            return ColumnKind.Categorical;
        }

        foreach (var text in column.Text!)
        {
            if (IsMissing(text))
            {
                continue;
            }

            if (!TryParse(text, out var value))
            {
                return ColumnKind.Categorical;
            }

            distinct.Add(value);
        }

        return distinct.Count > maxDistinctForCategorical ? ColumnKind.Numeric : ColumnKind.Categorical;
    }

    private static NumericSample Numeric(TableColumn reference, TableColumn? current, long currentRows)
    {
        var (referenceValues, referenceMissing, _) = Numbers(reference);
        if (current is null)
        {
            return new NumericSample(reference.Name, referenceValues, [], referenceMissing, currentRows);
        }

        var (currentValues, currentMissing, violations) = Numbers(current);
        return new NumericSample(reference.Name, referenceValues, currentValues, referenceMissing, currentMissing, violations);
    }

    /// <summary>The present numbers; missing values; present values that are not numbers.</summary>
    private static (double[] Values, long Missing, long Violations) Numbers(TableColumn column)
    {
        if (column.Numbers is { } numbers)
        {
            var present = numbers.Where(v => !double.IsNaN(v)).ToArray();
            return (present, numbers.Length - present.Length, 0);
        }

        var values = new List<double>(column.Text!.Length);
        long missing = 0, violations = 0;
        foreach (var text in column.Text)
        {
            if (IsMissing(text))
            {
                missing++;
            }
            else if (TryParse(text, out var value))
            {
                values.Add(value);
            }
            else
            {
                violations++;
            }
        }

        return (values.ToArray(), missing, violations);
    }

    private static CategoricalSample Categorical(TableColumn reference, TableColumn? current, long currentRows)
    {
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceCodes = Codes(reference, labels);
        var currentCodes = current is null ? Enumerable.Repeat(-1, checked((int)currentRows)).ToArray() : Codes(current, labels);
        var names = new string[labels.Count];
        foreach (var (label, code) in labels)
        {
            names[code] = label;
        }

        return CategoricalSample.FromCodes(reference.Name, names, referenceCodes, currentCodes);
    }

    private static int[] Codes(TableColumn column, Dictionary<string, int> labels)
    {
        var length = column.Numbers?.Length ?? column.Text!.Length;
        var codes = new int[length];
        for (var i = 0; i < length; i++)
        {
            var label = column.Numbers is { } numbers
                ? double.IsNaN(numbers[i]) ? null : numbers[i].ToString("R", CultureInfo.InvariantCulture)
                : IsMissing(column.Text![i]) ? null : column.Text[i];
            if (label is null)
            {
                codes[i] = -1;
                continue;
            }

            if (!labels.TryGetValue(label, out var code))
            {
                code = labels.Count;
                labels.Add(label, code);
            }

            codes[i] = code;
        }

        return codes;
    }

    // What pandas also reads as missing by default, so a CSV written from a DataFrame with NaN keeps its meaning.
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.Ordinal) { "NA", "N/A", "NaN", "nan", "null", "NULL", "None" };

    private static bool IsMissing(string? text) => string.IsNullOrEmpty(text) || MissingMarkers.Contains(text);

    private static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
}
